/**
 * Request log queries: a filtered, sorted list with keyset paging (fast at any depth: the cursor is the
 * last row's sort value and `seq`), the count of what matches, one request in full, and streamed
 * CSV / JSONL export that never builds the whole file in memory. Each is a query plan (./plan.ts), run
 * on SQLite here and on PostgreSQL in cluster mode (src/store/log-reader.ts); `dialect` says what differs.
 */

import type { AttemptSummary } from "../../plugin/types.ts";
import type { TokenParts } from "../../pricing/cost.ts";
import type { Store } from "../db.ts";
import type { SqlValue } from "../sqlite.ts";
import { type Dialect, type PlanRunner, type QueryPlan, runOnSqlite, SQLITE } from "./plan.ts";

export interface LogFilter {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** "ok" (200), "error" (anything else), or one status code. */
  status?: "ok" | "error" | number;
  tier?: string;
  /** Final "provider/model". */
  model?: string;
  apiKeyId?: string;
  /** The API the client spoke: "chat", "messages", "responses" or "embeddings". */
  door?: string;
  /** Text searched (case-insensitive) in the prompt, the error message and the request and response bodies. */
  q?: string;
  /** Refused before any route was planned (true), or routed (false). */
  refused?: boolean;
  /** The error code the request ended with (`invalid_api_key`, `rate_limited`, `upstream_error`, ...). */
  errorCode?: string;
  /** A "provider/model" that any attempt went to (not only the one that answered). */
  attempted?: string;
  /** Attempts on more than one target (true), or on one target at most (false). */
  failedOver?: boolean;
  /** At least this many attempts (2: retried or failed over). */
  minAttempts?: number;
  stream?: boolean;
  /** The `model` the client asked for (`auto`, a tier, a model). */
  requestedModel?: string;
  /** Slower than this many milliseconds. */
  minLatencyMs?: number;
}

/** What the list is ordered by: the request's time (default), its latency or its cost (unpriced last when descending). */
export type LogSortKey = "ts" | "latency" | "cost";
export interface LogSort {
  by?: LogSortKey;
  /** Default "desc": newest, slowest or dearest first. */
  order?: "asc" | "desc";
}

/** The last attempt that was not accepted: where the request failed, or what it was rescued from. */
export interface AttemptFailure {
  target: string;
  status: number;
  errorClass: string | null;
  /** The rule's reason, cut to 300 characters. */
  reason: string;
}

export interface LogListItem {
  seq: number;
  id: string;
  ts: number;
  requestedModel: string;
  tier: string;
  model: string | null;
  status: number;
  /** The request's error code (store column `error_code`); the admin API and the CSV keep the name `errorClass`. */
  errorClass: string | null;
  /** The error message (in the list, cut to 300 characters; whole in the detail). */
  errorMessage: string | null;
  latencyMs: number;
  ttftMs: number | null;
  attempts: number;
  /** Attempts went to more than one target. */
  failedOver: boolean;
  /** The last attempt that failed, if one did (in the list; the detail has the whole trace). */
  lastFailure: AttemptFailure | null;
  promptTokens: number | null;
  completionTokens: number | null;
  tokenSource: string | null;
  costUsd: number | null;
  stream: boolean;
  /** Refused before any route was planned (no tier, no attempt). */
  refused: boolean;
  apiKeyId: string | null;
  door: string;
  promptPreview: string | null;
}

export interface LogPageResult {
  items: LogListItem[];
  /** Pass back as `cursor` (with the same filter and sort) for the next page; absent on the last one. */
  nextCursor?: string;
}

export interface LogCount {
  /** Rows matching the filter, up to `COUNT_CAP`. */
  total: number;
  /** More rows match than `total` says: the count stopped at `COUNT_CAP`. */
  capped: boolean;
}

/**
 * Matching rows are counted up to this many, then "100,000+": a count walks every matching row (about
 * 0.3 s per 100,000 on a laptop), so it is its own call (`countLogs`), never in the way of a page.
 */
export const COUNT_CAP = 100_000;

const REASON_CHARS = 300;

