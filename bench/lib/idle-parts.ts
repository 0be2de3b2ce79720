/**
 * What the idle gateway is made of (bench/idle-memory.ts --parts): the packages a gateway started
 * in-process has loaded and its heap statistics (bench/lib/idle-probe.ts), and what each big part
 * costs imported alone into a fresh Bun process (RSS and JS heap over an empty one).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv, freePort, type ProcessGroup, ROOT } from "./proc.ts";
import type { Server } from "./servers.ts";

/** Parts whose cost is worth knowing, each as what a fresh process imports (or runs) to load it. */
const PARTS: { label: string; code: string }[] = [
  { label: "elysia", code: `await import("elysia")` },
  { label: "@babel/parser", code: `await import("@babel/parser")` },
  { label: "@pydantic/genai-prices", code: `await import("@pydantic/genai-prices")` },
  {
    label: "learned router model, loaded (with src/index.ts, the plugin API its features import)",
    code: `(await import("${ROOT}/plugins/classifiers/learned/default-model.ts")).defaultRouterModel()`,
  },
  {
    label: "complexity classifier (lexicons + learned model)",
    code: `(await import("${ROOT}/plugins/classifiers/complexity-classifier.ts")).complexityClassifier()`,
  },
  {
    label: "keyword classifier + default rules (with src/index.ts, the plugin API it imports)",
    code: `const k = await import("${ROOT}/plugins/classifiers/keyword-classifier.ts"); k.keywordClassifier({ rules: k.defaultKeywordRules })`,
  },
  {
    label: "SQLite store (drizzle, migrations)",
    code: `(await import("${ROOT}/src/store/db.ts")).openStore(":memory:")`,
  },
  {
    label: "a worker thread (empty module)",
    code: `const w = new Worker(URL.createObjectURL(new Blob(["postMessage(1)"])), { type: "module" }); await new Promise((r) => (w.onmessage = r))`,
  },
  {
    label: "every module of the gateway (src/start-gateway.ts, imported, not started)",
    code: `await import("${ROOT}/src/start-gateway.ts")`,
  },
];

/** A fresh process running `code`, collected, then its RSS and heap (MB). */
async function costOf(code: string): Promise<{ rssMb: number; heapMb: number }> {
  const script = `${code};
    Bun.gc(true); await Bun.sleep(200); Bun.gc(true);
    const { heapStats } = await import("bun:jsc");
    const h = heapStats();
    console.log(JSON.stringify({ rssMb: process.memoryUsage().rss / 2 ** 20, heapMb: (h.heapSize + h.extraMemorySize) / 2 ** 20 }));
    process.exit(0);`;
  const proc = Bun.spawn([process.execPath, "-e", script], { cwd: ROOT, env: cleanEnv(), stdout: "pipe" });
  const text = await new Response(proc.stdout).text();
  await proc.exited;
  return JSON.parse(text.trim().split("\n").at(-1) ?? "{}");
}

/** Each part's cost over an empty process, median of three. */
export async function partCosts(): Promise<string> {
  const median3 = async (code: string) => {
    const runs = [await costOf(code), await costOf(code), await costOf(code)];
    const mid = (pick: (r: { rssMb: number; heapMb: number }) => number) => runs.map(pick).sort((a, b) => a - b)[1]!;
    return { rssMb: mid((r) => r.rssMb), heapMb: mid((r) => r.heapMb) };
  };
  const empty = await median3("0");
  const lines = [
    `Each part imported alone into a fresh bun (after a full collection; empty process ${empty.rssMb.toFixed(1)} MB RSS, ${empty.heapMb.toFixed(1)} MB heap):`,
    "| part | RSS over empty (MB) | JS heap over empty (MB) |",
    "|---|---:|---:|",
  ];
  for (const part of PARTS) {
    const cost = await median3(part.code);
    lines.push(
      `| ${part.label} | ${(cost.rssMb - empty.rssMb).toFixed(1)} | ${(cost.heapMb - empty.heapMb).toFixed(1)} |`,
    );
  }
  return lines.join("\n");
}

/** The probe's report: a gateway restarted in-process on its data directory, idle, then after a few requests. */
export async function idleParts(group: ProcessGroup, mock: Server, configPath: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "smartroute-idle-"));
  try {
    // Twice on one data directory, the second reported: a restart, as bench/idle-memory.ts measures.
    await runProbe(group, mock, configPath, dataDir);
    return await runProbe(group, mock, configPath, dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runProbe(group: ProcessGroup, mock: Server, configPath: string, dataDir: string): Promise<string> {
  const probe = group.spawn({
    name: "idle probe",
    cmd: [process.execPath, "bench/lib/idle-probe.ts"],
    env: cleanEnv({
      MOCK_URL: `${mock.url}/v1`,
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_LOG_LEVEL: "warn",
      BUN_CONFIG_MAX_HTTP_REQUESTS: "4096",
      PROBE_CONFIG: join(ROOT, configPath),
      PROBE_PORT: String(freePort()),
      OPENAI_API_KEY: "",
      DEEPSEEK_API_KEY: "",
    }),
    captureStdout: true,
  });
  const out = await probe.stdout;
  await probe.proc.exited;
  if (probe.proc.exitCode !== 0) throw new Error(`idle probe failed:\n${probe.stderrTail()}`);
  return out.trim();
}
