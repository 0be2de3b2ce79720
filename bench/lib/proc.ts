/**
 * Child processes of a benchmark run. Every process a scenario starts goes through a `ProcessGroup`, so
 * it is stopped at the end of the scenario even when the scenario throws, and killed outright if the
 * runner itself exits early (Ctrl-C, a crash). Output is kept as a short tail for error messages.
 */
import { readFileSync } from "node:fs";
import type { Subprocess } from "bun";

export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** Last bytes of a child's output kept for diagnostics (the rest is read and dropped). */
const TAIL_CHARS = 4000;
/** How long a child gets to exit after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 3000;

export interface Child {
  name: string;
  pid: number;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Resolves with the whole stdout once the process exits (only when `captureStdout` was set). */
  stdout: Promise<string>;
  /** The last few KB of stderr. */
  stderrTail(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  cmd: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Keep all of stdout (the load generator's JSON result); otherwise only a tail. */
  captureStdout?: boolean;
  /** Open-file limit the child needs; raised through `sh -c 'ulimit -n'` when the current one is lower. */
  nofile?: number;
}

/** Drains a stream; keeps everything or only the tail. */
async function drain(
  stream: ReadableStream<Uint8Array>,
  keepAll: boolean,
  onTail: (text: string) => void,
): Promise<string> {
  const decoder = new TextDecoder();
  let all = "";
  let tail = "";
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    if (keepAll) all += text;
    tail = (tail + text).slice(-TAIL_CHARS);
    onTail(tail);
  }
  return all;
}

/** The soft limit on open files of this process (children inherit it). */
export function openFileLimit(): number {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max open files"));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === "unlimited" ? Number.POSITIVE_INFINITY : Number(soft);
}

/** The environment children start from: ours without settings that would change what is measured. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith("GATEWAY_") || key.startsWith("BUN_CONFIG_")) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

const live = new Set<Child>();

// Last resort: if the runner exits without stopping its groups, no child outlives it.
process.on("exit", () => {
  for (const child of live) if (!child.exited()) child.proc.kill("SIGKILL");
});

export class ProcessGroup {
  private readonly children: Child[] = [];

  spawn(options: SpawnOptions): Child {
    let cmd = options.cmd;
    if (options.nofile !== undefined && openFileLimit() < options.nofile) {
      // `ulimit -n` applies to the shell, and `exec` hands the raised limit to the real process.
      cmd = ["sh", "-c", `ulimit -n ${options.nofile} && exec "$0" "$@"`, ...cmd];
    }
    const proc = Bun.spawn(cmd, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? cleanEnv(),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    let errTail = "";
    let done = false;
    void proc.exited.then(() => (done = true));
    const stdout = drain(proc.stdout, options.captureStdout === true, () => {});
    void drain(proc.stderr, false, (tail) => (errTail = tail)).catch(() => {});
    const child: Child = {
      name: options.name,
      pid: proc.pid,
      proc,
      stdout,
      stderrTail: () => errTail,
      exited: () => done,
      stop: async () => {
        if (!done) {
          proc.kill("SIGTERM");
          const timer = setTimeout(() => proc.kill("SIGKILL"), STOP_GRACE_MS);
          await proc.exited;
          clearTimeout(timer);
        }
        live.delete(child);
      },
    };
    live.add(child);
    this.children.push(child);
    return child;
  }

  /** Stops every child, newest first (load before servers, gateway before its upstream). */
  async stopAll(): Promise<void> {
    const children = this.children.splice(0).reverse();
    for (const child of children) await child.stop();
  }
}

/** A free loopback port (the OS picks it; a tiny race with other programs is acceptable here). */
export function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

/**
 * Polls `url` until it answers 2xx. Bounded by `timeoutMs`; fails early, with the child's stderr, if
 * the child exits first.
 */
export async function waitForHttp(url: string, child: Child, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < until) {
    if (child.exited()) throw new Error(`${child.name} exited before answering ${url}:\n${child.stderrTail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await Bun.sleep(50);
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms (${last}):\n${child.stderrTail()}`);
}