// Aliases quoted: PostgreSQL folds unquoted names to lower case (SQLite reads them the same either way).
const BASE_COLUMNS = `seq, id, ts, requested_model AS "requestedModel", tier, model, status, error_code AS "errorClass", latency_ms AS "latencyMs", ttft_ms AS "ttftMs", attempts, prompt_tokens AS "promptTokens", completion_tokens AS "completionTokens", token_source AS "tokenSource", cost_usd AS "costUsd", stream, refused, api_key_id AS "apiKeyId", door, prompt_preview AS "promptPreview"`;

/** Distinct targets of the trace: more than one means the request failed over. */
const failedOverSql = (d: Dialect) => `(attempts > 1 AND ${d.traceTargets} > 1)`;

/** The list's columns: the row's, the message cut, whether it failed over and its last failure (JSON text). */
const listColumns = (d: Dialect) =>
  `${BASE_COLUMNS}, substr(error_message, 1, ${REASON_CHARS}) AS "errorMessage", ${failedOverSql(d)} AS "failedOver", ${d.lastFailure(REASON_CHARS)} AS "lastFailure"`;

/** `LIKE` with its wildcards escaped, so a search for "100%" finds "100%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The SQL of each sort key; cost sorts unpriced requests below every priced one. Time walks the ts index;
 * latency and cost have none (the writer's speed comes first), so those orders read the whole filtered
 * range once per page (on a million rows: a third of a second unbounded, milliseconds for a day).
 */
const SORT_SQL: Record<LogSortKey, string> = {
  ts: "ts",
  latency: "latency_ms",
  cost: "COALESCE(cost_micros, -1)",
};

interface Order {
  key: string;
  desc: boolean;
}

const orderOf = (sort: LogSort = {}): Order => ({ key: SORT_SQL[sort.by ?? "ts"], desc: sort.order !== "asc" });
const orderBy = (o: Order) => `ORDER BY ${o.key} ${o.desc ? "DESC" : "ASC"}, seq ${o.desc ? "DESC" : "ASC"}`;

/** A cursor is the last row's sort value and seq: `value:seq`. */
function parseCursor(cursor: string | undefined): { value: number; seq: number } | undefined {
  if (cursor === undefined) return undefined;
  const at = cursor.lastIndexOf(":");
  const value = Number(cursor.slice(0, at));
  const seq = Number(cursor.slice(at + 1));
  return at > 0 && Number.isFinite(value) && Number.isInteger(seq) ? { value, seq } : undefined;
}

