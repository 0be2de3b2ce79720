/**
 * The three servers of a benchmark, each in its own process: the mock upstream, the bare proxy and the
 * gateway under test. Each start returns once the server answers on loopback.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUNTIME_DEFAULTS } from "../../src/runtime-defaults.ts";
import { type Child, cleanEnv, freePort, type ProcessGroup, waitForHttp } from "./proc.ts";

export interface Server {
  name: string;
  /** Base URL without a path, e.g. http://127.0.0.1:8900 */
  url: string;
  /** URL to POST chat completions to. */
  chatUrl: string;
  pid: number;
  child: Child;
}

/** Enough for the memory scenario's 1 000 streams plus upstream sockets. */
const NOFILE = 8192;

export async function startMock(group: ProcessGroup): Promise<Server> {
  const port = freePort();
  const child = group.spawn({
    name: "mock-upstream",
    cmd: [process.execPath, "bench/mock-upstream.ts"],
    env: cleanEnv({ PORT: String(port) }),
    nofile: NOFILE,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/__stats`, child);
  return { name: "mock", url, chatUrl: `${url}/v1/chat/completions`, pid: child.pid, child };
}

export async function startBareProxy(
  group: ProcessGroup,
  mock: Server,
  env: Record<string, string> = {},
): Promise<Server> {
  const port = freePort();
  const child = group.spawn({
    name: "bare-proxy",
    cmd: [process.execPath, "bench/bare-proxy.ts"],
    env: cleanEnv({ PORT: String(port), UPSTREAM: `${mock.url}/v1`, ...env }),
    nofile: NOFILE,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child);
  return { name: "bare proxy", url, chatUrl: `${url}/v1/chat/completions`, pid: child.pid, child };
}

export interface GatewayOptions {
  /** Extra environment, e.g. BUN_CONFIG_MAX_HTTP_REQUESTS for the memory scenario. */
  env?: Record<string, string>;
  /** Extra bun flags before the script, e.g. ["--cpu-prof-md", "--cpu-prof-dir=..."]. */
  bunFlags?: string[];
  name?: string;
  /** Another checkout to run the gateway from (bench/threads.ts --before: the revision before a change). */
  cwd?: string;
}

/**
 * The gateway as users run it: `bun src/main.ts --config bench/gateway.bench.config.ts`, on a free
 * loopback port, a fresh data directory (removed when the group stops it) and warn-level logs.
 */
export async function startGateway(group: ProcessGroup, mock: Server, options: GatewayOptions = {}): Promise<Server> {
  const port = freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "smartroute-bench-"));
  const child = group.spawn({
    name: options.name ?? "gateway",
    cmd: [
      process.execPath,
      ...(options.bunFlags ?? []),
      "src/main.ts",
      "--config",
      "bench/gateway.bench.config.ts",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
    ],
    // src/main.ts relaunches itself with these set when they are not: setting them here keeps the
    // measured pid the gateway's own.
    env: cleanEnv({
      ...RUNTIME_DEFAULTS,
      MOCK_URL: `${mock.url}/v1`,
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_LOG_LEVEL: "warn",
      ...options.env,
    }),
    nofile: NOFILE,
    cwd: options.cwd,
  });
  void child.proc.exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child);
  return { name: options.name ?? "gateway", url, chatUrl: `${url}/v1/chat/completions`, pid: child.pid, child };
}

/** A gateway with parts taken out (bench/gateway-variant.ts), for the breakdown scenario. */
export async function startGatewayVariant(
  group: ProcessGroup,
  mock: Server,
  name: string,
  variantFlags: string[],
  env: Record<string, string> = {},
): Promise<Server> {
  const port = freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "smartroute-bench-"));
  const child = group.spawn({
    name,
    cmd: [process.execPath, "bench/gateway-variant.ts", ...variantFlags],
    env: cleanEnv({
      ...RUNTIME_DEFAULTS,
      PORT: String(port),
      MOCK_URL: `${mock.url}/v1`,
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_LOG_LEVEL: "warn",
      ...env,
    }),
    nofile: NOFILE,
  });
  void child.proc.exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child);
  return { name, url, chatUrl: `${url}/v1/chat/completions`, pid: child.pid, child };
}

export interface MockStats {
  requests: Record<string, number>;
  open: number;
  aborted: number;
}

/** The mock's counters: requests by model string, streams open now, streams the client abandoned. */
export async function mockStats(mock: Server): Promise<MockStats> {
  const response = await fetch(`${mock.url}/__stats`, { signal: AbortSignal.timeout(2000) });
  const stats = (await response.json()) as MockStats;
  return { requests: stats.requests, open: stats.open, aborted: stats.aborted };
}

/** The gateway's own count of finished requests against its request log's, from /metrics. */
export interface LogAccounting {
  requests: number;
  rowsWritten: number;
  rowsDropped: number;
  bodiesShed: number;
  maxQueue: number;
}

function metricSum(text: string, name: string, labels = ""): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      if (labels && !line.includes(labels)) continue;
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}

/**
 * Waits for the gateway's log queue to empty (up to 10 s), then reads how many requests it finished
 * and how many log rows it wrote: DESIGN §10 wants them equal, with nothing dropped.
 */
export async function logAccounting(gateway: Server): Promise<LogAccounting> {
  let text = "";
  for (let i = 0; i < 100; i++) {
    text = await (await fetch(`${gateway.url}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    if (metricSum(text, "smartroute_log_queue_depth") === 0) break;
    await Bun.sleep(100);
  }
  return {
    requests: metricSum(text, "smartroute_requests_total"),
    rowsWritten: metricSum(text, "smartroute_log_rows_written_total"),
    rowsDropped: metricSum(text, "smartroute_log_dropped_total", 'kind="rows"'),
    bodiesShed: metricSum(text, "smartroute_log_dropped_total", 'kind="bodies"'),
    maxQueue: metricSum(text, "smartroute_log_queue_max_depth"),
  };
}

/** The log checks both the throughput and the soak scenarios report. */
export function logChecks(accounting: LogAccounting, when: string) {
  const { requests, rowsWritten, rowsDropped, bodiesShed, maxQueue } = accounting;
  return [
    {
      name: `request log rows = requests finished (${when})`,
      target: "equal, 0 dropped",
      measured: `${rowsWritten} / ${requests}, ${rowsDropped} dropped, ${bodiesShed} bodies shed, largest queue ${maxQueue}`,
      pass: rowsWritten === requests && rowsDropped === 0,
    },
  ];
}
