/**
 * Retention by age on both stores: the same rows in, the same rows and rollups left. On PostgreSQL,
 * replicas pruning at the same moment delete each old row once between them.
 */
import { afterEach, expect, test } from "bun:test";
import { openStore } from "../../src/store/db.ts";
import { LogWriter } from "../../src/store/log-writer.ts";
import { applyPgRetention } from "../../src/store/pg/pg-retention.ts";
import { PgRowSink } from "../../src/store/pg/pg-row-sink.ts";
import { openPgStore, type PgStore } from "../../src/store/pg/pg-store.ts";
import { applyRetention } from "../../src/store/retention.ts";
import { type RowSink, SqliteRowSink } from "../../src/store/row-sink.ts";
import { freshSchema, PG_URL, pgAnswers } from "../helpers/postgres.ts";
import { silentLogger } from "../helpers/run-hooks.ts";
import { storeConfig, summary } from "../helpers/summaries.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20);
const config = storeConfig();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function pgStore(): Promise<PgStore> {
  const fresh = await freshSchema();
  const pg = await openPgStore(PG_URL, { schema: fresh.schema });
  cleanups.push(async () => {
    await pg.close();
    await fresh.drop();
  });
  return pg;
}

async function fill(sink: RowSink) {
  const writer = new LogWriter({ sink, log: silentLogger(), flushIntervalMs: 10_000 });
  for (const [i, age] of [10, 8, 6.5, 6, 1, 0.2].entries())
    writer.enqueue(summary({ id: `req_${i}`, ts: NOW - age * DAY }), config);
  await writer.close();
}

test.skipIf(!pgAnswers)(
  "rows and per-minute rollups older than retentionDays go on both stores; the same are left",
  async () => {
    const sqlite = openStore(":memory:");
    cleanups.push(async () => sqlite.close());
    const pg = await pgStore();
    await fill(new SqliteRowSink(sqlite.sqlite));
    await fill(new PgRowSink(pg));

    const fromSqlite = await applyRetention(sqlite, { retentionDays: 7, maxDbMb: 1024, now: NOW });
    const fromPg = await applyPgRetention(pg.sql, { retentionDays: 7, now: NOW });
    expect(fromSqlite.deletedByAge).toBe(2);
    expect(fromPg).toEqual({ deletedByAge: 2, deletedBySize: 0 });

    const left = (rows: unknown[]) => (rows as { id: string }[]).map((r) => r.id);
    expect(left([...(await pg.sql`SELECT id FROM requests ORDER BY ts`)])).toEqual(
      left(sqlite.sqlite.query("SELECT id FROM requests ORDER BY ts").all()),
    );
    for (const table of ["stats_minute", "stats_target_minute", "stats_day"]) {
      const [{ n }] = await pg.sql.unsafe(`SELECT count(*)::int AS n FROM ${table}`);
      expect({ table, n }).toEqual({
        table,
        ...(sqlite.sqlite.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }),
      });
    }
    // The per-day rollups keep the history the rows no longer hold.
    const [{ n: days }] = await pg.sql`SELECT count(*)::int AS n FROM stats_day`;
    expect(days).toBe(5); // the UTC days of 10, 8, 6.5, 6 and 1 (with 0.2) days ago
  },
);

test.skipIf(!pgAnswers)("replicas pruning at the same moment delete each old row once between them", async () => {
  const pg = await pgStore();
  await fill(new PgRowSink(pg));
  // A clock with fractions of a millisecond (Deno's) still gives a whole cutoff.
  const results = await Promise.all(
    [0, 1, 2].map(() => applyPgRetention(pg.sql, { retentionDays: 7, now: NOW + 0.25 })),
  );
  expect(results.reduce((n, r) => n + r.deletedByAge, 0)).toBe(2);
  const left = [...(await pg.sql`SELECT id FROM requests ORDER BY ts`)].map((r) => r.id);
  expect(left).toEqual(["req_2", "req_3", "req_4", "req_5"]);
});