function where(
  filter: LogFilter,
  after: { order: Order; cursor: { value: number; seq: number } } | undefined,
  d: Dialect,
) {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, ...values: SqlValue[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (after)
    add(`(${after.order.key}, seq) ${after.order.desc ? "<" : ">"} (?, ?)`, after.cursor.value, after.cursor.seq);
  if (filter.from !== undefined) add("ts >= ?", filter.from);
  if (filter.to !== undefined) add("ts < ?", filter.to);
  if (filter.status === "ok") add("status = 200");
  else if (filter.status === "error") add("status <> 200");
  else if (typeof filter.status === "number") add("status = ?", filter.status);
  // `+`: a tier or door is shared by many rows; walking the time index and testing each row beats the
  // column's own index, which the planner (without ANALYZE statistics) would otherwise pick.
  if (filter.tier) add(`${d.unindexed("tier")} = ?`, filter.tier);
  if (filter.model) add("model = ?", filter.model);
  if (filter.apiKeyId) add("api_key_id = ?", filter.apiKeyId);
  if (filter.door) add(`${d.unindexed("door")} = ?`, filter.door);
  if (filter.refused !== undefined) add(d.bool("refused", filter.refused));
  if (filter.errorCode) add("error_code = ?", filter.errorCode);
  // The trace is JSON.stringify's: `"target":"<ref>"` occurs exactly where an attempt went to <ref>
  // (a body inside the trace is a JSON string, its quotes escaped). Exact case, no wildcards.
  if (filter.attempted)
    add(d.contains("attempt_trace", "?"), JSON.stringify({ target: filter.attempted }).slice(1, -1));
  if (filter.failedOver !== undefined) add(filter.failedOver ? failedOverSql(d) : `NOT ${failedOverSql(d)}`);
  if (filter.minAttempts !== undefined) add("attempts >= ?", filter.minAttempts);
  if (filter.stream !== undefined) add(d.bool("stream", filter.stream));
  if (filter.requestedModel) add("requested_model = ?", filter.requestedModel);
  if (filter.minLatencyMs !== undefined) add("latency_ms > ?", filter.minLatencyMs);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    const like = d.like;
    add(
      `(prompt_preview ${like} ? ESCAPE '\\' OR error_message ${like} ? ESCAPE '\\' OR request_body ${like} ? ESCAPE '\\' OR response_body ${like} ? ESCAPE '\\')`,
      pattern,
      pattern,
      pattern,
      pattern,
    );
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

// SQLite answers booleans as 0/1, PostgreSQL as booleans.
type RawItem = Omit<LogListItem, "stream" | "refused" | "failedOver" | "lastFailure"> & {
  stream: number | boolean;
  refused: number | boolean;
  failedOver: number | boolean | null;
  lastFailure: string | null;
};

const toItem = (row: RawItem): LogListItem => ({
  ...row,
  stream: Boolean(row.stream),
  refused: Boolean(row.refused),
  failedOver: Boolean(row.failedOver),
  lastFailure: row.lastFailure === null ? null : (JSON.parse(row.lastFailure) as AttemptFailure),
});

/** The rows of one page: the page's seqs first (the filter and the order alone), then their columns. */
function* pageRows(
  filter: LogFilter,
  order: Order,
  page: { cursor?: string; limit: number },
  d: Dialect,
): QueryPlan<(RawItem & { sortValue: number })[]> {
  const after = parseCursor(page.cursor);
  const { sql, params } = where(filter, after && { order, cursor: after }, d);
  return (yield {
    sql: `WITH page AS (SELECT seq FROM requests ${sql} ${orderBy(order)} LIMIT ?)
       SELECT ${listColumns(d)}, ${order.key} AS "sortValue" FROM requests WHERE seq IN (SELECT seq FROM page) ${orderBy(order)}`,
    params: [...params, page.limit],
  }) as unknown as (RawItem & { sortValue: number })[];
}

/** Rows matching `filter`, up to `COUNT_CAP` (then `capped`). */
export function* countLogsPlan(filter: LogFilter, d: Dialect = SQLITE): QueryPlan<LogCount> {
  const { sql, params } = where(filter, undefined, d);
  const [row] = (yield {
    sql: `SELECT COUNT(*) AS n FROM (SELECT 1 FROM requests ${sql} LIMIT ?) AS matched`,
    params: [...params, COUNT_CAP + 1],
  }) as { n: number }[];
  return { total: Math.min(row.n, COUNT_CAP), capped: row.n > COUNT_CAP };
}

export const countLogs = (store: Store, filter: LogFilter): LogCount => runOnSqlite(store, countLogsPlan(filter));

/** One page in `sort` order (newest first by default); `nextCursor`, passed back, gives the next. */
export function* listLogsPlan(
  filter: LogFilter,
  page: { cursor?: string; limit?: number } = {},
  sort: LogSort = {},
  d: Dialect = SQLITE,
): QueryPlan<LogPageResult> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  const order = orderOf(sort);
  const rows = yield* pageRows(filter, order, { cursor: page.cursor, limit: limit + 1 }, d);
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  const items = kept.map(({ sortValue: _, ...row }) => toItem(row));
  return rows.length > limit && last ? { items, nextCursor: `${last.sortValue}:${last.seq}` } : { items };
}

export const listLogs = (
  store: Store,
  filter: LogFilter,
  page: { cursor?: string; limit?: number } = {},
  sort: LogSort = {},
): LogPageResult => runOnSqlite(store, listLogsPlan(filter, page, sort));

export interface LogDetail extends LogListItem {
  apiKeyId: string | null;
  clientIp: string | null;
  tierReason: string | null;
  errorMessage: string | null;
  overheadMs: number;
  attemptTrace: AttemptSummary[];
  requestBody: unknown;
  responseBody: unknown;
  /** Micro-dollars; null: not priced. */
  costMicros: number | null;
  baselineMicros: number | null;
  baselineModel: string | null;
  /** Tokens and micro-dollars per billed part, the price's source, and whether the tokens were estimated. */
  costDetail: CostDetail | null;
}

export interface CostDetail {
  tokens: TokenParts;
  micros: TokenParts | null;
  source: string | null;
  estimated: boolean;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text; // a truncated body stays text
  }
}

