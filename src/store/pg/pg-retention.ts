/**
 * Retention of the request log in PostgreSQL: rows and per-minute rollups older than
 * `logging.retentionDays` are deleted, in chunks (the writers' transactions slip in between), as on
 * SQLite. `logging.maxDbMb` is SQLite's file cap and is not applied here: a PostgreSQL table does not
 * shrink when rows are deleted (VACUUM makes the space reusable), so a size read after deleting would
 * keep asking for more; size a PostgreSQL database with its own tools. With several replicas, one at a
 * time prunes (a try-lock: the others skip that round).
 */
import type { Sql } from "postgres";
import type { Logger } from "../../plugin/types.ts";
import { type RetentionLimits, type RetentionResult, retentionCutoff, scheduleRetentionOf } from "../retention.ts";

const CHUNK = 2_000;
/** Any 64-bit key, distinct from the migrations'. */
const RETENTION_LOCK = 0x5347_5255;

async function deleteOlderThan(sql: Sql, cutoff: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const { count } = await sql`
      DELETE FROM requests WHERE seq IN (SELECT seq FROM requests WHERE ts < ${cutoff} ORDER BY seq LIMIT ${CHUNK})`;
    deleted += count;
    if (count < CHUNK) return deleted;
  }
}

/** Deletes what is older than the retention; `skipped` when another replica is pruning right now. */
export async function applyPgRetention(
  sql: Sql,
  options: { retentionDays: number; now: number },
): Promise<RetentionResult & { skipped: boolean }> {
  const none = { deletedByAge: 0, deletedBySize: 0 };
  if (options.retentionDays <= 0) return { ...none, skipped: false };
  const lock = await sql.reserve();
  try {
    const [{ got }] = await lock`SELECT pg_try_advisory_lock(${RETENTION_LOCK}) AS got`;
    if (!got) return { ...none, skipped: true };
    try {
      const cutoff = retentionCutoff(options.now, options.retentionDays);
      const deletedByAge = await deleteOlderThan(sql, cutoff);
      await sql`DELETE FROM stats_minute WHERE minute < ${cutoff}`;
      await sql`DELETE FROM stats_target_minute WHERE minute < ${cutoff}`;
      return { deletedByAge, deletedBySize: 0, skipped: false };
    } finally {
      await lock`SELECT pg_advisory_unlock(${RETENTION_LOCK})`;
    }
  } finally {
    lock.release();
  }
}

export const schedulePgRetention = (sql: Sql, settings: () => RetentionLimits, log: Logger, everyMs?: number) =>
  scheduleRetentionOf((limits, now) => applyPgRetention(sql, { ...limits, now }), settings, log, everyMs);
