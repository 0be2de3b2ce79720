/**
 * The config history behind one asynchronous interface, chosen at boot: this process's SQLite
 * (`ConfigHistory`, synchronous, wrapped) or PostgreSQL (cluster mode, pg/pg-config-history.ts), where
 * every replica records into one history, so the admin UI of any replica lists the same versions.
 */
import type { ConfigHistory, ConfigVersion } from "./config-history.ts";

export type ConfigEntry = { ts: number; author: string; reason: string; source: string };

export interface ConfigVersions {
  latest(): Promise<ConfigVersion | undefined>;
  /** Records `source`, masked, unless it is the latest version's text already; resolves with the new version. */
  record(entry: ConfigEntry): Promise<ConfigVersion | undefined>;
  get(id: number): Promise<ConfigVersion | undefined>;
  /** Newest first, without the texts. */
  list(options?: { limit?: number; before?: number }): Promise<Omit<ConfigVersion, "source">[]>;
  /** Resolves once every `record` called so far is written (an apply answers with the version it made). */
  settled(): Promise<void>;
}

/** The SQLite history as a `ConfigVersions`: each call done at once. */
export function sqliteConfigVersions(history: ConfigHistory): ConfigVersions {
  return {
    latest: async () => history.latest(),
    record: async (entry) => history.record(entry),
    get: async (id) => history.get(id),
    list: async (options) => history.list(options),
    settled: async () => {},
  };
}
