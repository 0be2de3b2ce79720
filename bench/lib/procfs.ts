/**
 * What another process costs, read from Linux /proc: memory (VmRSS now, VmHWM = peak since start) and
 * CPU time. Reading /proc is cheap and needs nothing from the measured process.
 */
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface Memory {
  /** Resident set now, MB. */
  rssMb: number;
  /** Peak resident set since the process started, MB (kernel-tracked: catches peaks between samples). */
  hwmMb: number;
}

export function readMemory(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
  } catch {
    return undefined; // the process is gone
  }
}

/** User + system CPU seconds the process has used so far. */
export function readCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
  } catch {
    return NaN;
  }
}

/** CPU use of some processes over an interval, as % of one core. */
export class CpuMeter {
  private readonly start = new Map<number, number>();
  private startedAt = 0;

  constructor(private readonly pids: Record<string, number>) {}

  begin(): void {
    this.startedAt = performance.now();
    for (const pid of Object.values(this.pids)) this.start.set(pid, readCpuSeconds(pid));
  }

  end(): Record<string, number> {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      out[name] = Math.round(((readCpuSeconds(pid) - (this.start.get(pid) ?? NaN)) / seconds) * 100);
    }
    return out;
  }
}

export interface RssSample {
  /** ms since sampling started */
  at: number;
  rssMb: number;
}

/** Samples a process's RSS every `intervalMs` until stopped; the peak also comes from VmHWM. */
export class RssSampler {
  readonly samples: RssSample[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly t0 = performance.now();

  constructor(
    private readonly pid: number,
    intervalMs = 100,
    /** Bound on samples kept (a 10-minute soak at 100 ms is 6 000). */
    private readonly maxSamples = 20_000,
  ) {
    this.take();
    this.timer = setInterval(() => this.take(), intervalMs);
  }

  private take(): void {
    const memory = readMemory(this.pid);
    if (memory && this.samples.length < this.maxSamples)
      this.samples.push({ at: performance.now() - this.t0, rssMb: memory.rssMb });
  }

  stop(): { peakRssMb: number; hwmMb: number; samples: number } {
    clearInterval(this.timer);
    this.take();
    const peak = this.samples.reduce((max, s) => Math.max(max, s.rssMb), 0);
    return { peakRssMb: peak, hwmMb: readMemory(this.pid)?.hwmMb ?? NaN, samples: this.samples.length };
  }

  /** RSS of the sample nearest to `fraction` of the sampled time (0 = first, 1 = last). */
  at(fraction: number): number {
    if (this.samples.length === 0) return NaN;
    const last = this.samples[this.samples.length - 1]?.at ?? 0;
    const target = last * fraction;
    let best = this.samples[0];
    for (const s of this.samples) if (Math.abs(s.at - target) < Math.abs((best?.at ?? 0) - target)) best = s;
    return best?.rssMb ?? NaN;
  }
}