/** `bodies: false` (the CSV export, which has no body column): the bodies are not read at all. */
const detailColumns = (d: Dialect, bodies = true) =>
  `${BASE_COLUMNS}, ${failedOverSql(d)} AS "failedOver", ${d.lastFailure(REASON_CHARS)} AS "lastFailure", client_ip AS "clientIp", tier_reason AS "tierReason", error_message AS "errorMessage", overhead_ms AS "overheadMs", attempt_trace AS "attemptTrace", ${bodies ? `request_body AS "requestBody", response_body AS "responseBody"` : `NULL AS "requestBody", NULL AS "responseBody"`}, cost_micros AS "costMicros", baseline_micros AS "baselineMicros", baseline_model AS "baselineModel", cost_detail AS "costDetail"`;

type RawDetail = RawItem &
  Omit<LogDetail, keyof LogListItem | "attemptTrace" | "requestBody" | "responseBody" | "costDetail"> & {
    attemptTrace: string;
    requestBody: string | null;
    responseBody: string | null;
    costDetail: string | null;
  };

function toDetail(row: RawDetail): LogDetail {
  return {
    ...toItem(row),
    clientIp: row.clientIp,
    tierReason: row.tierReason,
    errorMessage: row.errorMessage,
    overheadMs: row.overheadMs,
    attemptTrace: JSON.parse(row.attemptTrace),
    requestBody: parseJson(row.requestBody),
    responseBody: parseJson(row.responseBody),
    costMicros: row.costMicros,
    baselineMicros: row.baselineMicros,
    baselineModel: row.baselineModel,
    costDetail: row.costDetail === null ? null : (JSON.parse(row.costDetail) as CostDetail),
  };
}

/** One request in full, bodies parsed when they are JSON. */
export function* getLogPlan(id: string, d: Dialect = SQLITE): QueryPlan<LogDetail | undefined> {
  const [row] = (yield {
    sql: `SELECT ${detailColumns(d)} FROM requests WHERE id = ?`,
    params: [id],
  }) as unknown as (RawDetail | undefined)[];
  return row ? toDetail(row) : undefined;
}

export const getLog = (store: Store, id: string): LogDetail | undefined => runOnSqlite(store, getLogPlan(id));

// ---- export: the API's own names (camelCase), ISO 8601 times, ms to 0.1, USD to 6 decimals.

const tenth = (ms: number | null) => (ms === null ? null : Math.round(ms * 10) / 10);
const usd6 = (usd: number | null) => (usd === null ? null : Math.round(usd * 1_000_000) / 1_000_000);
const iso = (ms: number) => new Date(ms).toISOString();

/** The CSV's columns: the list's fields, the failure flattened, and the request's own few extras. */
const CSV_COLUMNS = [
  "id",
  "ts",
  "requestedModel",
  "tier",
  "tierReason",
  "model",
  "status",
  "errorClass",
  "errorMessage",
  "refused",
  "latencyMs",
  "ttftMs",
  "overheadMs",
  "attempts",
  "failedOver",
  "failedTarget",
  "failedReason",
  "promptTokens",
  "completionTokens",
  "tokenSource",
  "costUsd",
  "costMicros",
  "stream",
  "apiKeyId",
  "clientIp",
  "door",
  "promptPreview",
] as const;

type CsvRow = Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>;

