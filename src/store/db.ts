/**
 * Opens the SQLite store (bun:sqlite, WAL) in the data directory and brings its schema up to date with
 * the committed migrations. Only src/store imports drizzle and the SQLite driver.
 */
import { Database } from "bun:sqlite";
import { drizzle, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import * as schema from "./schema.ts";

export const MIGRATIONS_DIR = new URL("./migrations", import.meta.url).pathname;

export interface Store {
  sqlite: Database;
  db: BunSQLiteDatabase<typeof schema>;
  path: string;
  close(): void;
}

/** Opens (creating if needed) `gateway.db` in `dataDir`, or an in-memory store for ":memory:". */
export function openStore(dataDir: string | ":memory:", options: { migrationsFolder?: string } = {}): Store {
  let path = ":memory:";
  if (dataDir !== ":memory:") {
    mkdirSync(dataDir, { recursive: true });
    path = join(dataDir, "gateway.db");
  }
  const sqlite = new Database(path, { create: true, strict: true });
  // auto_vacuum must be chosen before the first table exists; on an existing file it is a no-op.
  sqlite.run("PRAGMA auto_vacuum = INCREMENTAL");
  sqlite.run("PRAGMA journal_mode = WAL");
  sqlite.run("PRAGMA synchronous = NORMAL");
  sqlite.run("PRAGMA busy_timeout = 5000");
  sqlite.run("PRAGMA foreign_keys = ON");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: options.migrationsFolder ?? MIGRATIONS_DIR });
  return { sqlite, db, path, close: () => sqlite.close() };
}
