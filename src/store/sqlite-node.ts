/**
 * The SQLite connection off Bun (Deno): `node:sqlite`'s synchronous `DatabaseSync` behind the
 * bun:sqlite subset the store uses, with bun:sqlite's conventions: a missing row is `null`, rows are
 * plain objects, integral numbers bind as INTEGER, booleans as 0/1 and `undefined` as NULL,
 * `transaction(fn)` returns a function (with `.deferred/.immediate/.exclusive`, as drizzle's session
 * calls it) and nests with savepoints.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import type { SqliteDatabase, SqliteStatement, SqlValue } from "./sqlite.ts";

/** Compiled statements kept by `query()` (the SQL texts of the store are few; dynamic filters add some). */
const QUERY_CACHE_SIZE = 256;

/**
 * bun:sqlite's binding: an integral number binds as INTEGER (node:sqlite would bind every number as
 * REAL: 1 stored in a TEXT column reads "1.0"), booleans as 0/1, `undefined` as NULL.
 */
function bindable(params: SqlValue[]): SQLInputValue[] {
  const values = new Array<SQLInputValue>(params.length);
  for (let i = 0; i < params.length; i++) {
    const value = params[i];
    if (typeof value === "number") values[i] = Number.isSafeInteger(value) ? BigInt(value) : value;
    else if (typeof value === "boolean") values[i] = value ? 1n : 0n;
    else values[i] = value === undefined ? null : value;
  }
  return values;
}

/** node:sqlite rows have a null prototype; code (and Elysia's response mapping) expects plain objects. */
const plain = (row: object): Record<string, unknown> => ({ ...row });

class NodeStatement implements SqliteStatement {
  constructor(private readonly statement: StatementSync) {}

  run(...params: SqlValue[]): { changes: number; lastInsertRowid: number | bigint } {
    const result = this.statement.run(...bindable(params));
    return { changes: Number(result.changes), lastInsertRowid: result.lastInsertRowid };
  }

  get(...params: SqlValue[]): unknown {
    const row = this.statement.get(...bindable(params));
    return row === undefined ? null : plain(row);
  }

  all(...params: SqlValue[]): unknown[] {
    return this.statement.all(...bindable(params)).map(plain);
  }

  /** Rows as arrays of values in column order (drizzle's session reads typed results this way). */
  values(...params: SqlValue[]): unknown[][] {
    this.statement.setReturnArrays(true);
    try {
      return this.statement.all(...bindable(params)) as unknown as unknown[][];
    } finally {
      this.statement.setReturnArrays(false);
    }
  }
}

type Behavior = "deferred" | "immediate" | "exclusive";

/** A `DatabaseSync` with bun:sqlite's calls. */
export class NodeSqliteDatabase implements SqliteDatabase {
  private readonly db: DatabaseSync;
  private readonly cache = new Map<string, NodeStatement>();
  private savepoints = 0;

  constructor(path: string) {
    // Foreign keys off like bun:sqlite (node:sqlite turns them on by default): the store enables them
    // with a PRAGMA on its main connection, as it does on Bun.
    this.db = new DatabaseSync(path, { enableForeignKeyConstraints: false });
  }

  query(sql: string): NodeStatement {
    let statement = this.cache.get(sql);
    if (!statement) {
      if (this.cache.size >= QUERY_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      statement = this.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  prepare(sql: string): NodeStatement {
    return new NodeStatement(this.db.prepare(sql));
  }

  run(sql: string): void {
    this.db.exec(sql);
  }

  /** Several statements at once (drizzle's session uses it). */
  exec(sql: string): void {
    this.db.exec(sql);
  }

  transaction<A extends unknown[], R>(
    fn: (...args: A) => R,
  ): ((...args: A) => R) & Record<Behavior, (...args: A) => R> {
    const run =
      (behavior: Behavior) =>
      (...args: A): R =>
        this.inTransaction(behavior, () => fn(...args));
    return Object.assign(run("deferred"), {
      deferred: run("deferred"),
      immediate: run("immediate"),
      exclusive: run("exclusive"),
    });
  }

  private inTransaction<R>(behavior: Behavior, body: () => R): R {
    if (this.db.isTransaction) {
      const name = `smartroute_sp${++this.savepoints}`;
      this.db.exec(`SAVEPOINT ${name}`);
      try {
        const result = body();
        this.db.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        this.db.exec(`ROLLBACK TO ${name}`);
        this.db.exec(`RELEASE ${name}`);
        throw error;
      } finally {
        this.savepoints -= 1;
      }
    }
    this.db.exec(`BEGIN ${behavior.toUpperCase()}`);
    try {
      const result = body();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      // A failed COMMIT (SQLITE_BUSY) can leave the transaction open: never leave it so.
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
  }

  close(): void {
    this.cache.clear();
    this.db.close();
  }
}

export function openSqlite(path: string): SqliteDatabase {
  return new NodeSqliteDatabase(path);
}
