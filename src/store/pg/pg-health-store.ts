/**
 * Target health snapshots in PostgreSQL (cluster mode): the same `health_state` rows as SQLite's, one
 * per target, so a replica that starts without a Redis to replay from restores the last records any
 * replica saved. Saved off the request path every second, like SQLite's.
 */
import type { HealthSnapshots } from "../health-store.ts";
import type { PgStore } from "./pg-store.ts";

export function pgHealthSnapshots(pg: Pick<PgStore, "sql" | "isReady">): HealthSnapshots {
  const { sql } = pg;
  return {
    async load() {
      if (!pg.isReady()) throw new Error("PostgreSQL has not been reachable since the gateway started");
      return [...(await sql<{ target: string; state: string }[]>`SELECT target, state FROM health_state`)];
    },
    async save(changes, now) {
      if (!pg.isReady()) throw new Error("PostgreSQL has not been reachable since the gateway started");
      const upserts = changes.flatMap((c) =>
        c.state === undefined ? [] : [{ target: c.target, state: c.state, updated_at: Math.floor(now) }],
      );
      const removed = changes.filter((c) => c.state === undefined).map((c) => c.target);
      // One statement, not a transaction: see pg-row-sink.ts (the driver and network cuts).
      if (upserts.length > 0 && removed.length > 0)
        await sql`WITH up AS (INSERT INTO health_state ${sql(upserts)}
            ON CONFLICT (target) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at)
          DELETE FROM health_state WHERE target = ANY(${removed})`;
      else if (upserts.length > 0)
        await sql`INSERT INTO health_state ${sql(upserts)}
          ON CONFLICT (target) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`;
      else if (removed.length > 0) await sql`DELETE FROM health_state WHERE target = ANY(${removed})`;
    },
  };
}
