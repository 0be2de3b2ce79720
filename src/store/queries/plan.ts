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
  /** A boolean column compared with true or false: SQLite holds 0/1, PostgreSQL booleans. */
  bool(column: string, value: boolean): string;
  /** The column, kept from its index (SQLite's unary `+`; PostgreSQL's planner has statistics). */
  unindexed(column: string): string;
  /** `needle` occurs in `haystack` (exact case, no wildcards). */
  contains(haystack: string, needle: string): string;
  /** How many distinct targets the request's attempt trace (JSON text) names. */
  traceTargets: string;
  /** The last attempt of the trace not accepted, as JSON text `{target, status, errorClass, reason}`, or null. */
  lastFailure(reasonChars: number): string;
}

export const SQLITE: Dialect = {
  like: "LIKE",
  bool: (column, value) => `${column} = ${value ? 1 : 0}`,
  unindexed: (column) => `+${column}`,
  contains: (haystack, needle) => `instr(${haystack}, ${needle}) > 0`,
  traceTargets: `(SELECT COUNT(DISTINCT json_extract(j.value, '$.target')) FROM json_each(attempt_trace) AS j)`,
  lastFailure: (chars) =>
    `(SELECT json_object('target', json_extract(j.value, '$.target'), 'status', json_extract(j.value, '$.status'), 'errorClass', json_extract(j.value, '$.errorClass'), 'reason', substr(COALESCE(json_extract(j.value, '$.reason'), ''), 1, ${chars}))
  FROM json_each(attempt_trace) AS j WHERE json_extract(j.value, '$.outcome') <> 'accepted' ORDER BY CAST(j.key AS INTEGER) DESC LIMIT 1)`,
};

/** Runs a plan on the SQLite store, synchronously. */
export function runOnSqlite<T>(store: Store, plan: QueryPlan<T>): T {
  let step = plan.next([]);
  while (!step.done) step = plan.next(store.sqlite.query(step.value.sql).all(...step.value.params) as never);
  return step.value;
}

/** Runs a plan on some store: SQLite answers at once, PostgreSQL with a promise. */
export type PlanRunner = <T>(plan: QueryPlan<T>) => T | Promise<T>;
