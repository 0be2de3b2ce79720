/**
 * Request log queries on a generated database of 1,000,000 rows (30 days of traffic), timed.
 * `bun bench/store-queries.ts [--rows 1000000] [--keep]`. Builds the database in a temp directory with
 * the real schema, the writer's insert and rollups, then times each query several times (median).
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../src/store/db.ts";
import { countLogs, exportLogs, getLog, listLogs } from "../src/store/queries/logs.ts";
import { refusedTotals } from "../src/store/queries/refused.ts";
import { queryStats } from "../src/store/queries/stats.ts";
import type { RequestRow } from "../src/store/record.ts";
import { Rollups } from "../src/store/rollups.ts";

const args = process.argv.slice(2);
const ROWS = Number(args[args.indexOf("--rows") + 1]) || 1_000_000;
const DAY = 86_400_000;
const NOW = Date.now();
const START = NOW - 30 * DAY;

const dir = mkdtempSync(join(tmpdir(), "smartroute-store-bench-"));
const store = openStore(dir);
const tiers = ["t1", "t1", "t1", "t2", "t2", "t3"];
const models: Record<string, string[]> = {
  t1: ["deepseek/deepseek-chat", "openai/gpt-4o-mini"],
  t2: ["openai/gpt-4.1", "claude/sonnet"],
  t3: ["openai/o3"],
};
const words = ["refactor", "translate", "summarise", "prove", "explain", "debug", "write", "plan", "compare", "list"];

/** An attempt of the trace, as the pipeline writes it. */
const attempt = (target: string, at: number, outcome: string, status: number, reason: string) => ({
  target,
  startedAt: at,
  durationMs: 120,
  outcome,
  status,
  reason,
});

function row(i: number): RequestRow {
  const tier = tiers[i % tiers.length];
  const refused = i % 101 === 50;
  const failed = !refused && i % 37 === 0;
  // One request in 23 is rescued: its first target failed, the next one answered.
  const rescued = !refused && !failed && i % 23 === 0;
  const latency = 200 + ((i * 7919) % 5000);
  const prompt = `${words[i % words.length]} item ${i} ${i % 1000 === 7 ? "needle-term" : ""}`;
  const ts = START + Math.floor((i / ROWS) * 30 * DAY);
  const pool = models[tier];
  const model = pool[i % pool.length];
  const other = pool[(i + 1) % pool.length];
  const trace = refused
    ? []
    : failed
      ? [
          attempt(model, ts, "retry", 503, "503: retry"),
          attempt(model, ts + 200, "failover", 503, "503: failover"),
          attempt(other, ts + 400, "fail", 502, "502: no target left"),
        ]
      : rescued
        ? [
            attempt(other, ts, "failover", 429, "429 rate limited"),
            attempt(model, ts + 150, "accepted", 200, "healthy"),
          ]
        : [attempt(model, ts, "accepted", 200, "healthy answer")];
  return {
    id: `req_${i.toString(36).padStart(8, "0")}`,
    ts,
    apiKeyId: `key_${i % 5}`,
    clientIp: "10.0.0.1",
    requestedModel: refused ? "" : "auto",
    tier: refused ? "" : tier,
    tierReason: refused ? null : "keywords",
    model: failed || refused ? null : model,
    status: refused ? 401 : failed ? 502 : 200,
    errorCode: refused ? "invalid_api_key" : failed ? "upstream_error" : null,
    errorMessage: refused ? "Invalid API key." : failed ? "All attempts failed" : null,
    latencyMs: refused ? 0.2 : latency,
    ttftMs: refused ? null : latency / 3,
    overheadMs: 0.3,
    attempts: trace.length,
    attemptTrace: JSON.stringify(trace),
    promptTokens: refused ? null : 120,
    completionTokens: refused ? null : 300,
    tokenSource: refused ? null : "upstream",
    costUsd: refused || failed ? null : 0.0004 + (i % 13) / 1e5,
    costMicros: refused || failed ? null : 400 + (i % 13) * 10,
    stream: i % 2 === 0,
    promptPreview: refused ? null : prompt,
    requestBody: refused ? null : JSON.stringify({ model: "auto", messages: [{ role: "user", content: prompt }] }),
    responseBody: refused
      ? null
      : JSON.stringify({ choices: [{ message: { role: "assistant", content: `answer ${i} `.repeat(20) } }] }),
    refused,
  };
}

function generate(): number {
  const started = performance.now();
  const columns = [
    "id",
    "ts",
    "api_key_id",
    "client_ip",
    "requested_model",
    "tier",
    "tier_reason",
    "model",
    "status",
    "error_code",
    "error_message",
    "latency_ms",
    "ttft_ms",
    "overhead_ms",
    "attempts",
    "attempt_trace",
    "prompt_tokens",
    "completion_tokens",
    "token_source",
    "cost_usd",
    "cost_micros",
    "stream",
    "prompt_preview",
    "request_body",
    "response_body",
    "refused",
  ];
  const insert = store.sqlite.prepare(
    `INSERT INTO requests (${columns.join(",")}) VALUES (${columns.map(() => "?").join(",")})`,
  );
  const rollups = new Rollups(store.sqlite);
  const BATCH = 20_000;
  for (let from = 0; from < ROWS; from += BATCH) {
    const rows: RequestRow[] = [];
    for (let i = from; i < Math.min(ROWS, from + BATCH); i++) rows.push(row(i));
    store.sqlite.transaction(() => {
      for (const r of rows)
        insert.run(
          r.id,
          r.ts,
          r.apiKeyId ?? null,
          r.clientIp ?? null,
          r.requestedModel,
          r.tier,
          r.tierReason ?? null,
          r.model ?? null,
          r.status,
          r.errorCode ?? null,
          r.errorMessage ?? null,
          r.latencyMs,
          r.ttftMs ?? null,
          r.overheadMs,
          r.attempts,
          r.attemptTrace,
          r.promptTokens ?? null,
          r.completionTokens ?? null,
          r.tokenSource ?? null,
          r.costUsd ?? null,
          r.costMicros ?? null,
          r.stream ? 1 : 0,
          r.promptPreview ?? null,
          r.requestBody ?? null,
          r.responseBody ?? null,
          r.refused ? 1 : 0,
        );
      rollups.add(
        rows,
        rows.map((r) => (r.attempts > 1 ? 1 : 0)),
      );
    })();
  }
  return performance.now() - started;
}

