/**
 * Opens the SQLite store (WAL) in the data directory and brings its schema up to date with the
 * committed migrations. Only src/store imports drizzle and the SQLite driver; the driver is the
 * runtime's (`sqlite.ts`: bun:sqlite on Bun, node:sqlite on Deno) and so is drizzle's (its bun-sqlite
 * driver on Bun, `drizzle-node.ts` on Deno); the migrations and their `__drizzle_migrations` table are
 * the same on both, so a data directory moves between runtimes.
 */

import { join } from "node:path";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { createLogger } from "../logger.ts";
import { systemClock } from "../pipeline/clock.ts";
import type { Logger } from "../plugin/types.ts";
import { runtime } from "../runtime.ts";
import { createPrivateFile, secureDataDir } from "./data-dir.ts";
import * as schema from "./schema.ts";
import { openSqlite, type SqliteDatabase } from "./sqlite.ts";
import { backfillTargetRollups } from "./target-backfill.ts";

/** The drizzle database of the store: the same synchronous query builder on every runtime. */
export type StoreDatabase = BaseSQLiteDatabase<"sync", void, typeof schema>;

// drizzle-orm/bun-sqlite imports bun:sqlite, which Deno cannot load: chosen once at load.
const { openDrizzle }: { openDrizzle(sqlite: SqliteDatabase, schemaModule: typeof schema): StoreDatabase } =
  runtime === "bun" ? await import("./drizzle-bun.ts") : await import("./drizzle-node.ts");

export const MIGRATIONS_DIR = new URL("./migrations", import.meta.url).pathname;

export interface Store {
  sqlite: SqliteDatabase;
  db: StoreDatabase;
  path: string;
  close(): void;
}

/**
 * Opens (creating if needed) `gateway.db` in `dataDir`, or an in-memory store for ":memory:". The data
 * directory is made private first (0700, files 0600; loosened ones are fixed with a warning on `log`,
 * default the process logger), and the database file is created 0600 before SQLite opens it.
 */
const hasTable = (sqlite: SqliteDatabase, name: string) =>
  sqlite.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== null;

/** The per-target rollups of rows older than them, once per database (see target-backfill.ts). */
function backfillOnce(sqlite: SqliteDatabase, log: Pick<Logger, "warn">): void {
  try {
    const rows = backfillTargetRollups(sqlite, systemClock.now());
    if (rows > 0) log.warn(`counted the attempts of ${rows} logged requests into the per-model figures (once)`);
  } catch (error) {
    // Another process holding the lock longer than the busy timeout is doing it; its marker ends it.
    log.warn("the per-model attempt figures of older requests were not counted", { error: String(error) });
  }
}

export function openStore(
  dataDir: string | ":memory:",
  options: { migrationsFolder?: string; log?: Pick<Logger, "warn"> } = {},
): Store {
  let path = ":memory:";
  if (dataDir !== ":memory:") {
    secureDataDir(dataDir, options.log ?? createLogger());
    path = join(dataDir, "gateway.db");
    createPrivateFile(path);
  }
  const sqlite = openSqlite(path);
  // First: the statements below take locks too, and the last connection of a previous store in this
  // process may still be checkpointing as it closes.
  sqlite.run("PRAGMA busy_timeout = 5000");
  // auto_vacuum must be chosen before the first table exists; on an existing file it is a no-op.
  sqlite.run("PRAGMA auto_vacuum = INCREMENTAL");
  sqlite.run("PRAGMA journal_mode = WAL");
  sqlite.run("PRAGMA synchronous = NORMAL");
  sqlite.run("PRAGMA foreign_keys = ON");
  const db = openDrizzle(sqlite, schema);
  // drizzle's sync migrator (journal order, one transaction, the __drizzle_migrations table) only
  // needs the session: it runs over either driver. Its module does not import bun:sqlite.
  migrate(db as Parameters<typeof migrate>[0], { migrationsFolder: options.migrationsFolder ?? MIGRATIONS_DIR });
  if (hasTable(sqlite, "stats_target_minute")) backfillOnce(sqlite, options.log ?? createLogger());
  return { sqlite, db, path, close: () => sqlite.close() };
}
