/**
 * Request log queries: a filtered list with keyset paging (newest first, fast at any depth), one
 * request in full, and streamed CSV / JSONL export that never builds the whole file in memory.
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
  /** The API the client spoke: "chat", "messages" or "responses". */
  door?: string;
  /** Text searched (case-insensitive) in the prompt and the request and response bodies. */
  q?: string;
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
  latencyMs: number;
  ttftMs: number | null;
  attempts: number;
  promptTokens: number | null;
  completionTokens: number | null;
  tokenSource: string | null;
  costUsd: number | null;
  stream: boolean;
  apiKeyId: string | null;
  door: string;
  promptPreview: string | null;
}

// Aliases quoted: PostgreSQL folds unquoted names to lower case (SQLite reads them the same either way).
const LIST_COLUMNS = `seq, id, ts, requested_model AS "requestedModel", tier, model, status, error_code AS "errorClass", latency_ms AS "latencyMs", ttft_ms AS "ttftMs", attempts, prompt_tokens AS "promptTokens", completion_tokens AS "completionTokens", token_source AS "tokenSource", cost_usd AS "costUsd", stream, api_key_id AS "apiKeyId", door, prompt_preview AS "promptPreview"`;

/** `LIKE` with its wildcards escaped, so a search for "100%" finds "100%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A time range as a range of `seq` too: rows are numbered in write order, which follows time closely,
 * so the newest-first scan on the primary key can start and stop near the range instead of walking
 * the whole table. The bounds are taken over the rows in the range (through the ts index), so they
 * never exclude one; the ts clauses stay for exactness.
 */
function* seqBounds(filter: LogFilter): QueryPlan<{ min?: number; max?: number }> {
  if (filter.from === undefined && filter.to === undefined) return {};
  const [row] = (yield {
    sql: "SELECT min(seq) AS min, max(seq) AS max FROM requests WHERE ts >= ? AND ts < ?",
    params: [filter.from ?? 0, filter.to ?? Number.MAX_SAFE_INTEGER],
  }) as { min: number | null; max: number | null }[];
  return { min: row.min ?? 0, max: row.max ?? -1 };
}

function where(
  filter: LogFilter,
  cursor?: number,
  bounds: { min?: number; max?: number } = {},
  dialect: Dialect = SQLITE,
): { sql: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, ...values: SqlValue[]) => {
    clauses.push(clause);
    params.push(...values);
  };
  if (cursor !== undefined) add("seq < ?", cursor);
  if (bounds.min !== undefined) add("seq >= ?", bounds.min);
  if (bounds.max !== undefined) add("seq <= ?", bounds.max);
  if (filter.from !== undefined) add("ts >= ?", filter.from);
  if (filter.to !== undefined) add("ts < ?", filter.to);
  if (filter.status === "ok") add("status = 200");
  else if (filter.status === "error") add("status <> 200");
  else if (typeof filter.status === "number") add("status = ?", filter.status);
  if (filter.tier) add("tier = ?", filter.tier);
  if (filter.model) add("model = ?", filter.model);
  if (filter.apiKeyId) add("api_key_id = ?", filter.apiKeyId);
  if (filter.door) add("door = ?", filter.door);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    const like = dialect.like;
    add(
      `(prompt_preview ${like} ? ESCAPE '\\' OR request_body ${like} ? ESCAPE '\\' OR response_body ${like} ? ESCAPE '\\')`,
      pattern,
      pattern,
      pattern,
    );
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

const toItem = (row: LogListItem): LogListItem => ({ ...row, stream: Boolean(row.stream) });

export type LogPage = { items: LogListItem[]; nextCursor?: number };

/** One page, newest first. Pass the returned `nextCursor` back to get the next page. */
export function* listLogsPlan(
  filter: LogFilter,
  page: { cursor?: number; limit?: number } = {},
  dialect: Dialect = SQLITE,
): QueryPlan<LogPage> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 500);
  const { sql, params } = where(filter, page.cursor, yield* seqBounds(filter), dialect);
  const rows = (yield {
    sql: `SELECT ${LIST_COLUMNS} FROM requests ${sql} ORDER BY seq DESC LIMIT ?`,
    params: [...params, limit + 1],
  }) as unknown as LogListItem[];
  const items = rows.slice(0, limit).map(toItem);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].seq : undefined };
}

