/** Log list, detail, export and stats over a store filled through the real writer. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openStore, type Store } from "../../src/store/db.ts";
import { LogWriter } from "../../src/store/log-writer.ts";
import { exportLogs, getLog, listLogs } from "../../src/store/queries/logs.ts";
import { queryStats } from "../../src/store/queries/stats.ts";
import { SqliteRowSink } from "../../src/store/row-sink.ts";
import { silentLogger } from "../helpers/run-hooks.ts";
import { storeConfig, summary } from "../helpers/summaries.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
let store: Store;
const config = storeConfig({ pricing: { "a/small": { input: 1, output: 1 } } });
const tiers = ["t1", "t2", "t3"];
const models: Record<string, string> = { t1: "a/small", t2: "a/medium", t3: "b/large" };

beforeAll(async () => {
  store = openStore(":memory:");
  const writer = new LogWriter({ sink: new SqliteRowSink(store.sqlite), log: silentLogger(), flushIntervalMs: 10_000 });
  // 300 requests over the last 10 hours: every 7th failed, tiers in turn, latency 10·(i % 100) ms.
  for (let i = 0; i < 300; i++) {
    const tier = tiers[i % 3];
    const failed = i % 7 === 0;
    writer.enqueue(
      summary({
        id: `req_${String(i).padStart(3, "0")}`,
        ts: NOW - 10 * HOUR + i * 2 * 60_000,
        tier,
        model: models[tier],
        status: failed ? 502 : 200,
        errorCode: failed ? "upstream_error" : undefined,
        latencyMs: 10 * (i % 100) + 1,
        prompt: i === 42 ? "discount of 100% off" : i === 43 ? "discount of 1000 off" : `question ${i}`,
        apiKeyId: i % 2 === 0 ? "cfg_even" : "cfg_odd",
        door: i % 5 === 0 ? "messages" : i % 5 === 1 ? "responses" : undefined,
      }),
      config,
    );
  }
  // 20 requests a week earlier, for the previous-period comparison of a 7-day range.
  for (let i = 0; i < 20; i++) writer.enqueue(summary({ ts: NOW - 10 * DAY + i * HOUR }), config);
  await writer.close();
});
afterAll(() => store.close());

describe("listLogs", () => {
  test("pages newest first with a cursor, every row exactly once", () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = listLogs(store, { from: NOW - 11 * HOUR }, { cursor, limit: 70 });
      ids.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      if (cursor === undefined) break;
    }
    expect(ids.length).toBe(300);
    expect(new Set(ids).size).toBe(300);
    expect(ids[0]).toBe("req_299");
    expect(ids.at(-1)).toBe("req_000");
  });

  test("filters by status, tier, model, key and time, together", () => {
    const errors = listLogs(store, { status: "error", from: NOW - 11 * HOUR }, { limit: 500 }).items;
    expect(errors.length).toBe(Math.ceil(300 / 7));
    expect(errors.every((r) => r.status === 502)).toBe(true);
    const t2even = listLogs(store, { tier: "t2", apiKeyId: "cfg_even", from: NOW - 11 * HOUR }, { limit: 500 }).items;
    expect(t2even.length).toBe(50); // i % 3 == 1 and i even: i % 6 == 4
    expect(
      listLogs(store, { model: "b/large", status: "ok", from: NOW - 11 * HOUR }, { limit: 500 }).items.every(
        (r) => r.model === "b/large",
      ),
    ).toBe(true);
    const window = listLogs(store, { from: NOW - 10 * HOUR, to: NOW - 10 * HOUR + 10 * 60_000 }, { limit: 500 }).items;
    expect(window.map((r) => r.id).sort()).toEqual(["req_000", "req_001", "req_002", "req_003", "req_004"]);
  });

  test("text search is literal: % and _ are not wildcards", () => {
    const hits = listLogs(store, { q: "100%" }, { limit: 500 }).items;
    expect(hits.map((r) => r.id)).toEqual(["req_042"]);
    expect(listLogs(store, { q: "DISCOUNT" }, { limit: 500 }).items.length).toBe(2);
  });
});

describe("getLog", () => {
  test("returns the full request with parsed bodies and attempt trace", () => {
    const detail = getLog(store, "req_001")!;
    expect(detail.tier).toBe("t2");
    expect(detail.stream).toBe(false);
    expect((detail.requestBody as { messages: unknown[] }).messages.length).toBe(1);
    expect((detail.attemptTrace[0] as { target: string }).target).toBe("a/medium");
    expect(getLog(store, "req_missing")).toBeUndefined();
  });
});

describe("exportLogs", () => {
  test("CSV: a header and one line per row, formulas neutralised", async () => {
    const text = await new Response(exportLogs(store, { from: NOW - 11 * HOUR }, "csv")).text();
    const lines = text.trimEnd().split("\n");
    expect(lines[0].startsWith("id,ts,requestedModel,tier")).toBe(true);
    expect(lines.length).toBe(301);
  });

  test("JSONL: one full row per line, streamed in pages", async () => {
    const text = await new Response(exportLogs(store, {}, "jsonl")).text();
    const rows = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.length).toBe(320);
    expect(new Set(rows.map((r) => r.id)).size).toBe(320);
    expect(rows[0].requestBody.messages).toHaveLength(1);
  });
});

describe("queryStats", () => {
  test("totals equal the rows they summarise", () => {
    const stats = queryStats(store, { from: NOW - 11 * HOUR, to: NOW });
    expect(stats.resolution).toBe("minute");
    expect(stats.totals.requests).toBe(300);
    expect(stats.totals.errors).toBe(Math.ceil(300 / 7));
    expect(stats.totals.errorRate).toBeCloseTo(43 / 300, 6);
    expect(stats.totals.attemptsPerRequest).toBe(1);
    expect(stats.byTier.map((t) => t.requests)).toEqual([100, 100, 100]);
    const row = store.sqlite
      .query("SELECT avg(latency_ms) AS avg FROM requests WHERE ts >= ?")
      .get(NOW - 11 * HOUR) as { avg: number };
    expect(stats.totals.latencyMs.avg).toBeCloseTo(row.avg, 6);
  });

  test("requests per front door: chat completions and each door, with their failures", () => {
    const stats = queryStats(store, { from: NOW - 11 * HOUR, to: NOW });
    const indexes = [...Array(300).keys()];
    const of = (door: string, pick: (i: number) => boolean) => {
      const mine = indexes.filter(pick);
      return { door, requests: mine.length, errors: mine.filter((i) => i % 7 === 0).length, failedOver: 0 };
    };
    expect(stats.byDoor.map(({ latencyMsAvg: _, ...rest }) => rest)).toEqual([
      of("chat", (i) => i % 5 > 1),
      of("messages", (i) => i % 5 === 0),
      of("responses", (i) => i % 5 === 1),
    ]);
    const messages = indexes.filter((i) => i % 5 === 0);
    const avg = messages.reduce((n, i) => n + 10 * (i % 100) + 1, 0) / messages.length;
    expect(stats.byDoor[1].latencyMsAvg).toBeCloseTo(avg, 6);
  });

  test("percentiles land in the right histogram bucket", () => {
    const stats = queryStats(store, { from: NOW - 11 * HOUR, to: NOW });
    // latencies are 1, 11, ..., 991 ms, three times over: the true median is about 500 ms
    expect(stats.totals.latencyMs.p50!).toBeGreaterThan(300);
    expect(stats.totals.latencyMs.p50!).toBeLessThanOrEqual(750);
    expect(stats.totals.latencyMs.p99!).toBeGreaterThan(750);
    expect(stats.totals.latencyMs.p99!).toBeLessThanOrEqual(1000);
  });

  test("the series covers the range in even buckets, stacked by tier", () => {
    const stats = queryStats(store, { from: NOW - 11 * HOUR, to: NOW });
    expect(stats.series.length).toBe(Math.ceil((11 * HOUR) / stats.bucketMs));
    expect(stats.series.length).toBeLessThanOrEqual(120);
    expect(stats.series.reduce((n, p) => n + p.requests, 0)).toBe(300);
    const sumByTier = stats.series.reduce((n, p) => n + (p.byTier.t1 ?? 0), 0);
    expect(sumByTier).toBe(100);
  });

  test("long ranges use the daily rollup and compare with the period before", () => {
    const stats = queryStats(store, { from: NOW - 7 * DAY, to: NOW });
    expect(stats.resolution).toBe("day");
    expect(stats.totals.requests).toBe(300);
    expect(stats.previous.requests).toBe(20);
    expect(stats.series.length).toBe(8); // whole UTC days around the range
  });

  test("a tier or model filter narrows everything", () => {
    const stats = queryStats(store, { from: NOW - 11 * HOUR, to: NOW, model: "a/small" });
    expect(stats.totals.requests).toBe(85); // t1 is i % 3 == 0; the 15 with i % 21 == 0 failed and have no final model
    expect(stats.totals.costUsd).toBeGreaterThan(0);
  });
});
