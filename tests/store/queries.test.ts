/**
 * Log list, count, detail, export, stats and refused requests over a store filled through the real
 * writer: one suite, run against SQLite and (when one answers) the real PostgreSQL, through the same
 * reader interface the admin API uses; then the two stores' answers compared with each other (the
 * filters, sorts and exports of tests/store/log-filters.test.ts among them).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Refusal } from "../../src/pipeline/refusal.ts";
import type { AttemptSummary } from "../../src/plugin/types.ts";
import { openStore } from "../../src/store/db.ts";
import { type LogReader, sqliteLogReader } from "../../src/store/log-reader.ts";
import { LogWriter } from "../../src/store/log-writer.ts";
import { PgRowSink } from "../../src/store/pg/pg-row-sink.ts";
import { pgLogReader } from "../../src/store/pg/pg-run.ts";
import { openPgStore } from "../../src/store/pg/pg-store.ts";
import type { LogFilter, LogSort } from "../../src/store/queries/logs.ts";
import { type RowSink, SqliteRowSink } from "../../src/store/row-sink.ts";
import { freshSchema, PG_URL, pgAnswers } from "../helpers/postgres.ts";
import { silentLogger } from "../helpers/run-hooks.ts";
import { storeConfig, summary } from "../helpers/summaries.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const config = storeConfig({ pricing: { "a/small": { input: 1, output: 1 } } });
const tiers = ["t1", "t2", "t3"];
const models: Record<string, string> = { t1: "a/small", t2: "a/medium", t3: "b/large" };

/** A store under test: where the writer writes, what the admin API reads, and one raw query to check against. */
interface OpenBackend {
  sink: RowSink;
  reader: LogReader;
  avgLatencySince(ts: number): Promise<number>;
  close(): Promise<void>;
}

const backends: { name: string; skip: boolean; open(): Promise<OpenBackend> }[] = [
  {
    name: "SQLite",
    skip: false,
    async open() {
      const store = openStore(":memory:");
      return {
        sink: new SqliteRowSink(store.sqlite),
        reader: sqliteLogReader(store),
        async avgLatencySince(ts) {
          return (
            store.sqlite.query("SELECT avg(latency_ms) AS avg FROM requests WHERE ts >= ?").get(ts) as { avg: number }
          ).avg;
        },
        close: async () => store.close(),
      };
    },
  },
  {
    name: "PostgreSQL",
    skip: !pgAnswers,
    async open() {
      const fresh = await freshSchema();
      const pg = await openPgStore(PG_URL, { schema: fresh.schema });
      return {
        sink: new PgRowSink(pg),
        reader: pgLogReader(pg.sql),
        async avgLatencySince(ts) {
          const [row] = await pg.sql`SELECT avg(latency_ms) AS avg FROM requests WHERE ts >= ${ts}`;
          return row.avg;
        },
        async close() {
          await pg.close();
          await fresh.drop();
        },
      };
    },
  },
];

/** The same 320 requests into any store, through the real writer. */
async function fill(sink: RowSink): Promise<void> {
  const writer = new LogWriter({ sink, log: silentLogger(), flushIntervalMs: 10_000 });
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
  for (let i = 0; i < 20; i++) writer.enqueue(summary({ id: `req_week_${i}`, ts: NOW - 10 * DAY + i * HOUR }), config);
  await writer.close();
}