function csvRow(d: LogDetail): CsvRow {
  return {
    id: d.id,
    ts: iso(d.ts),
    requestedModel: d.requestedModel,
    tier: d.tier,
    tierReason: d.tierReason,
    model: d.model,
    status: d.status,
    errorClass: d.errorClass,
    errorMessage: d.errorMessage,
    refused: d.refused,
    latencyMs: tenth(d.latencyMs),
    ttftMs: tenth(d.ttftMs),
    overheadMs: tenth(d.overheadMs),
    attempts: d.attempts,
    failedOver: d.failedOver,
    failedTarget: d.lastFailure?.target ?? null,
    failedReason: d.lastFailure?.reason ?? null,
    promptTokens: d.promptTokens,
    completionTokens: d.completionTokens,
    tokenSource: d.tokenSource,
    costUsd: d.costUsd === null ? null : usd6(d.costUsd)!.toFixed(6),
    costMicros: d.costMicros,
    stream: d.stream,
    apiKeyId: d.apiKeyId,
    clientIp: d.clientIp,
    door: d.door,
    promptPreview: d.promptPreview,
  };
}

/** A JSONL line: the detail as GET /api/logs/:id answers it (nested JSON stays JSON), times and numbers readable. */
function jsonlRow(d: LogDetail): Record<string, unknown> {
  const { seq: _seq, ...rest } = d;
  return {
    ...rest,
    ts: iso(d.ts),
    latencyMs: tenth(d.latencyMs),
    ttftMs: tenth(d.ttftMs),
    overheadMs: tenth(d.overheadMs),
    costUsd: usd6(d.costUsd),
    attemptTrace: d.attemptTrace.map((a) => ({ ...a, startedAt: iso(a.startedAt), durationMs: tenth(a.durationMs) })),
  };
}

/**
 * One CSV field (the log's and the audit trail's exports): quoted when it holds a comma, quote or line
 * break; a text starting with = + - @ tab or carriage return gets a ' so a spreadsheet shows it instead
 * of running it as a formula (numbers are left as they are: -5 is a number).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const EXPORT_PAGE = 1000;

/**
 * Every matching request in `sort` order (newest first by default), as CSV (one line per request, no
 * bodies) or JSONL (the full detail with bodies and attempts as nested JSON), read from SQLite in pages
 * as the client consumes the stream.
 */
export function exportLogs(
  store: Store,
  filter: LogFilter,
  format: "csv" | "jsonl",
  sort: LogSort = {},
): ReadableStream<Uint8Array> {
  return exportFrom({ run: (plan) => runOnSqlite(store, plan), dialect: SQLITE }, filter, format, sort);
}

/** The export over any store: `run` answers each page's query (at once, or with a promise). */
export function exportFrom(
  { run, dialect: d }: { run: PlanRunner; dialect: Dialect },
  filter: LogFilter,
  format: "csv" | "jsonl",
  sort: LogSort = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const order = orderOf(sort);
  let cursor: { value: number; seq: number } | undefined;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      let out = "";
      if (!started && format === "csv") out += `${CSV_COLUMNS.join(",")}\n`;
      started = true;
      const rows = await run(exportPage(filter, order, cursor, { d, bodies: format === "jsonl" }));
      for (const row of rows) {
        const detail = toDetail(row);
        if (format === "jsonl") out += `${JSON.stringify(jsonlRow(detail))}\n`;
        else {
          const cells = csvRow(detail);
          out += `${CSV_COLUMNS.map((c) => csvCell(cells[c])).join(",")}\n`;
        }
      }
      const last = rows.at(-1);
      if (rows.length < EXPORT_PAGE || !last) done = true;
      else cursor = { value: last.sortValue, seq: last.seq };
      if (out) controller.enqueue(encoder.encode(out));
      if (done) controller.close();
    },
  });
}

/** One page of the export, after `cursor`. */
function* exportPage(
  filter: LogFilter,
  order: Order,
  cursor: { value: number; seq: number } | undefined,
  { d, bodies }: { d: Dialect; bodies: boolean },
): QueryPlan<(RawDetail & { sortValue: number })[]> {
  const { sql, params } = where(filter, cursor && { order, cursor }, d);
  return (yield {
    sql: `SELECT ${detailColumns(d, bodies)}, ${order.key} AS "sortValue" FROM requests ${sql} ${orderBy(order)} LIMIT ?`,
    params: [...params, EXPORT_PAGE],
  }) as unknown as (RawDetail & { sortValue: number })[];
}
