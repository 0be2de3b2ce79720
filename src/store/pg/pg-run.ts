/**
 * Runs the store's query plans (src/store/queries/plan.ts) on PostgreSQL: `?` placeholders numbered,
 * each query awaited, its rows handed back to the plan. A database that cannot be reached becomes a
 * 503 naming it (pg-errors.ts), so the admin API says what is wrong instead of a bare 500.
 */
import type { Sql } from "postgres";
import { type LogReader, planReader } from "../log-reader.ts";
import type { Dialect, QueryPlan } from "../queries/plan.ts";
import { describePgError, isUnavailable, rootCause, unavailable, withDeadline } from "./pg-errors.ts";

/** Longest wait for one query of the admin API's reads before it answers 503. */
const READ_DEADLINE_MS = 15_000;

/**
 * PostgreSQL's differences for the plans: booleans are booleans, the attempt trace (JSON text, as on
 * SQLite) is read with the json functions, its last failure built as the same JSON text.
 */
export const POSTGRES: Dialect = {
  like: "ILIKE",
  bool: (column, value) => `${column} = ${value ? "TRUE" : "FALSE"}`,
  unindexed: (column) => column,
  contains: (haystack, needle) => `strpos(${haystack}, ${needle}) > 0`,
  traceTargets: `(SELECT COUNT(DISTINCT j.value ->> 'target') FROM json_array_elements(attempt_trace::json) AS j(value))`,
  lastFailure: (chars) =>
    `(SELECT json_build_object('target', j.value -> 'target', 'status', j.value -> 'status', 'errorClass', j.value -> 'errorClass', 'reason', substr(COALESCE(j.value ->> 'reason', ''), 1, ${chars}))::text
  FROM json_array_elements(attempt_trace::json) WITH ORDINALITY AS j(value, i) WHERE j.value ->> 'outcome' <> 'accepted' ORDER BY j.i DESC LIMIT 1)`,
};

/** `?` → `$1`, `$2`, … (the plans' SQL holds no `?` inside a string literal). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Runs `run` against PostgreSQL, turning "the database is away" (or not migrated yet) into the 503. */
export async function runOnPgSafely<T>(isReady: () => boolean, run: () => Promise<T>): Promise<T> {
  if (!isReady()) throw unavailable("not reachable since the gateway started");
  try {
    return await withDeadline(run(), READ_DEADLINE_MS, "PostgreSQL");
  } catch (error) {
    if (isUnavailable(error)) throw unavailable(error);
    throw withoutParameters(error);
  }
}

/**
 * A failed query's error without drizzle's wrapper, whose message lists every parameter (a password
 * hash, the session key, a prompt): what reaches a log or an answer says the server's error and code only.
 */
function withoutParameters(error: unknown): unknown {
  const cause = rootCause(error);
  if (!(cause instanceof Error) || cause.name !== "PostgresError") return error;
  return Object.assign(new Error(describePgError(cause)), { code: (cause as { code?: string }).code });
}

/** Runs `plan` on PostgreSQL; rejects with a 503 GatewayError when the database is away (or not migrated yet). */
export async function runOnPg<T>(sql: Sql, plan: QueryPlan<T>, isReady: () => boolean = () => true): Promise<T> {
  let step = plan.next([]);
  while (!step.done) {
    const { sql: text, params } = step.value;
    const rows = await runOnPgSafely(isReady, () => sql.unsafe(numbered(text), params as never[]));
    step = plan.next([...rows]);
  }
  return step.value;
}

/** The request log's read side on PostgreSQL. */
export const pgLogReader = (sql: Sql, isReady?: () => boolean): LogReader =>
  planReader((plan) => runOnPg(sql, plan, isReady), POSTGRES);
