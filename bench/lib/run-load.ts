/** Runs bench/load.ts in its own process and returns its result. */
import type { LoadResult, LoadSpec } from "../load.ts";
import { cleanEnv, type ProcessGroup } from "./proc.ts";

/** Enough in-flight fetches for any scenario here (Bun's default of 256 would queue the rest). */
const LOAD_FETCH_CAP = 16384;

/**
 * Starts the load generator; `onStart` gets its pid (e.g. to meter its CPU). The process is killed if it
 * outlives its own hard deadline by more than a few seconds.
 */
export async function runLoadProcess(
  group: ProcessGroup,
  spec: LoadSpec,
  onStart?: (pid: number) => void,
): Promise<LoadResult> {
  const child = group.spawn({
    name: "load",
    cmd: [process.execPath, "bench/load.ts", JSON.stringify(spec)],
    env: cleanEnv({ BUN_CONFIG_MAX_HTTP_REQUESTS: String(LOAD_FETCH_CAP) }),
    captureStdout: true,
    nofile: spec.connections * 2 + 256,
  });
  onStart?.(child.pid);
  const limitMs = (spec.durationMs ?? 300_000) + (spec.timeoutMs ?? 60_000) + 45_000;
  const killer = setTimeout(() => child.proc.kill("SIGKILL"), limitMs);
  const code = await child.proc.exited;
  clearTimeout(killer);
  const stdout = await child.stdout;
  await child.stop();
  const line = stdout.trim().split("\n").pop() ?? "";
  if (code !== 0 || !line.startsWith("{"))
    throw new Error(`load generator failed (exit ${code}):\n${child.stderrTail()}`);
  return JSON.parse(line) as LoadResult;
}
