/**
 * The PostgreSQL row sink against the real PostgreSQL: the same batches written to SQLite and to
 * PostgreSQL leave the same rows and the same rollups; a batch written twice counts once.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { openStore, type Store } from "../../src/store/db.ts";
import { LogWriter } from "../../src/store/log-writer.ts";
import { PgRowSink } from "../../src/store/pg/pg-row-sink.ts";
import { openPgStore, type PgStore } from "../../src/store/pg/pg-store.ts";
import { type RequestRow, toRow } from "../../src/store/record.ts";
import { SqliteRowSink } from "../../src/store/row-sink.ts";
import { freshSchema, PG_URL, pgAnswers } from "../helpers/postgres.ts";
import { silentLogger } from "../helpers/run-hooks.ts";
import { storeConfig, summary } from "../helpers/summaries.ts";

const config = storeConfig({ pricing: { "a/small": { input: 1, output: 2 } } });
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

let pg: PgStore;
let dropSchema: () => Promise<void>;
beforeAll(async () => {
  if (!pgAnswers) return;
  const fresh = await freshSchema();
  dropSchema = fresh.drop;
  pg = await openPgStore(PG_URL, { schema: fresh.schema });
});
afterAll(async () => {
  await pg?.close();
  await dropSchema?.();
});

/** A mix of what the rollups count: several minutes and days, tiers, models, errors, failovers, estimates. */
function mixedSummaries() {
  const out = [];
  for (let i = 0; i < 60; i++) {
    const ts = T0 + i * 17_000 + (i % 7 === 0 ? 86_400_000 : 0);
    const failed = i % 5 === 0;
    out.push(
      summary({
        ts,
        tier: i % 3 === 0 ? "t2" : "t1",
        model: i % 2 === 0 ? "a/small" : "b/small",
        status: failed ? 502 : 200,
        latencyMs: 3 + ((i * 37) % 4000),
        ttftMs: 1 + ((i * 11) % 900),
        usage: i % 4 === 0 ? null : undefined,
        attempts:
          i % 6 === 1
            ? [
                { target: "a/small", startedAt: ts, durationMs: 40, outcome: "failover", status: 503, reason: "t" },
                {
                  target: "b/small",
                  startedAt: ts + 40,
                  durationMs: 60,
                  outcome: "accepted",
                  status: 200,
                  reason: "t",
                },
              ]
            : undefined,
      }),
    );
  }
  return out;
}

const failoversOf = (rows: RequestRow[]) =>
  rows.map((r) => (JSON.parse(r.attemptTrace) as { outcome: string }[]).filter((a) => a.outcome === "failover").length);

/** A table's rows in key order, numbers as numbers and histograms parsed, so both stores compare equal. */
function normalise(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        k.endsWith("_hist") ? JSON.parse(String(v)) : typeof v === "boolean" ? Number(v) : v,
      ]),
    ),
  );
}

const ROLLUP_TABLES = [
  ["stats_minute", "minute, tier, model"],
  ["stats_day", "day, tier, model"],
  ["stats_target_minute", "minute, tier, target"],
  ["stats_target_day", "day, tier, target"],
] as const;

async function pgTable(table: string, order: string) {
  return normalise(await pg.sql.unsafe(`SELECT * FROM ${table} ORDER BY ${order}`));
}
function sqliteTable(store: Store, table: string, order: string) {
  return normalise(store.sqlite.query(`SELECT * FROM ${table} ORDER BY ${order}`).all() as Record<string, unknown>[]);
}

