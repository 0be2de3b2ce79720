/**
 * Target health snapshots in PostgreSQL (cluster mode): the same `health_state` rows as SQLite's, one
 * per target, so a replica that starts without a Redis to replay from restores the last records any
 * replica saved. Saved off the request path every second, like SQLite's.
 */
import type { HealthSnapshots } from "../health-store.ts";
import { runOnPgSafely } from "./pg-run.ts";
import type { PgStore } from "./pg-store.ts";

export function pgHealthSnapshots(pg: Pick<PgStore, "sql" | "isReady">): HealthSnapshots {
  const { sql } = pg;
  return {
    // Each statement under a deadline and the readiness check (runOnPgSafely): across a network cut the
    // driver can leave a query waiting for good, and a save that never ends would stop the saving.
    async load() {
      const rows = await runOnPgSafely(
        pg.isReady,
        () => sql<{ target: string; state: string }[]>`SELECT target, state FROM health_state`,
      );
      return [...rows];
    },
    async save(changes, now) {
      const upserts = changes.flatMap((c) =>
        c.state === undefined ? [] : [{ target: c.target, state: c.state, updated_at: Math.floor(now) }],
      );
      const removed = changes.filter((c) => c.state === undefined).map((c) => c.target);
      // One statement, not a transaction: see pg-row-sink.ts (the driver and network cuts).
      const statement = () => {
        if (upserts.length > 0 && removed.length > 0)
          return sql`WITH up AS (INSERT INTO health_state ${sql(upserts)}
            ON CONFLICT (target) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at)
          DELETE FROM health_state WHERE target = ANY(${removed})`;
        if (upserts.length > 0)
          return sql`INSERT INTO health_state ${sql(upserts)}
          ON CONFLICT (target) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`;
        return sql`DELETE FROM health_state WHERE target = ANY(${removed})`;
      };
      if (upserts.length > 0 || removed.length > 0) await runOnPgSafely(pg.isReady, statement);
    },
  };
}
