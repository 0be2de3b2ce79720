/**
 * Optional cross-check with wrk (C, one thread here): if wrk and bench/load.ts agree on a target's
 * requests/s, the Bun load generator is not what limits the measurement.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProcessGroup } from "./proc.ts";

export function wrkAvailable(): boolean {
  return Bun.which("wrk") !== null;
}

export interface WrkRun {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  seconds: number;
}

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** wrk prints latencies like "812.00us", "1.20ms", "2.01s". */
function toMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === "us"
    ? value / 1000
    : match[2] === "ms"
      ? value
      : match[2] === "s"
        ? value * 1000
        : value * 60_000;
}

export async function runWrk(group: ProcessGroup, run: WrkRun): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), "smartroute-wrk-"));
  const script = join(dir, "post.lua");
  const lines = [
    `wrk.method = "POST"`,
    `wrk.body = ${JSON.stringify(run.body)}`,
    ...Object.entries(run.headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
  ];
  writeFileSync(script, `${lines.join("\n")}\n`);
  try {
    const child = group.spawn({
      name: "wrk",
      cmd: [
        "wrk",
        "-t1",
        `-c${run.connections}`,
        `-d${run.seconds}s`,
        "--timeout",
        "10s",
        "--latency",
        "-s",
        script,
        run.url,
      ],
      captureStdout: true,
    });
    const killer = setTimeout(() => child.proc.kill("SIGKILL"), (run.seconds + 20) * 1000);
    await child.proc.exited;
    clearTimeout(killer);
    const out = await child.stdout;
    await child.stop();
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
    const p50 = toMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? "");
    const p99 = toMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? "");
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
    return { rps: Math.round(rps), p50, p99, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
