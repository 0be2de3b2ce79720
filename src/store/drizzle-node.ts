/**
 * drizzle off Bun (Deno), over the node:sqlite adapter: the synchronous SQLite query builder with
 * drizzle's bun-sqlite session, built as `drizzle()` of drizzle-orm/bun-sqlite builds it (that module
 * imports bun:sqlite; the session's does not). The session needs only `prepare(sql)` with
 * `run/all/values`, `exec` and `transaction(fn)[behavior]()`, which the adapter provides.
 */
import type { Database } from "bun:sqlite";
import { createTableRelationsHelpers, extractTablesRelationalConfig } from "drizzle-orm";
import { SQLiteBunSession } from "drizzle-orm/bun-sqlite/session";
import { BaseSQLiteDatabase, SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { StoreDatabase } from "./db.ts";
import type * as schema from "./schema.ts";
import type { SqliteDatabase } from "./sqlite.ts";

export function openDrizzle(sqlite: SqliteDatabase, schemaModule: typeof schema): StoreDatabase {
  const dialect = new SQLiteSyncDialect();
  const tables = extractTablesRelationalConfig(schemaModule, createTableRelationsHelpers);
  const relational = { fullSchema: schemaModule, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  const session = new SQLiteBunSession(sqlite as unknown as Database, dialect, relational, {});
  const db = new BaseSQLiteDatabase("sync", dialect, session, relational) as StoreDatabase;
  (db as { $client?: unknown }).$client = sqlite;
  return db;
}
