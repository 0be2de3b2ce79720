/**
 * Log list, detail, export and stats over a store filled through the real writer: one suite, run against
 * SQLite and (when one answers) the real PostgreSQL, through the same reader interface the admin API
 * uses; then the two stores' answers compared with each other.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openStore } from "../../src/store/db.ts";
import { type LogReader, sqliteLogReader } from "../../src/store/log-reader.ts";
import { LogWriter } from "../../src/store/log-writer.ts";
import { PgRowSink } from "../../src/store/pg/pg-row-sink.ts";
import { pgLogReader } from "../../src/store/pg/pg-run.ts";
import { openPgStore } from "../../src/store/pg/pg-store.ts";
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
        let cursor: number | undefined;
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
        expect(rows[0].request_body).toContain("messages");
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

describe.skipIf(!pgAnswers)("SQLite and PostgreSQL answer the same", () => {
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
        await both((r) => r.listLogs({ status: "error", tier: "t2", q: "question" }, { limit: 7 })),
        await both((r) => r.getLog("req_042")),
        await both((r) => r.queryStats({ from: NOW - 11 * HOUR, to: NOW })),
        await both((r) => r.queryStats({ from: NOW - 7 * DAY, to: NOW, tier: "t1" })),
        await both((r) => r.targetWindows({ from: NOW - 11 * HOUR, to: NOW, bucketMs: HOUR })),
        await both((r) => r.keyUsage("cfg_even", NOW - 11 * HOUR, HOUR)),
      ])
        expect(b).toEqual(a);
      // Seq numbers are the store's own; everything else in an export is the same, byte for byte.
      const withoutSeq = (jsonl: string) => jsonl.replace(/"seq":\d+,/g, "");
      const [csvA, csvB] = await both((r) => text(r.exportLogs({}, "csv")));
      expect(csvB).toBe(csvA);
      const [jsonA, jsonB] = await both((r) => text(r.exportLogs({ from: NOW - 11 * HOUR }, "jsonl")));
      expect(withoutSeq(jsonB)).toBe(withoutSeq(jsonA));
      expect(jsonA.split("\n").length).toBeGreaterThan(300);
      const usage = await pg.reader.keyUsage("cfg_even", NOW - 11 * HOUR, HOUR);
      expect(usage.reduce((n, p) => n + p.requests, 0)).toBe(150);
    } finally {
      await Promise.all([sqlite.close(), pg.close()]);
    }
  });
});
