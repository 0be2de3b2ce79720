/**
 * The gateway's idle memory (issue 16): RSS before any request and after a few, with the gateway
 * started exactly as `npm run gateway` starts it (`bun src/main.ts`, which relaunches itself as a
 * child with BUN_CONFIG_MAX_HTTP_REQUESTS set: the child is the gateway, its RSS is read from /proc),
 * on a fresh data directory per run.
 *
 *   bun bench/idle-memory.ts [--runs 3] [--config bench|demo] [--requests 20] [--parts]
 *
 *   --config bench  bench/gateway.bench.config.ts against the mock upstream (default)
 *   --config demo   the shipped gateway.config.ts (simulated providers, no key in the environment)
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
  idleMb: number;
  afterMb: number;
  launcherMb: number;
}

async function oneRun(group: ProcessGroup, mock: Server, config: keyof typeof CONFIGS, requests: number) {
  const port = freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "smartroute-idle-"));
  const launcher = group.spawn({
    name: "gateway",
    cmd: [process.execPath, "src/main.ts", "--config", CONFIGS[config].path, "--port", String(port)],
    env: cleanEnv({
      MOCK_URL: `${mock.url}/v1`,
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_HOST: "127.0.0.1",
      GATEWAY_LOG_LEVEL: "warn",
      // The demo config is open without a key; the bench config wants its own.
      ...(config === "demo" ? { OPENAI_API_KEY: "", DEEPSEEK_API_KEY: "" } : {}),
    }),
  });
  try {
    const gateway = await childOf(launcher.pid);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, launcher);
    await Bun.sleep(1000);
    const idleMb = readMemory(gateway)?.rssMb ?? NaN;
    const { plain, stream } = CONFIGS[config].models;
    for (let i = 0; i < requests; i++) await send(url, i % 2 ? stream : plain, i % 2 === 1);
    await Bun.sleep(1000);
    const afterMb = readMemory(gateway)?.rssMb ?? NaN;
    return { idleMb, afterMb, launcherMb: readMemory(launcher.pid)?.rssMb ?? NaN };
  } finally {
    await launcher.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const { flags } = Flags.parse(process.argv.slice(2));
const runs = flags.num("runs", 3);
const requests = flags.num("requests", 20);
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
      `run ${run}: idle ${reading.idleMb.toFixed(1)} MB, after ${requests} requests ${reading.afterMb.toFixed(1)} MB (launcher ${reading.launcherMb.toFixed(1)} MB)`,
    );
  }
  const mid = (pick: (r: Reading) => number) => summarize(readings.map(pick)).p50.toFixed(1);
  console.log(
    `\n${CONFIGS[config].path}: gateway RSS median of ${runs}: idle ${mid((r) => r.idleMb)} MB, after ${requests} requests ${mid((r) => r.afterMb)} MB`,
  );
  if (flags.has("parts")) {
    console.log(`\n${await idleParts(group, mock, CONFIGS[config].path)}`);
    console.log(`\n${await partCosts()}`);
  }
} finally {
  await group.stopAll();
}
