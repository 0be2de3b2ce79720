/**
 * The SQLite connection the store uses, behind the few calls it needs of bun:sqlite (DESIGN §9). The
 * driver is chosen once at load: on Bun, bun:sqlite itself (no wrapper); elsewhere (Deno), `node:sqlite`
 * behind an adapter with the same synchronous shape (`sqlite-node.ts`). The log worker opens its
 * connection here too, so this module does not load drizzle (db.ts does).
 */
import { runtime } from "../runtime.ts";

/** A value SQLite binds: as bun:sqlite does, an integral number as INTEGER, a boolean as 0/1, `undefined` as NULL. */
export type SqlValue = string | number | bigint | boolean | null | undefined | Uint8Array;

/** A prepared statement (bun:sqlite `Statement` subset). Rows are plain objects keyed by column name. */
export interface SqliteStatement {
  run(...params: SqlValue[]): { changes: number; lastInsertRowid: number | bigint };
  /** The first row, or null. */
  get(...params: SqlValue[]): unknown;
  all(...params: SqlValue[]): unknown[];
}

/** A connection (bun:sqlite `Database` subset): exactly what src/store uses. */
export interface SqliteDatabase {
  /** A statement compiled once per connection and SQL text (cached), for repeated queries. */
  query(sql: string): SqliteStatement;
  prepare(sql: string): SqliteStatement;
  /** Runs one statement without results (PRAGMAs, DDL). */
  run(sql: string): void;
  /** A function running `fn` in BEGIN … COMMIT (a savepoint when nested), rolled back when it throws. */
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}

// Loaded once, before any store opens: a static import of bun:sqlite would not load on Deno.
const driver: { openSqlite(path: string): SqliteDatabase } =
  runtime === "bun" ? await import("./sqlite-bun.ts") : await import("./sqlite-node.ts");

/** Opens (creating if needed) a SQLite file, or ":memory:". */
export const openSqlite: (path: string) => SqliteDatabase = driver.openSqlite;
