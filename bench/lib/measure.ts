/** Measurements shared by scenarios: a closed-loop throughput run with CPU metering, a sequential run. */
import type { LoadResult } from "../load.ts";
import { chatBody } from "./models.ts";
import type { ProcessGroup } from "./proc.ts";
import { CpuMeter } from "./procfs.ts";
import { runLoadProcess } from "./run-load.ts";
import type { Server } from "./servers.ts";
import type { Target } from "./targets.ts";

export interface ThroughputRun {
  load: LoadResult;
  /** % of one core during the timed run: load (self-reported), server, mock (when not the target). */
  cpu: { load: number; server: number; mock?: number };
  /** Server CPU per request, µs. */
  serverUsPerRequest: number;
}

/** Non-stream small requests at `connections`, after a separate warm-up run. */
export async function throughputRun(
  group: ProcessGroup,
  target: Target,
  mock: Server,
  connections: number,
  seconds: number,
  warmupSeconds: number,
): Promise<ThroughputRun> {
  // No per-request timeout: a timer per request would cost the load generator CPU that the servers on
  // this 2-core machine need; the run's hard deadline (duration + 65 s) still bounds every request.
  const spec = {
    url: target.url,
    headers: target.headers,
    kinds: [{ name: "chat", body: chatBody(target.model("plain"), false), stream: false }],
    connections,
  };
  if (warmupSeconds > 0) await runLoadProcess(group, { ...spec, durationMs: warmupSeconds * 1000 });
  const pids: Record<string, number> = { server: target.server.pid };
  if (target.server !== mock) pids.mock = mock.pid;
  const meter = new CpuMeter(pids);
  // Metered from the load process's start: its own start-up (~0.1 s) dilutes the server figures slightly.
  const load = await runLoadProcess(group, { ...spec, durationMs: seconds * 1000 }, () => meter.begin());
  const measured = meter.end();
  const server = measured.server ?? NaN;
  return {
    load,
    cpu: { load: load.cpuPercent, server, mock: measured.mock },
    serverUsPerRequest: Math.round(((server / 100) * 1e6) / Math.max(1, load.rps)),
  };
}

/** One request at a time: latency without queueing. */
export async function sequentialRun(
  group: ProcessGroup,
  target: Target,
  requests: number,
  warmup: number,
  keepSamples = false,
): Promise<LoadResult> {
  const load = await runLoadProcess(group, {
    url: target.url,
    headers: target.headers,
    kinds: [{ name: "chat", body: chatBody(target.model("plain"), false), stream: false }],
    connections: 1,
    requests,
    warmupRequests: warmup,
    timeoutMs: 10_000,
    keepSamples,
  });
  if ((load.outcomes.ok ?? 0) !== load.requests)
    throw new Error(`${target.name}: not every request succeeded: ${JSON.stringify(load.outcomes)}`);
  return load;
}
