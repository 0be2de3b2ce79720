/** Every applied version of the config file: text, author ("file" for edits outside the UI), time, reason. */
import { desc, eq, lt } from "drizzle-orm";
import { configHistory } from "./schema.ts";
import type { Store } from "./db.ts";

export type ConfigVersion = typeof configHistory.$inferSelect;

export class ConfigHistory {
  constructor(private readonly store: Store) {}

  latest(): ConfigVersion | undefined {
    return this.store.db.select().from(configHistory).orderBy(desc(configHistory.id)).limit(1).get();
  }

  /** Records `source` unless it is the text of the latest version already (a reload that changed nothing). */
  record(entry: { ts: number; author: string; reason: string; source: string }): ConfigVersion | undefined {
    if (this.latest()?.source === entry.source) return undefined;
    return this.store.db.insert(configHistory).values(entry).returning().get();
  }

  get(id: number): ConfigVersion | undefined {
    return this.store.db.select().from(configHistory).where(eq(configHistory.id, id)).get();
  }

  /** Newest first, without the texts. */
  list(options: { limit?: number; before?: number } = {}): Omit<ConfigVersion, "source">[] {
    return this.store.db
      .select({ id: configHistory.id, ts: configHistory.ts, author: configHistory.author, reason: configHistory.reason })
      .from(configHistory)
      .where(options.before ? lt(configHistory.id, options.before) : undefined)
      .orderBy(desc(configHistory.id))
      .limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
      .all();
  }
}
