/**
 * The config history in PostgreSQL (cluster mode): the same rows and rules as SQLite's ConfigHistory
 * (texts stored masked, a text equal to the latest version's not recorded again), so replicas started
 * with the same file record it once. There is no masking pass over older rows: every row here was
 * written masked.
 */
import { desc, eq, lt } from "drizzle-orm";
import { redactSource } from "../../config-editor/masked-source.ts";
import type { ConfigVersion } from "../config-history.ts";
import type { ConfigEntry, ConfigVersions } from "../config-versions.ts";
import { runOnPgSafely } from "./pg-run.ts";
import type { PgStore } from "./pg-store.ts";
import { configHistory } from "./schema.ts";

const columns = {
  id: configHistory.id,
  ts: configHistory.ts,
  author: configHistory.author,
  reason: configHistory.reason,
};

export function pgConfigHistory(
  pg: Pick<PgStore, "db" | "sql" | "isReady">,
  redact: (source: string) => string = (source) => redactSource(source),
): ConfigVersions {
  const { db } = pg;
  let pending: Promise<unknown> = Promise.resolve();
  const safely = <T>(run: () => Promise<T>) => runOnPgSafely(pg.isReady, run);
  const latest = () =>
    safely(async () => (await db.select().from(configHistory).orderBy(desc(configHistory.id)).limit(1))[0]);
  return {
    latest,
    record(entry: ConfigEntry) {
      const source = redact(entry.source);
      // One statement, not a transaction (see pg-row-sink.ts): inserted unless the latest version
      // holds the same text. Two replicas starting in the same instant may both record it.
      const written = safely(async () => {
        const rows = await pg.sql<ConfigVersion[]>`
          INSERT INTO config_history (ts, author, reason, source)
          SELECT ${Math.floor(entry.ts)}, ${entry.author}, ${entry.reason}, ${source}
          WHERE NOT EXISTS (
            SELECT 1 FROM (SELECT source FROM config_history ORDER BY id DESC LIMIT 1) latest WHERE latest.source = ${source})
          RETURNING id, ts, author, reason, source`;
        return rows[0];
      });
      pending = written.catch(() => {});
      return written;
    },
    get: (id) => safely(async () => (await db.select().from(configHistory).where(eq(configHistory.id, id)))[0]),
    list: (options = {}) =>
      safely(() =>
        db
          .select(columns)
          .from(configHistory)
          .where(options.before ? lt(configHistory.id, options.before) : undefined)
          .orderBy(desc(configHistory.id))
          .limit(Math.min(Math.max(options.limit ?? 50, 1), 500)),
      ),
    settled: async () => {
      await pending;
    },
  };
}
