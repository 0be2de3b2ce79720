/** The SQLite connection on Bun: bun:sqlite itself. */
import { Database } from "bun:sqlite";
import type { SqliteDatabase } from "./sqlite.ts";

export function openSqlite(path: string): SqliteDatabase {
  // bun:sqlite's Database is the interface (SqliteDatabase is its subset); only its generic typings differ.
  return new Database(path, { create: true, strict: true }) as unknown as SqliteDatabase;
}
