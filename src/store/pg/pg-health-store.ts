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
      await sql.begin(async (tx) => {
        if (upserts.length > 0)
          await tx`INSERT INTO health_state ${tx(upserts)}
            ON CONFLICT (target) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`;
        if (removed.length > 0) await tx`DELETE FROM health_state WHERE target = ANY(${removed})`;
      });
    },
  };
}