function time(name: string, fn: () => unknown, runs = 5): { name: string; medianMs: number; result: string } {
  const times: number[] = [];
  let result: unknown;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const summary = Array.isArray(result)
    ? `${result.length} items`
    : typeof result === "object" && result && "items" in result
      ? `${(result as { items: unknown[] }).items.length} items`
      : String(result ?? "").slice(0, 40);
  return { name, medianMs: times[Math.floor(runs / 2)], result: summary };
}

console.log(`generating ${ROWS.toLocaleString()} rows over 30 days...`);
const genMs = generate();
const sizeMb =
  statSync(store.path).size / 1_048_576 +
  (() => {
    try {
      return statSync(`${store.path}-wal`).size / 1_048_576;
    } catch {
      return 0;
    }
  })();
console.log(
  `generated in ${(genMs / 1000).toFixed(1)} s (${Math.round(ROWS / (genMs / 1000)).toLocaleString()} rows/s), database ${sizeMb.toFixed(0)} MB\n`,
);

const middle = store.sqlite
  .query("SELECT ts, seq FROM requests ORDER BY ts DESC, seq DESC LIMIT 1 OFFSET ?")
  .get(Math.floor(ROWS / 2)) as { ts: number; seq: number };
const deep = `${middle.ts}:${middle.seq}`;
const slowest = listLogs(store, {}, { limit: 50 }, { by: "latency" });
const results = [
  time("logs: newest page (50)", () => listLogs(store, {})),
  time("logs count: everything (capped at 100k)", () => countLogs(store, {}).total),
  time(
    "logs count: errors of tier t2, last 7 days",
    () => countLogs(store, { status: "error", tier: "t2", from: NOW - 7 * DAY }).total,
  ),
  time("logs count: attempted on claude/sonnet", () => countLogs(store, { attempted: "claude/sonnet" }).total),
  time("logs: page at depth 500k (keyset)", () => listLogs(store, {}, { cursor: deep })),
  time("logs: slowest first, first page", () => listLogs(store, {}, {}, { by: "latency" })),
  time("logs: slowest first, second page (keyset)", () =>
    listLogs(store, {}, { cursor: slowest.nextCursor }, { by: "latency" }),
  ),
  time("logs: dearest first, last 24 h", () => listLogs(store, { from: NOW - DAY }, {}, { by: "cost" })),
  time("logs: attempted on claude/sonnet (any attempt)", () => listLogs(store, { attempted: "claude/sonnet" })),
  time("logs: failed over, last 7 days", () => listLogs(store, { failedOver: true, from: NOW - 7 * DAY })),
  time("logs: refused 401s", () => listLogs(store, { refused: true, status: 401 })),
  time("logs: slower than 5 s, streamed", () => listLogs(store, { minLatencyMs: 5_000, stream: true })),
  time("refused totals: last 30 days", () => refusedTotals(store, { from: NOW - 30 * DAY, to: NOW }).requests),
  time("logs: errors of tier t2, last 7 days", () =>
    listLogs(store, { status: "error", tier: "t2", from: NOW - 7 * DAY }),
  ),
  time("logs: one model, one key", () => listLogs(store, { model: "openai/o3", apiKeyId: "key_3" })),
  time("logs: text search (common word)", () => listLogs(store, { q: "translate" })),
  time("logs: text search (rare, last 24 h)", () => listLogs(store, { q: "needle-term", from: NOW - DAY })),
  time("logs: text search (rare, all 30 days)", () => listLogs(store, { q: "needle-term" }), 3),
  time("log detail by id", () => getLog(store, "req_00000100")?.id),
  time("stats: last hour", () => queryStats(store, { from: NOW - 3_600_000, to: NOW }).totals.requests),
  time("stats: last 24 hours", () => queryStats(store, { from: NOW - DAY, to: NOW }).totals.requests),
  time("stats: last 7 days", () => queryStats(store, { from: NOW - 7 * DAY, to: NOW }).totals.requests),
  time("stats: last 30 days", () => queryStats(store, { from: NOW - 30 * DAY, to: NOW }).totals.requests),
];
const exportStart = performance.now();
const exported = (await new Response(exportLogs(store, { from: NOW - 3 * DAY }, "csv")).text()).split("\n").length - 2;
const exportMs = performance.now() - exportStart;
results.push({
  name: "export CSV, last 3 days",
  medianMs: exportMs,
  result: `${exported} rows (${Math.round(exported / (exportMs / 1000)).toLocaleString()} rows/s)`,
});

console.log("| query | median ms | result |\n|---|---:|---|");
for (const r of results) console.log(`| ${r.name} | ${r.medianMs.toFixed(2)} | ${r.result} |`);
await Bun.write(
  new URL("./results/store-queries.json", import.meta.url),
  JSON.stringify({ rows: ROWS, generateMs: genMs, sizeMb, results }, null, 2),
);
store.close();
if (!args.includes("--keep")) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