test.skipIf(!pgAnswers)("the same batches leave the same rows and rollups in PostgreSQL as in SQLite", async () => {
  const sqlite = openStore(":memory:");
  const rows = mixedSummaries().map((s) => toRow(s, config, true));
  const failovers = failoversOf(rows);
  const sqliteSink = new SqliteRowSink(sqlite.sqlite);
  const pgSink = new PgRowSink(pg);
  // Three batches, so the second and third add to rollup rows the first created.
  for (const [from, to] of [
    [0, 20],
    [20, 41],
    [41, 60],
  ]) {
    const batch = { rows: rows.slice(from, to), failovers: failovers.slice(from, to) };
    await sqliteSink.write(batch);
    await pgSink.write(batch);
  }
  const columns =
    "id, ts, api_key_id, client_ip, door, requested_model, tier, tier_reason, model, status, error_code, error_message, latency_ms, ttft_ms, overhead_ms, attempts, attempt_trace, prompt_tokens, completion_tokens, token_source, cost_usd, cost_micros, baseline_micros, baseline_model, cost_detail, stream, prompt_preview, request_body, response_body";
  const pgRows = normalise(await pg.sql.unsafe(`SELECT ${columns} FROM requests ORDER BY seq`));
  expect(pgRows.length).toBe(60);
  expect(pgRows).toEqual(
    sqliteTable(sqlite, `(SELECT ${columns}, seq FROM requests)`, "seq").map(({ seq: _, ...r }) => r),
  );
  for (const [table, order] of ROLLUP_TABLES) {
    const expected = sqliteTable(sqlite, table, order);
    expect(expected.length).toBeGreaterThan(1);
    expect({ table, rows: await pgTable(table, order) }).toEqual({ table, rows: expected });
  }
  sqlite.close();
});

test.skipIf(!pgAnswers)("a batch written again (its commit's answer lost) adds no row and no count twice", async () => {
  const sink = new PgRowSink(pg);
  const rows = [summary({ ts: T0 + 5 * 86_400_000 })].map((s) => toRow(s, config, true));
  const dayOf = async () => [
    ...(await pg.sql`SELECT requests FROM stats_day WHERE day = ${T0 + 5 * 86_400_000 - ((T0 + 5 * 86_400_000) % 86_400_000)}`),
  ];
  await sink.write({ rows, failovers: [0] });
  await sink.write({ rows, failovers: [0] });
  expect(await dayOf()).toEqual([{ requests: 1 }]);
  expect([...(await pg.sql`SELECT count(*)::int AS n FROM requests WHERE id = ${rows[0].id}`)]).toEqual([{ n: 1 }]);
});

test.skipIf(!pgAnswers)("two writers adding to the same minute at once lose none of each other's counts", async () => {
  const a = new LogWriter({ sink: new PgRowSink(pg), log: silentLogger(), flushIntervalMs: 1, batchSize: 7 });
  const b = new LogWriter({ sink: new PgRowSink(pg), log: silentLogger(), flushIntervalMs: 1, batchSize: 7 });
  const ts = T0 + 9 * 86_400_000;
  for (let i = 0; i < 100; i++) (i % 2 ? a : b).enqueue(summary({ ts: ts + (i % 3), latencyMs: 10 }), config);
  await Promise.all([a.close(), b.close()]);
  const [minute] = await pg.sql`SELECT requests, latency_hist FROM stats_minute WHERE minute = ${ts} AND tier = 't1'`;
  expect(minute.requests).toBe(100);
  expect((JSON.parse(minute.latency_hist) as number[]).reduce((x, y) => x + y, 0)).toBe(100);
});

test.skipIf(!pgAnswers)(
  "a row SQLite would take as it is (a NUL in the prompt, fractional tokens) lands too, its batch not stuck",
  async () => {
    const sink = new PgRowSink(pg);
    const odd = summary({
      ts: T0 + 20 * 86_400_000,
      prompt: "before\u0000after",
      usage: { prompt_tokens: 10.5, completion_tokens: 3.2, total_tokens: 13.7 },
    });
    const rows = [odd, summary({ ts: T0 + 20 * 86_400_000 })].map((s) => toRow(s, config, true));
    await sink.write({ rows, failovers: [0, 0] });
    const [stored] =
      await pg.sql`SELECT prompt_preview, prompt_tokens, completion_tokens FROM requests WHERE id = ${rows[0].id}`;
    expect(stored).toEqual({ prompt_preview: "before\uFFFDafter", prompt_tokens: 11, completion_tokens: 3 });
    const [day] =
      await pg.sql`SELECT requests, prompt_tokens FROM stats_day WHERE day = ${T0 + 20 * 86_400_000 - (T0 % 86_400_000)}`;
    expect(day).toEqual({ requests: 2, prompt_tokens: 21 });
  },
);
