/**
 * The log list answers "where did this model fail and who rescued it": filters on any attempt's target,
 * on failing over (more than one target), on retries, streaming, the requested model and latency; refused
 * requests by status, code and reason; rows in the order of the time they show; sorts by time, latency and
 * cost whose keyset pages hold every row once; the count of what matches; and exports with ISO times,
 * rounded numbers, the API's names and nested JSON. Over a store filled through the real writer.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Refusal } from "../../src/pipeline/refusal.ts";
import type { AttemptSummary } from "../../src/plugin/types.ts";
import { openStore, type Store } from "../../src/store/db.ts";
import { LogWriter } from "../../src/store/log-writer.ts";
import { countLogs, exportLogs, getLog, type LogFilter, type LogSort, listLogs } from "../../src/store/queries/logs.ts";
import { refusedTotals } from "../../src/store/queries/refused.ts";
import { queryStats } from "../../src/store/queries/stats.ts";
import { SqliteRowSink } from "../../src/store/row-sink.ts";
import { silentLogger } from "../helpers/run-hooks.ts";
import { storeConfig, summary } from "../helpers/summaries.ts";

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const MIN = 60_000;
let store: Store;
const config = storeConfig({ pricing: { "a/small": { input: 1, output: 1 }, "b/small": { input: 3, output: 3 } } });

const at = (target: string, outcome: AttemptSummary["outcome"], status: number, reason: string, ts = T0) => ({
  target,
  startedAt: ts,
  durationMs: 12.345,
  outcome,
  status,
  reason,
});

function refusal(id: string, ts: number, fields: Partial<Refusal> = {}): Refusal {
  return {
    id,
    startedAt: ts,
    finishedAt: ts + 0.25,
    door: "chat",
    client: { ip: "10.0.0.7" },
    status: 401,
    code: "invalid_api_key",
    message: "Invalid API key.",
    ...fields,
  };
}

beforeAll(async () => {
  store = openStore(":memory:");
  const writer = new LogWriter({ sink: new SqliteRowSink(store.sqlite), log: silentLogger(), flushIntervalMs: 10_000 });
  const add = (s: ReturnType<typeof summary>, requested?: string) => {
    if (requested) s.request.requestedModel = requested;
    writer.enqueue(s, config);
  };
  // Rescued: a/small failed over, b/small answered.
  add(
    summary({
      id: "rescued",
      ts: T0 + 1 * MIN,
      model: "b/small",
      latencyMs: 900,
      attempts: [at("a/small", "failover", 503, "503: failover"), at("b/small", "accepted", 200, "healthy")],
    }),
  );
  // Retried on the same target, then answered: two attempts, one target.
  add(
    summary({
      id: "retried",
      ts: T0 + 2 * MIN,
      model: "a/small",
      latencyMs: 400,
      attempts: [at("a/small", "retry", 503, "503: retry"), at("a/small", "accepted", 200, "healthy")],
    }),
  );
  // Failed everywhere: the last attempt says where and why.
  add(
    summary({
      id: "failed",
      ts: T0 + 3 * MIN,
      status: 502,
      errorCode: "upstream_error",
      latencyMs: 1500,
      attempts: [
        at("a/small", "failover", 503, "503: failover"),
        at("b/small", "fail", 500, "500: failover; no other target to fail over to"),
      ],
    }),
  );
  // Streamed, slow, asked for t2 by name.
  add(summary({ id: "slow-stream", ts: T0 + 4 * MIN, model: "b/large", stream: true, latencyMs: 6000 }), "t2");
  // Plain ones, latencies with ties (keyset pages must hold each once), and a late writer:
  // "long" started first and finished last, so it is written last but shown (and listed) by its start.
  for (let i = 0; i < 6; i++)
    add(summary({ id: `plain-${i}`, ts: T0 + (10 + i) * MIN, latencyMs: i % 2 === 0 ? 300 : 700 }));
  add(summary({ id: "long", ts: T0 + 5 * MIN, latencyMs: 20 * MIN }));
  // Refused before routing: two bad keys, a key's rate limit, a key's tier.
  writer.enqueueRefusal(refusal("refused-1", T0 + 20 * MIN), config);
  writer.enqueueRefusal(refusal("refused-2", T0 + 21 * MIN), config);
  writer.enqueueRefusal(
    refusal("refused-rpm", T0 + 22 * MIN, {
      status: 429,
      code: "rate_limited",
      message: "This API key allows 5 requests per minute; retry in 12 s.",
      client: { ip: "10.0.0.8", apiKeyId: "key_rpm" },
    }),
    config,
  );
  writer.enqueueRefusal(
    refusal("refused-tier", T0 + 23 * MIN, {
      status: 403,
      code: "forbidden",
      message: "This API key may not use tier t3 (allowed: t1).",
      client: { apiKeyId: "key_t1" },
      requestedModel: "t3",
      tier: "t3",
      text: "hard question",
      body: '{"model":"t3","messages":[{"role":"user","content":"hard question"}]}',
      stream: true,
    }),
    config,
  );
  await writer.close();
});
afterAll(() => store.close());

const ids = (filter: LogFilter, sort?: LogSort) => listLogs(store, filter, { limit: 500 }, sort).items.map((r) => r.id);

describe("filters", () => {
  test("attempted: any attempt on the target, not only the one that answered", () => {
    expect(ids({ attempted: "a/small" }).sort()).toEqual(
      ["failed", "rescued", "retried", ...[0, 1, 2, 3, 4, 5].map((i) => `plain-${i}`), "long"].sort(),
    );
    expect(ids({ attempted: "b/small" }).sort()).toEqual(["failed", "rescued"]);
    expect(ids({ attempted: "b/small", model: "b/small" })).toEqual(["rescued"]);
    expect(ids({ attempted: "a/smal" })).toEqual([]); // a target's whole name, not a prefix
  });

  test("failed over: attempts on more than one target (a retry on one is not)", () => {
    expect(ids({ failedOver: true })).toEqual(["failed", "rescued"]);
    expect(ids({ failedOver: false })).not.toContain("rescued");
    expect(ids({ failedOver: false })).toContain("retried");
    expect(ids({ minAttempts: 2 })).toEqual(["failed", "retried", "rescued"]);
  });

  test("streamed, requested model, slower than", () => {
    expect(ids({ stream: true })).toEqual(["refused-tier", "slow-stream"]);
    expect(ids({ requestedModel: "t2" })).toEqual(["slow-stream"]);
    expect(ids({ minLatencyMs: 1500 })).toEqual(["long", "slow-stream"]); // above: 1500 itself is not
    expect(ids({ minLatencyMs: 1000, stream: false })).toEqual(["long", "failed"]);
  });

  test("refused requests by refused, status, code and reason (the search reads error messages)", () => {
    expect(ids({ refused: true })).toEqual(["refused-tier", "refused-rpm", "refused-2", "refused-1"]);
    expect(ids({ refused: false })).toHaveLength(11);
    expect(ids({ status: 429 })).toEqual(["refused-rpm"]);
    expect(ids({ errorCode: "invalid_api_key" })).toEqual(["refused-2", "refused-1"]);
    expect(ids({ q: "requests per minute" })).toEqual(["refused-rpm"]);
    expect(ids({ apiKeyId: "key_t1", tier: "t3" })).toEqual(["refused-tier"]);
  });

  test("a refused row: no route, no attempt; its body only when the refusal kept it", () => {
    const bad = getLog(store, "refused-1")!;
    expect(bad).toMatchObject({
      refused: true,
      status: 401,
      errorClass: "invalid_api_key",
      errorMessage: "Invalid API key.",
      requestedModel: "",
      tier: "",
      model: null,
      attempts: 0,
      attemptTrace: [],
      lastFailure: null,
      failedOver: false,
      requestBody: null,
      clientIp: "10.0.0.7",
      latencyMs: 0.25,
    });
    const tier = getLog(store, "refused-tier")!;
    expect(tier).toMatchObject({ requestedModel: "t3", tier: "t3", promptPreview: "hard question", stream: true });
    expect(tier.requestBody).toEqual({ model: "t3", messages: [{ role: "user", content: "hard question" }] });
  });

  test("refused rows are in no rollup: the stats count routed requests only", () => {
    const stats = queryStats(store, { from: T0, to: T0 + 60 * MIN });
    expect(stats.totals.requests).toBe(11);
    expect(stats.byTier.map((t) => t.tier)).not.toContain("");
  });
});

describe("the failure in the row", () => {
  test("a failed request: the last failing target and its reason", () => {
    const [failed] = listLogs(store, { status: 502 }).items;
    expect(failed.lastFailure).toEqual({
      target: "b/small",
      status: 500,
      errorClass: null,
      reason: "500: failover; no other target to fail over to",
    });
    expect(failed.failedOver).toBe(true);
    expect(failed.errorMessage).toBe("failed");
  });

  test("a rescued request: what it was rescued from; a plain one: nothing", () => {
    const byId = new Map(listLogs(store, {}, { limit: 500 }).items.map((r) => [r.id, r]));
    expect(byId.get("rescued")?.lastFailure).toMatchObject({ target: "a/small", reason: "503: failover" });
    expect(byId.get("plain-0")?.lastFailure).toBeNull();
  });
});

describe("order, paging and count", () => {
  /** Every row, page after page of `limit`, following nextCursor. */
  function pages(filter: LogFilter, sort: LogSort, limit = 3): string[] {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 100; n++) {
      const page = listLogs(store, filter, { cursor, limit }, sort);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      if (cursor === undefined) return seen;
    }
    throw new Error("paging did not end");
  }

  test("by the time shown, newest first: a late-written request sits where it started", () => {
    const list = listLogs(store, {}, { limit: 500 }).items;
    const times = list.map((r) => r.ts);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(ids({ refused: false }).indexOf("long")).toBe(ids({ refused: false }).indexOf("slow-stream") - 1);
  });

  test("every sort pages through every row exactly once, in its order", () => {
    const all = listLogs(store, {}, { limit: 500 }).items;
    const total = all.length;
    for (const by of ["ts", "latency", "cost"] as const)
      for (const order of ["desc", "asc"] as const) {
        const seen = pages({}, { by, order });
        expect(new Set(seen).size).toBe(total);
        expect(seen).toEqual(ids({}, { by, order }));
      }
  });

  test("latency and cost orders, unpriced last when dearest first", () => {
    const slowest = listLogs(store, { refused: false }, { limit: 3 }, { by: "latency" }).items;
    expect(slowest.map((r) => r.id)).toEqual(["long", "slow-stream", "failed"]);
    const fastest = listLogs(store, { refused: false }, { limit: 1 }, { by: "latency", order: "asc" }).items;
    expect(fastest[0].latencyMs).toBe(300);
    const dearest = listLogs(store, {}, { limit: 500 }, { by: "cost" }).items;
    expect(dearest[0].id).toBe("rescued"); // answered by b/small, priced three times a/small
    const costs = dearest.map((r) => r.costUsd);
    const priced = costs.filter((c) => c !== null) as number[];
    expect(priced).toEqual([...priced].sort((a, b) => b - a));
    expect(costs.slice(priced.length).every((c) => c === null)).toBe(true);
  });

  test("a page's cursor is valid for its sort only in form: a bad one starts from the top", () => {
    expect(listLogs(store, {}, { cursor: "nonsense", limit: 2 }).items.map((r) => r.id)).toEqual(ids({}).slice(0, 2));
  });

  test("the count of what matches", () => {
    expect(countLogs(store, {})).toEqual({ total: 15, capped: false });
    expect(countLogs(store, { refused: true }).total).toBe(4);
    expect(countLogs(store, { attempted: "b/small", failedOver: true }).total).toBe(2);
  });
});