export const listLogs = (store: Store, filter: LogFilter, page: { cursor?: number; limit?: number } = {}): LogPage =>
  runOnSqlite(store, listLogsPlan(filter, page));

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

/** One request in full, bodies parsed when they are JSON. */
export function* getLogPlan(id: string): QueryPlan<LogDetail | undefined> {
  const [row] = (yield {
    sql: `SELECT ${LIST_COLUMNS}, client_ip AS "clientIp", tier_reason AS "tierReason", error_message AS "errorMessage", overhead_ms AS "overheadMs", attempt_trace AS "attemptTrace", request_body AS "requestBody", response_body AS "responseBody", cost_micros AS "costMicros", baseline_micros AS "baselineMicros", baseline_model AS "baselineModel", cost_detail AS "costDetail" FROM requests WHERE id = ?`,
    params: [id],
  }) as unknown as (
    | (Omit<LogDetail, "costDetail"> & {
        attemptTrace: string;
        requestBody: string | null;
        responseBody: string | null;
        costDetail: string | null;
      })
    | undefined
  )[];
  if (!row) return undefined;
  return {
    ...toItem(row),
    ...row,
    stream: Boolean(row.stream),
    attemptTrace: JSON.parse(row.attemptTrace),
    requestBody: parseJson(row.requestBody),
    responseBody: parseJson(row.responseBody),
    costDetail: row.costDetail === null ? null : (JSON.parse(row.costDetail) as CostDetail),
  };
}

export const getLog = (store: Store, id: string): LogDetail | undefined => runOnSqlite(store, getLogPlan(id));

const CSV_COLUMNS: (keyof LogListItem | "errorMessage" | "tierReason")[] = [
  "id",
  "ts",
  "requestedModel",
  "tier",
  "tierReason",
  "model",
  "status",
  "errorClass",
  "errorMessage",
  "latencyMs",
  "ttftMs",
  "attempts",
  "promptTokens",
  "completionTokens",
  "tokenSource",
  "costUsd",
  "stream",
  "apiKeyId",
  "door",
  "promptPreview",
];

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  // Quote when needed; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Every matching request, newest first, as CSV (list columns) or JSONL (full rows with bodies), read
 * from SQLite in pages as the client consumes the stream.
 */
export function exportLogs(store: Store, filter: LogFilter, format: "csv" | "jsonl"): ReadableStream<Uint8Array> {
  return exportFrom((plan) => runOnSqlite(store, plan), filter, format, SQLITE);
}

/** The export over any store: `run` answers each page's query (at once, or with a promise). */
export function exportFrom(
  run: PlanRunner,
  filter: LogFilter,
  format: "csv" | "jsonl",
  dialect: Dialect,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: number | undefined;
  let started = false;
  let done = false;
  let bounds: { min?: number; max?: number } | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      let out = "";
      if (!started && format === "csv") out += `${CSV_COLUMNS.join(",")}\n`;
      started = true;
      bounds ??= await run(seqBounds(filter));
      const { sql, params } = where(filter, cursor, bounds, dialect);
      const columns =
        format === "csv"
          ? `${LIST_COLUMNS}, error_message AS "errorMessage", tier_reason AS "tierReason"`
          : dialect.allRequestColumns;
      const rows = await run(rowsOf(`SELECT ${columns} FROM requests ${sql} ORDER BY seq DESC LIMIT 1000`, params));
      for (const row of rows)
        out +=
          format === "csv"
            ? `${CSV_COLUMNS.map((c) => csvCell(c === "stream" ? Boolean(row[c]) : row[c])).join(",")}\n`
            : `${JSON.stringify(row)}\n`;
      if (rows.length < 1000) done = true;
      else cursor = rows[rows.length - 1].seq as number;
      if (out) controller.enqueue(encoder.encode(out));
      if (done) controller.close();
    },
  });
}

/** A plan of one query whose rows are its result. */
function* rowsOf(sql: string, params: SqlValue[]): QueryPlan<Record<string, unknown>[]> {
  return yield { sql, params };
}
