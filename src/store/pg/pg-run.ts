/**
 * Runs the store's query plans (src/store/queries/plan.ts) on PostgreSQL: `?` placeholders numbered,
 * each query awaited, its rows handed back to the plan. A database that cannot be reached becomes a
 * 503 naming it (pg-errors.ts), so the admin API says what is wrong instead of a bare 500.
 */
import type { Sql } from "postgres";
import { type LogReader, planReader } from "../log-reader.ts";
import type { Dialect, QueryPlan } from "../queries/plan.ts";
import { isUnavailable, unavailable, withDeadline } from "./pg-errors.ts";

/** Longest wait for one query of the admin API's reads before it answers 503. */
const READ_DEADLINE_MS = 15_000;

/**
 * PostgreSQL's differences for the plans. The export's columns are SQLite's `SELECT *` order (its
 * later migrations appended columns) with `stream` as 0/1, so a JSONL export is the same on both stores.
 */
export const POSTGRES: Dialect = {
  like: "ILIKE",
  allRequestColumns:
    "seq, id, ts, api_key_id, client_ip, requested_model, tier, tier_reason, model, status, error_code, error_message, latency_ms, ttft_ms, overhead_ms, attempts, attempt_trace, prompt_tokens, completion_tokens, token_source, cost_usd, stream::int AS stream, prompt_preview, request_body, response_body, door, cost_micros, baseline_micros, baseline_model, cost_detail",
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
    throw isUnavailable(error) ? unavailable(error) : error;
  }
}

/** Runs `plan` on PostgreSQL; rejects with a 503 GatewayError when the database is away (or not migrated yet). */
export async function runOnPg<T>(sql: Sql, plan: QueryPlan<T>, isReady: () => boolean = () => true): Promise<T> {
  if (!isReady()) throw unavailable("not reachable since the gateway started");
  let step = plan.next([]);
  while (!step.done) {
    let rows: Record<string, unknown>[];
    try {
      rows = [
        ...(await withDeadline(
          sql.unsafe(numbered(step.value.sql), step.value.params as never[]),
          READ_DEADLINE_MS,
          "PostgreSQL",
        )),
      ];
    } catch (error) {
      throw isUnavailable(error) ? unavailable(error) : error;
    }
    step = plan.next(rows);
  }
  return step.value;
}

/** The request log's read side on PostgreSQL. */
export const pgLogReader = (sql: Sql, isReady?: () => boolean): LogReader =>
  planReader((plan) => runOnPg(sql, plan, isReady), POSTGRES);
