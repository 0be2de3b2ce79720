/**
 * A query written once for both stores: a generator that yields the SQL it needs (with `?`
 * placeholders, portable SQL, quoted camelCase aliases) and is handed back the rows, then returns its
 * result. SQLite runs a plan synchronously (`runOnSqlite`, so the SQLite functions keep their
 * synchronous signatures); PostgreSQL runs the same plan awaiting each query (src/store/pg/pg-run.ts).
 * What differs between the two is in `Dialect`, nothing else.
 */
import type { Store } from "../db.ts";
import type { SqlValue } from "../sqlite.ts";

export interface Query {
  sql: string;
  params: SqlValue[];
}

/** A query plan: yields queries, receives their rows, returns `T`. */
export type QueryPlan<T> = Generator<Query, T, Record<string, unknown>[]>;

export interface Dialect {
  /** Case-insensitive LIKE: SQLite's LIKE already is (for ASCII); PostgreSQL's is ILIKE. */
  like: "LIKE" | "ILIKE";
  /**
   * Every column of `requests` for the JSONL export, as SQLite returns them for `SELECT *` (its column
   * order, `stream` as 0/1), so an export reads the same from either store.
   */
  allRequestColumns: string;
}

export const SQLITE: Dialect = { like: "LIKE", allRequestColumns: "*" };

/** Runs a plan on the SQLite store, synchronously. */
export function runOnSqlite<T>(store: Store, plan: QueryPlan<T>): T {
  let step = plan.next([]);
  while (!step.done) step = plan.next(store.sqlite.query(step.value.sql).all(...step.value.params) as never);
  return step.value;
}

/** Runs a plan on some store: SQLite answers at once, PostgreSQL with a promise. */
export type PlanRunner = <T>(plan: QueryPlan<T>) => T | Promise<T>;
