/**
 * The gateway's idle memory (issue 16): RSS before any request and after a few, with the gateway
 * started exactly as `npm run gateway` starts it (`bun src/main.ts`, which relaunches itself as a
 * child with BUN_CONFIG_MAX_HTTP_REQUESTS set: the child is the gateway, its RSS is read from /proc).
 * Each run starts it on a fresh data directory (its first start records the config file in the
 * history), then again on that directory (a restart, as a gateway usually starts), and sends the
 * requests to the restarted one; nothing is forced (no collection).
 *
 *   bun bench/idle-memory.ts [--runs 3] [--config bench|demo] [--requests 20] [--from DIR] [--settle 3] [--parts]
 *
 *   --config bench  bench/gateway.bench.config.ts against the mock upstream (default)
 *   --config demo   the shipped gateway.config.ts (simulated providers, no key in the environment)
 *   --from DIR      run the gateway of another checkout (the revision before a change)
 *   --settle S      seconds between ready (or the last request) and the reading (default 3: start-up
 *                   garbage and memory a start-up task used for a moment are given back by then)
 *   --parts         also: what is loaded at idle (packages, heap statistics) from a gateway started
 *                   in-process the same way, and what each big part costs imported alone
 *
 * Not part of `npm run bench`: it measures no load, only what the process holds.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { idleParts, partCosts } from "./lib/idle-parts.ts";
import { BENCH_API_KEY, chatBody } from "./lib/models.ts";
import { cleanEnv, freePort, ProcessGroup, waitForHttp } from "./lib/proc.ts";
import { readMemory } from "./lib/procfs.ts";
import { Flags } from "./lib/scenario.ts";
import { type Server, startMock } from "./lib/servers.ts";
import { summarize } from "./lib/stats.ts";

const CONFIGS = {
  bench: { path: "bench/gateway.bench.config.ts", models: { plain: "auto", stream: "first" } },
  demo: { path: "gateway.config.ts", models: { plain: "auto", stream: "t1" } },
} as const;

/** The relaunched gateway: the only child of the `bun src/main.ts` process. */
async function childOf(pid: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    if (children) return Number(children.split(" ")[0]);
    await Bun.sleep(25);
  }
  throw new Error(`process ${pid} started no child`);
}

async function send(url: string, model: string, stream: boolean): Promise<void> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_API_KEY}` },
    body: chatBody(model, stream),
  });
  await response.text();
  if (!response.ok) throw new Error(`request for ${model} answered ${response.status}`);
}

interface Reading {
  /** The first start on a fresh data directory (the config file is recorded in the history). */
  firstMb: number;
  /** A restart on that directory with the same file: what a gateway usually starts as. */
  idleMb: number;
  afterMb: number;
  /** The restarted gateway's peak since it started (VmHWM), read with `afterMb`. */
  peakMb: number;
  launcherMb: number;
}

/** `bun src/main.ts` on `dataDir`, ready: the launcher and the gateway it relaunched. */
async function start(group: ProcessGroup, mock: Server, config: keyof typeof CONFIGS, dataDir: string) {
  const port = freePort();
  const launcher = group.spawn({
    name: "gateway",
    cmd: [process.execPath, "src/main.ts", "--config", CONFIGS[config].path, "--port", String(port)],
    cwd: from,
    env: cleanEnv({
      MOCK_URL: `${mock.url}/v1`,
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_HOST: "127.0.0.1",
      GATEWAY_LOG_LEVEL: "warn",
      // The demo config's simulated providers, whatever keys this shell has.
      ...(config === "demo" ? { OPENAI_API_KEY: "", DEEPSEEK_API_KEY: "" } : {}),
    }),
  });
  const gateway = await childOf(launcher.pid);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, launcher);
  await Bun.sleep(settleMs);
  return { launcher, gateway, url };
}

async function oneRun(group: ProcessGroup, mock: Server, config: keyof typeof CONFIGS, requests: number) {
  const dataDir = mkdtempSync(join(tmpdir(), "smartroute-idle-"));
  try {
    const first = await start(group, mock, config, dataDir);
    const firstMb = readMemory(first.gateway)?.rssMb ?? NaN;
    await first.launcher.stop();
    const { launcher, gateway, url } = await start(group, mock, config, dataDir);
    const idleMb = readMemory(gateway)?.rssMb ?? NaN;
    const { plain, stream } = CONFIGS[config].models;
    for (let i = 0; i < requests; i++) await send(url, i % 2 ? stream : plain, i % 2 === 1);
    await Bun.sleep(settleMs);
    const after = readMemory(gateway);
    const [afterMb, peakMb] = [after?.rssMb ?? NaN, after?.hwmMb ?? NaN];
    const launcherMb = readMemory(launcher.pid)?.rssMb ?? NaN;
    await launcher.stop();
    return { firstMb, idleMb, afterMb, peakMb, launcherMb };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const { flags } = Flags.parse(process.argv.slice(2));
const runs = flags.num("runs", 3);
const requests = flags.num("requests", 20);
const settleMs = flags.num("settle", 3) * 1000;
const from = flags.has("from") ? flags.words("from", [])[0] : undefined;
const config = (flags.words("config", ["bench"])[0] ?? "bench") as keyof typeof CONFIGS;
if (!(config in CONFIGS)) throw new Error(`--config must be one of ${Object.keys(CONFIGS).join(", ")}`);

const group = new ProcessGroup();
try {
  const mock = await startMock(group);
  const readings: Reading[] = [];
  for (let run = 1; run <= runs; run++) {
    const reading = await oneRun(group, mock, config, requests);
    readings.push(reading);
    console.log(
      `run ${run}: first start ${reading.firstMb.toFixed(1)} MB; restarted: idle ${reading.idleMb.toFixed(1)} MB, after ${requests} requests ${reading.afterMb.toFixed(1)} MB, peak ${reading.peakMb.toFixed(1)} MB (its launcher ${reading.launcherMb.toFixed(1)} MB)`,
    );
  }
  const mid = (pick: (r: Reading) => number) => summarize(readings.map(pick)).p50.toFixed(1);
  console.log(
    `\n${CONFIGS[config].path}: gateway RSS, median of ${runs}: first start ${mid((r) => r.firstMb)} MB; restarted: idle ${mid((r) => r.idleMb)} MB, after ${requests} requests ${mid((r) => r.afterMb)} MB, peak since start ${mid((r) => r.peakMb)} MB; launcher ${mid((r) => r.launcherMb)} MB`,
  );
  if (flags.has("parts")) {
    console.log(`\n${await idleParts(group, mock, CONFIGS[config].path)}`);
    console.log(`\n${await partCosts()}`);
  }
} finally {
  await group.stopAll();
}