describe("refused totals", () => {
  test("by code and status, most first; the previous period; a tier; a model has none", () => {
    const totals = refusedTotals(store, { from: T0, to: T0 + 60 * MIN });
    expect(totals).toEqual({
      requests: 4,
      previous: 0,
      byCode: [
        { code: "invalid_api_key", status: 401, requests: 2 },
        { code: "forbidden", status: 403, requests: 1 },
        { code: "rate_limited", status: 429, requests: 1 },
      ],
    });
    expect(refusedTotals(store, { from: T0 + 60 * MIN, to: T0 + 120 * MIN }).previous).toBe(4);
    expect(refusedTotals(store, { from: T0, to: T0 + 60 * MIN, tier: "t3" }).requests).toBe(1);
    expect(refusedTotals(store, { from: T0, to: T0 + 60 * MIN, model: "a/small" }).requests).toBe(0);
  });
});

describe("exports", () => {
  const read = (format: "csv" | "jsonl", filter: LogFilter = {}, sort?: LogSort) =>
    new Response(exportLogs(store, filter, format, sort)).text();

  test("CSV: the API's names, ISO times, ms to 0.1, USD to 6 decimals, the failure flattened", async () => {
    const [header, ...lines] = (await read("csv", { failedOver: true })).trimEnd().split("\n");
    const columns = header.split(",");
    expect(columns.slice(0, 4)).toEqual(["id", "ts", "requestedModel", "tier"]);
    expect(columns.every((c) => /^[a-z][a-zA-Z]*$/.test(c))).toBe(true); // camelCase, as GET /api/logs
    const rows = lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [columns[i], cell])));
    expect(rows.map((r) => r.id)).toEqual(["failed", "rescued"]);
    const rescued = rows[1];
    expect(rescued.ts).toBe(new Date(T0 + MIN).toISOString());
    expect(rescued.latencyMs).toBe("900");
    expect(rescued.costUsd).toMatch(/^\d+\.\d{6}$/);
    expect(rescued).toMatchObject({ failedOver: "true", failedTarget: "a/small", failedReason: "503: failover" });
    expect(rows[0]).toMatchObject({ status: "502", errorClass: "upstream_error", failedTarget: "b/small" });
  });

  test("CSV: a refused row says so", async () => {
    const [header, ...lines] = (await read("csv", { refused: true })).trimEnd().split("\n");
    const columns = header.split(",");
    const first = Object.fromEntries(lines[lines.length - 1].split(",").map((cell, i) => [columns[i], cell]));
    expect(first).toMatchObject({ id: "refused-1", refused: "true", status: "401", latencyMs: "0.3" });
  });

  test("JSONL: the detail's shape, attempts and bodies as nested JSON, times ISO, numbers rounded", async () => {
    const rows = (await read("jsonl"))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBe(15);
    for (const row of rows) for (const key of Object.keys(row)) expect(key).toMatch(/^[a-z][a-zA-Z]*$/);
    const rescued = rows.find((r) => r.id === "rescued")!;
    expect(rescued.ts).toBe(new Date(T0 + MIN).toISOString());
    const trace = rescued.attemptTrace as { target: string; startedAt: string; durationMs: number }[];
    expect(Array.isArray(trace)).toBe(true);
    expect(trace[0]).toMatchObject({ target: "a/small", startedAt: new Date(T0).toISOString(), durationMs: 12.3 });
    expect((rescued.requestBody as { messages: unknown[] }).messages).toHaveLength(1);
    expect(typeof rescued.costDetail).toBe("object");
    expect(String(rescued.costUsd).replace(/^\d+\./, "").length).toBeLessThanOrEqual(6);
    expect(rescued.lastFailure).toMatchObject({ target: "a/small" });
    expect("seq" in rescued).toBe(false);
  });

  test("an export follows the list's order", async () => {
    const lines = (await read("jsonl", { refused: false }, { by: "latency" })).trimEnd().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(ids({ refused: false }, { by: "latency" }));
  });
});
