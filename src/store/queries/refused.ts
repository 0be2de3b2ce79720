/**
 * Requests refused before any route was planned (a bad key, a key's limits or rate, a budget, bad
 * input, a body too large): in no rollup, since no tier or model served them, so counted here from
 * their rows over the small partial index `requests_refused_ts`. Refusals the log's rate limit kept
 * out (src/store/refused-log.ts) are not rows: /metrics counts them (`smartroute_refused_not_logged_total`).
 */
import type { Store } from "../db.ts";
import { type Dialect, type QueryPlan, runOnSqlite, SQLITE } from "./plan.ts";

export interface RefusedByCode {
  /** The code the client got (`invalid_api_key`, `rate_limited`, `budget_exceeded`, `invalid_request`, ...). */
  code: string;
  status: number;
  requests: number;
}

export interface RefusedTotals {
  /** Refused requests logged in the range. */
  requests: number;
  /** The same for the period of equal length just before. */
  previous: number;
  /** By code and status, most first (ties by code). */
  byCode: RefusedByCode[];
}

export interface RefusedRange {
  from: number;
  to: number;
  /** Only those refused after routing chose this tier (a key limited to other tiers). */
  tier?: string;
  /** No refused request has a model that served it: with one, every figure is 0. */
  model?: string;
}

function scope(range: RefusedRange): { sql: string; params: (string | number)[] } {
  if (range.model) return { sql: " AND 1 = 0", params: [] };
  if (range.tier) return { sql: " AND tier = ?", params: [range.tier] };
  return { sql: "", params: [] };
}

/** Refused requests over `[from, to)` by code, with the previous period's total. */
export function* refusedTotalsPlan(range: RefusedRange, d: Dialect = SQLITE): QueryPlan<RefusedTotals> {
  const { sql, params } = scope(range);
  // `refused = 1` (SQLite) / `= TRUE` (PostgreSQL): the partial index's own condition, so it is used.
  const refused = d.bool("refused", true);
  const byCode = (yield {
    sql: `SELECT COALESCE(error_code, '') AS code, status, COUNT(*) AS requests FROM requests
       WHERE ${refused} AND ts >= ? AND ts < ?${sql} GROUP BY COALESCE(error_code, ''), status ORDER BY requests DESC, code, status`,
    params: [range.from, range.to, ...params],
  }) as unknown as RefusedByCode[];
  const span = range.to - range.from;
  const [previous] = (yield {
    sql: `SELECT COUNT(*) AS n FROM requests WHERE ${refused} AND ts >= ? AND ts < ?${sql}`,
    params: [range.from - span, range.from, ...params],
  }) as { n: number }[];
  return { requests: byCode.reduce((n, c) => n + c.requests, 0), previous: previous.n, byCode };
}

export const refusedTotals = (store: Store, range: RefusedRange): RefusedTotals =>
  runOnSqlite(store, refusedTotalsPlan(range));
