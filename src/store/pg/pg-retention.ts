/**
 * Retention of the request log in PostgreSQL: rows and per-minute rollups older than
 * `logging.retentionDays` are deleted, in chunks, as on SQLite. `logging.maxDbMb` is SQLite's file cap
 * and is not applied here: a PostgreSQL table does not shrink when rows are deleted (VACUUM makes the
 * space reusable), so a size read after deleting would keep asking for more; size a PostgreSQL
 * database with its own tools. Every replica prunes on its own timer: deleting the oldest rows is the
 * same work whoever does it, and a row deleted by one is not counted by another. Each chunk is one
 * statement on the pool, not a transaction (see pg-row-sink.ts: the driver's transactions and reserved
 * connections are not safe across a network cut).
 */
import type { Sql } from "postgres";
import type { Logger } from "../../plugin/types.ts";
import { type RetentionLimits, type RetentionResult, retentionCutoff, scheduleRetentionOf } from "../retention.ts";
import { withDeadline } from "./pg-errors.ts";

const CHUNK = 2_000;
/** Longest a chunk may take: across a network cut the driver can leave a query waiting for good. */
const STATEMENT_DEADLINE_MS = 30_000;
const bounded = <T>(statement: Promise<T>) => withDeadline(statement, STATEMENT_DEADLINE_MS, "PostgreSQL");

/** Deletes what is older than the retention: rows in chunks, then the per-minute rollups. */
export async function applyPgRetention(
  sql: Sql,
  options: { retentionDays: number; now: number },
): Promise<RetentionResult> {
  if (options.retentionDays <= 0) return { deletedByAge: 0, deletedBySize: 0 };
  const cutoff = retentionCutoff(options.now, options.retentionDays);
  let deletedByAge = 0;
  for (;;) {
    const { count } = await bounded(sql`
      DELETE FROM requests WHERE seq IN (SELECT seq FROM requests WHERE ts < ${cutoff} ORDER BY seq LIMIT ${CHUNK})`);
    deletedByAge += count;
    if (count < CHUNK) break;
  }
  await bounded(sql`DELETE FROM stats_minute WHERE minute < ${cutoff}`);
  await bounded(sql`DELETE FROM stats_target_minute WHERE minute < ${cutoff}`);
  return { deletedByAge, deletedBySize: 0 };
}

export const schedulePgRetention = (sql: Sql, settings: () => RetentionLimits, log: Logger, everyMs?: number) =>
  scheduleRetentionOf((limits, now) => applyPgRetention(sql, { ...limits, now }), settings, log, everyMs);