const MIN = 60_000;
const at = (target: string, outcome: AttemptSummary["outcome"], status: number, reason: string) => ({
  target,
  startedAt: NOW,
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

/** Failovers, retries, a stream, costs and refused requests (the log's filters, sorts and counts). */
async function fillFilters(sink: RowSink): Promise<void> {
  const writer = new LogWriter({ sink, log: silentLogger(), flushIntervalMs: 10_000 });
  const add = (s: ReturnType<typeof summary>, requested?: string) => {
    if (requested) s.request.requestedModel = requested;
    writer.enqueue(s, config);
  };
  add(
    summary({
      id: "rescued",
      ts: NOW + 1 * MIN,
      model: "b/small",
      latencyMs: 900,
      attempts: [at("a/small", "failover", 503, "503: failover"), at("b/small", "accepted", 200, "healthy")],
    }),
  );
  add(
    summary({
      id: "retried",
      ts: NOW + 2 * MIN,
      model: "a/small",
      latencyMs: 400,
      attempts: [at("a/small", "retry", 503, "503: retry"), at("a/small", "accepted", 200, "healthy")],
    }),
  );
  add(
    summary({
      id: "failed",
      ts: NOW + 3 * MIN,
      status: 502,
      errorCode: "upstream_error",
      latencyMs: 1500,
      attempts: [at("a/small", "failover", 503, "503: failover"), at("b/small", "fail", 500, "500: no other target")],
    }),
  );
  add(summary({ id: "slow-stream", ts: NOW + 4 * MIN, model: "b/large", stream: true, latencyMs: 6000 }), "t2");
  for (let i = 0; i < 6; i++)
    add(summary({ id: `plain-${i}`, ts: NOW + (10 + i) * MIN, latencyMs: i % 2 === 0 ? 300 : 700 }));
  writer.enqueueRefusal(refusal("refused-1", NOW + 20 * MIN), config);
  writer.enqueueRefusal(refusal("refused-2", NOW + 21 * MIN), config);
  writer.enqueueRefusal(
    refusal("refused-tier", NOW + 23 * MIN, {
      status: 403,
      code: "forbidden",
      message: "This API key may not use tier t3 (allowed: t1).",
      client: { apiKeyId: "key_t1" },
      requestedModel: "t3",
      tier: "t3",
      text: "hard question",
      stream: true,
    }),
    config,
  );
  await writer.close();
}

/** Filters and sorts whose answers must be the same on both stores. */
const FILTERS: LogFilter[] = [
  {},
  { attempted: "a/small" },
  { failedOver: true },
  { failedOver: false },
  { minAttempts: 2 },
  { stream: true },
  { stream: false, refused: false },
  { requestedModel: "t2" },
  { minLatencyMs: 800 },
  { refused: true },
  { refused: true, errorCode: "forbidden" },
  { q: "INVALID api" },
  { tier: "t1", door: "chat" },
];
const SORTS: LogSort[] = [{}, { order: "asc" }, { by: "latency" }, { by: "cost" }, { by: "cost", order: "asc" }];

const opened = new Map<string, OpenBackend>();

for (const backend of backends)
  describe.skipIf(backend.skip)(backend.name, () => {
    let reader: LogReader;
    let avgLatencySince: (ts: number) => Promise<number>;
    beforeAll(async () => {
      const open = await backend.open();
      opened.set(backend.name, open);
      await fill(open.sink);
      reader = open.reader;
      avgLatencySince = open.avgLatencySince;
    });
    afterAll(async () => {
      await opened.get(backend.name)?.close();
      opened.delete(backend.name);
    });

    describe("listLogs", async () => {
      test("pages newest first with a cursor, every row exactly once", async () => {
        const ids: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await reader.listLogs({ from: NOW - 11 * HOUR }, { cursor, limit: 70 });
          ids.push(...page.items.map((r) => r.id));
          cursor = page.nextCursor;
          if (cursor === undefined) break;
        }
        expect(ids.length).toBe(300);
        expect(new Set(ids).size).toBe(300);
        expect(ids[0]).toBe("req_299");
        expect(ids.at(-1)).toBe("req_000");
      });

      test("filters by status, tier, model, key and time, together", async () => {
        const errors = (await reader.listLogs({ status: "error", from: NOW - 11 * HOUR }, { limit: 500 })).items;
        expect(errors.length).toBe(Math.ceil(300 / 7));
        expect(errors.every((r) => r.status === 502)).toBe(true);
        const t2even = (
          await reader.listLogs({ tier: "t2", apiKeyId: "cfg_even", from: NOW - 11 * HOUR }, { limit: 500 })
        ).items;
        expect(t2even.length).toBe(50); // i % 3 == 1 and i even: i % 6 == 4
        expect(
          (
            await reader.listLogs({ model: "b/large", status: "ok", from: NOW - 11 * HOUR }, { limit: 500 })
          ).items.every((r) => r.model === "b/large"),
        ).toBe(true);
        const window = (
          await reader.listLogs({ from: NOW - 10 * HOUR, to: NOW - 10 * HOUR + 10 * 60_000 }, { limit: 500 })
        ).items;
        expect(window.map((r) => r.id).sort()).toEqual(["req_000", "req_001", "req_002", "req_003", "req_004"]);
      });

      test("text search is literal: % and _ are not wildcards", async () => {
        const hits = (await reader.listLogs({ q: "100%" }, { limit: 500 })).items;
        expect(hits.map((r) => r.id)).toEqual(["req_042"]);
        expect((await reader.listLogs({ q: "DISCOUNT" }, { limit: 500 })).items.length).toBe(2);
      });
    });

    describe("getLog", async () => {
      test("returns the full request with parsed bodies and attempt trace", async () => {
        const detail = (await reader.getLog("req_001"))!;
        expect(detail.tier).toBe("t2");
        expect(detail.stream).toBe(false);
        expect((detail.requestBody as { messages: unknown[] }).messages.length).toBe(1);
        expect((detail.attemptTrace[0] as { target: string }).target).toBe("a/medium");
        expect(await reader.getLog("req_missing")).toBeUndefined();
      });
    });

    describe("exportLogs", async () => {
      test("CSV: a header and one line per row, formulas neutralised", async () => {
        const text = await new Response(await reader.exportLogs({ from: NOW - 11 * HOUR }, "csv")).text();
        const lines = text.trimEnd().split("\n");
        expect(lines[0].startsWith("id,ts,requestedModel,tier")).toBe(true);
        expect(lines.length).toBe(301);
      });

      test("JSONL: one full row per line, streamed in pages", async () => {
        const text = await new Response(await reader.exportLogs({}, "jsonl")).text();
        const rows = text
          .trimEnd()
          .split("\n")
          .map((l) => JSON.parse(l));
        expect(rows.length).toBe(320);
        expect(new Set(rows.map((r) => r.id)).size).toBe(320);
        expect(rows[0].requestBody.messages).toHaveLength(1);
      });
    });

    describe("queryStats", async () => {
      test("totals equal the rows they summarise", async () => {
        const stats = await reader.queryStats({ from: NOW - 11 * HOUR, to: NOW });
        expect(stats.resolution).toBe("minute");
        expect(stats.totals.requests).toBe(300);
        expect(stats.totals.errors).toBe(Math.ceil(300 / 7));
        expect(stats.totals.errorRate).toBeCloseTo(43 / 300, 6);
        expect(stats.totals.attemptsPerRequest).toBe(1);
        expect(stats.byTier.map((t) => t.requests)).toEqual([100, 100, 100]);
        expect(stats.totals.latencyMs.avg).toBeCloseTo(await avgLatencySince(NOW - 11 * HOUR), 6);
      });

      test("requests per front door: chat completions and each door, with their failures", async () => {
        const stats = await reader.queryStats({ from: NOW - 11 * HOUR, to: NOW });
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

      test("percentiles land in the right histogram bucket", async () => {
        const stats = await reader.queryStats({ from: NOW - 11 * HOUR, to: NOW });
        // latencies are 1, 11, ..., 991 ms, three times over: the true median is about 500 ms
        expect(stats.totals.latencyMs.p50!).toBeGreaterThan(300);
        expect(stats.totals.latencyMs.p50!).toBeLessThanOrEqual(750);
        expect(stats.totals.latencyMs.p99!).toBeGreaterThan(750);
        expect(stats.totals.latencyMs.p99!).toBeLessThanOrEqual(1000);
      });

      test("the series covers the range in even buckets, stacked by tier", async () => {
        const stats = await reader.queryStats({ from: NOW - 11 * HOUR, to: NOW });
        expect(stats.series.length).toBe(Math.ceil((11 * HOUR) / stats.bucketMs));
        expect(stats.series.length).toBeLessThanOrEqual(120);
        expect(stats.series.reduce((n, p) => n + p.requests, 0)).toBe(300);
        const sumByTier = stats.series.reduce((n, p) => n + (p.byTier.t1 ?? 0), 0);
        expect(sumByTier).toBe(100);
      });

      test("long ranges use the daily rollup and compare with the period before", async () => {
        const stats = await reader.queryStats({ from: NOW - 7 * DAY, to: NOW });
        expect(stats.resolution).toBe("day");
        expect(stats.totals.requests).toBe(300);
        expect(stats.previous.requests).toBe(20);
        expect(stats.series.length).toBe(8); // whole UTC days around the range
      });

      test("a tier or model filter narrows everything", async () => {
        const stats = await reader.queryStats({ from: NOW - 11 * HOUR, to: NOW, model: "a/small" });
        expect(stats.totals.requests).toBe(85); // t1 is i % 3 == 0; the 15 with i % 21 == 0 failed and have no final model
        expect(stats.totals.costUsd).toBeGreaterThan(0);
      });
    });
  });

for (const backend of backends)
  describe.skipIf(backend.skip)(`${backend.name}: filters, sorts, count and refused requests`, () => {
    let open: OpenBackend;
    beforeAll(async () => {
      open = await backend.open();
      await fillFilters(open.sink);
    });
    afterAll(() => open.close());
    const ids = async (filter: LogFilter, sort?: LogSort) =>
      (await open.reader.listLogs(filter, { limit: 500 }, sort)).items.map((r) => r.id);

    test("failed over, attempted, streamed, refused", async () => {
      expect((await ids({ failedOver: true })).sort()).toEqual(["failed", "rescued"]);
      expect((await ids({ attempted: "b/small" })).sort()).toEqual(["failed", "rescued"]);
      expect((await ids({ minAttempts: 2 })).sort()).toEqual(["failed", "rescued", "retried"]);
      expect(await ids({ stream: true })).toEqual(["refused-tier", "slow-stream"]);
      expect(await ids({ refused: true })).toEqual(["refused-tier", "refused-2", "refused-1"]);
      expect(await ids({ errorCode: "forbidden" })).toEqual(["refused-tier"]);
      const [failed] = (await open.reader.listLogs({ attempted: "b/small", status: "error" })).items;
      expect(failed.failedOver).toBe(true);
      expect(failed.lastFailure).toEqual({
        target: "b/small",
        status: 500,
        errorClass: null,
        reason: "500: no other target",
      });
      const [refused] = (await open.reader.listLogs({ refused: true }, { limit: 1 })).items;
      expect(refused).toMatchObject({ refused: true, stream: true, failedOver: false, lastFailure: null });
    });

    test("sorts page every row exactly once; the count caps nothing this small", async () => {
      for (const sort of SORTS) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await open.reader.listLogs({}, { cursor, limit: 3 }, sort);
          seen.push(...page.items.map((r) => r.id));
          cursor = page.nextCursor;
        } while (cursor !== undefined);
        expect(seen).toEqual(await ids({}, sort));
        expect(new Set(seen).size).toBe(13);
      }
      expect(await open.reader.countLogs({})).toEqual({ total: 13, capped: false });
      expect(await open.reader.countLogs({ refused: true })).toEqual({ total: 3, capped: false });
      expect(await open.reader.countLogs({ failedOver: false, refused: false })).toEqual({ total: 8, capped: false });
    });

    test("refused requests by code, apart from the rollups", async () => {
      const range = { from: NOW, to: NOW + HOUR };
      expect(await open.reader.refusedTotals(range)).toEqual({
        requests: 3,
        previous: 0,
        byCode: [
          { code: "invalid_api_key", status: 401, requests: 2 },
          { code: "forbidden", status: 403, requests: 1 },
        ],
      });
      expect((await open.reader.refusedTotals({ ...range, tier: "t3" })).requests).toBe(1);
      expect((await open.reader.refusedTotals({ ...range, model: "a/small" })).requests).toBe(0);
      const stats = await open.reader.queryStats(range);
      expect(stats.totals.requests).toBe(10);
      expect(stats.byDoor.reduce((n, d) => n + d.requests, 0)).toBe(10);
    });
  });

describe.skipIf(!pgAnswers)("SQLite and PostgreSQL answer the same", () => {
  test("filters, sorts, counts, refused requests and exports of failovers and refusals", async () => {
    const [sqlite, pg] = await Promise.all(backends.map((b) => b.open()));
    try {
      await Promise.all([fillFilters(sqlite.sink), fillFilters(pg.sink)]);
      const both = async <T>(read: (reader: LogReader) => Promise<T>) => [
        await read(sqlite.reader),
        await read(pg.reader),
      ];
      for (const filter of FILTERS) {
        const [countA, countB] = await both((r) => r.countLogs(filter));
        expect(countB).toEqual(countA);
        for (const sort of SORTS) {
          const [a, b] = await both((r) => r.listLogs(filter, { limit: 4 }, sort));
          expect(b.items.map(({ seq: _, ...rest }) => rest)).toEqual(a.items.map(({ seq: _, ...rest }) => rest));
          expect(b.nextCursor === undefined).toBe(a.nextCursor === undefined);
        }
      }
      for (const id of ["rescued", "failed", "refused-tier"]) {
        const [a, b] = await both(async (r) => {
          const { seq: _, ...rest } = (await r.getLog(id))!;
          return rest;
        });
        expect(b).toEqual(a);
      }
      const [refA, refB] = await both((r) => r.refusedTotals({ from: NOW, to: NOW + HOUR }));
      expect(refB).toEqual(refA);
      const text = async (stream: Promise<ReadableStream<Uint8Array>>) => new Response(await stream).text();
      for (const sort of SORTS) {
        const [csvA, csvB] = await both((r) => text(r.exportLogs({}, "csv", sort)));
        expect(csvB).toBe(csvA);
        const [jsonA, jsonB] = await both((r) => text(r.exportLogs({ failedOver: true }, "jsonl", sort)));
        expect(jsonB).toBe(jsonA);
      }
    } finally {
      await Promise.all([sqlite.close(), pg.close()]);
    }
  });

  test("list pages, a request in full, stats over hours and days, CSV and JSONL exports", async () => {
    const [sqlite, pg] = await Promise.all(backends.map((b) => b.open()));
    try {
      await Promise.all([fill(sqlite.sink), fill(pg.sink)]);
      const both = async <T>(read: (reader: LogReader) => Promise<T>) => [
        await read(sqlite.reader),
        await read(pg.reader),
      ];
      const text = async (stream: Promise<ReadableStream<Uint8Array>>) => new Response(await stream).text();
      for (const [a, b] of [
        await both((r) => r.listLogs({ from: NOW - 11 * HOUR }, { limit: 500 })),
        await both((r) => r.listLogs({ from: NOW - 11 * HOUR }, { limit: 50 }, { by: "latency" })),
        await both((r) => r.countLogs({ status: "error" })),
        await both((r) => r.listLogs({ status: "error", tier: "t2", q: "question" }, { limit: 7 })),
        await both((r) => r.getLog("req_042")),
        await both((r) => r.queryStats({ from: NOW - 11 * HOUR, to: NOW })),
        await both((r) => r.queryStats({ from: NOW - 7 * DAY, to: NOW, tier: "t1" })),
        await both((r) => r.targetWindows({ from: NOW - 11 * HOUR, to: NOW, bucketMs: HOUR })),
        await both((r) => r.keyUsage("cfg_even", NOW - 11 * HOUR, HOUR)),
      ])
        expect(b).toEqual(a);
      // An export is the same, byte for byte (it has no seq, the store's own numbering).
      const [csvA, csvB] = await both((r) => text(r.exportLogs({}, "csv")));
      expect(csvB).toBe(csvA);
      const [jsonA, jsonB] = await both((r) => text(r.exportLogs({ from: NOW - 11 * HOUR }, "jsonl")));
      expect(jsonB).toBe(jsonA);
      expect(jsonA.split("\n").length).toBeGreaterThan(300);
      const usage = await pg.reader.keyUsage("cfg_even", NOW - 11 * HOUR, HOUR);
      expect(usage.reduce((n, p) => n + p.requests, 0)).toBe(150);
    } finally {
      await Promise.all([sqlite.close(), pg.close()]);
    }
  });
});
