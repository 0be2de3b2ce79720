/**
 * Per-target aggregates of ATTEMPTS (per minute and per UTC day), upserted with the request rollups in
 * the writer's transaction. The request rollups credit a request to the model that finally answered
 * it; these credit each attempt to the model it went to, so a failover's failure counts against the
 * model that failed and its rescue for the one that answered.
 */

import type { AttemptSummary } from "../plugin/types.ts";
import { addTo, bucketOf, emptyHistogram } from "./histogram.ts";
import type { RequestRow } from "./record.ts";
import type { SqliteDatabase, SqliteStatement } from "./sqlite.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** One target rollup row; histograms as `H` (arrays here, JSON text in the table). */
export interface TargetRollupOf<H> {
  period: number;
  tier: string;
  target: string;
  attempts: number;
  failures: number;
  retries: number;
  failovers: number;
  answered: number;
  latencySum: number;
  latencyHist: H;
  ttftSum: number;
  ttftCount: number;
  ttftHist: H;
}

export type TargetRollup = TargetRollupOf<number[]>;

/** The columns of a target rollup table, named as `TargetRollupOf` names them. */
export const TARGET_ROLLUP_COLUMNS =
  'tier, target, attempts, failures, retries, failovers, answered, latency_sum AS "latencySum", latency_hist AS "latencyHist", ttft_sum AS "ttftSum", ttft_count AS "ttftCount", ttft_hist AS "ttftHist"';

export type TraceEntry = Pick<AttemptSummary, "target" | "startedAt" | "durationMs" | "outcome">;
/** What an attempt's figures need of its request's row. */
export type AttemptContext = Pick<RequestRow, "ts" | "tier" | "ttftMs">;

/** The row's attempts; a trace that does not parse counts as none (the request rollups still count it). */
function attemptsOf(row: RequestRow): TraceEntry[] {
  try {
    const trace: unknown = JSON.parse(row.attemptTrace);
    return Array.isArray(trace) ? trace.filter((a) => typeof a?.target === "string" && a.target) : [];
  } catch {
    return [];
  }
}

function add(map: Map<string, TargetRollup>, period: number, row: AttemptContext, attempt: TraceEntry): void {
  const key = `${period}|${row.tier}|${attempt.target}`;
  let r = map.get(key);
  if (!r) {
    r = {
      period,
      tier: row.tier,
      target: attempt.target,
      attempts: 0,
      failures: 0,
      retries: 0,
      failovers: 0,
      answered: 0,
      latencySum: 0,
      latencyHist: emptyHistogram(),
      ttftSum: 0,
      ttftCount: 0,
      ttftHist: emptyHistogram(),
    };
    map.set(key, r);
  }
  r.attempts += 1;
  const duration = Number(attempt.durationMs) || 0;
  r.latencySum += duration;
  r.latencyHist[bucketOf(duration)] += 1;
  if (attempt.outcome === "accepted") {
    r.answered += 1;
    // The row's first token is measured from the request's start: from the attempt's own start here.
    if (row.ttftMs !== null && row.ttftMs !== undefined) {
      const ttft = Math.max(0, row.ts + row.ttftMs - attempt.startedAt);
      r.ttftSum += ttft;
      r.ttftCount += 1;
      r.ttftHist[bucketOf(ttft)] += 1;
    }
    return;
  }
  r.failures += 1;
  if (attempt.outcome === "retry") r.retries += 1;
  // "cut" moves on like a failover does (the log writer counts it so for the request rollups too).
  if (attempt.outcome === "failover" || attempt.outcome === "cut") r.failovers += 1;
}

/** A map's values in the order of its keys: rollups are written in key order, so concurrent writers lock rows in one order. */
export function sortedByKey<V>(map: Map<string, V>): V[] {
  return [...map.keys()].sort().map((key) => map.get(key) as V);
}

/** Rows with their attempts read from the trace, for `targetRollupsOf`. */
export const withAttempts = (rows: RequestRow[]) => rows.map((row) => ({ row, attempts: attemptsOf(row) }));

/**
 * The attempts' rollups per minute and per UTC day (what every store adds to its target tables), each
 * attempt in the minute and day it started, ordered by period, tier and target.
 */
export function targetRollupsOf(items: { row: AttemptContext; attempts: TraceEntry[] }[]): {
  minutes: TargetRollup[];
  days: TargetRollup[];
} {
  const minutes = new Map<string, TargetRollup>();
  const days = new Map<string, TargetRollup>();
  for (const { row, attempts } of items) {
    for (const attempt of attempts) {
      const at = Number(attempt.startedAt) || row.ts;
      add(minutes, Math.floor(at / MINUTE) * MINUTE, row, attempt);
      add(days, Math.floor(at / DAY) * DAY, row, attempt);
    }
  }
  return { minutes: sortedByKey(minutes), days: sortedByKey(days) };
}

class TargetRollupTable {
  private readonly select: SqliteStatement;
  private readonly upsert: SqliteStatement;

  constructor(sqlite: SqliteDatabase, table: "stats_target_minute" | "stats_target_day", column: "minute" | "day") {
    this.select = sqlite.prepare(
      `SELECT latency_hist, ttft_hist FROM ${table} WHERE ${column} = ? AND tier = ? AND target = ?`,
    );
    this.upsert = sqlite.prepare(
      `INSERT INTO ${table} (${column}, tier, target, attempts, failures, retries, failovers, answered, latency_sum, latency_hist, ttft_sum, ttft_count, ttft_hist)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
       ON CONFLICT (${column}, tier, target) DO UPDATE SET
         attempts = attempts + excluded.attempts, failures = failures + excluded.failures,
         retries = retries + excluded.retries, failovers = failovers + excluded.failovers,
         answered = answered + excluded.answered, latency_sum = latency_sum + excluded.latency_sum,
         latency_hist = excluded.latency_hist, ttft_sum = ttft_sum + excluded.ttft_sum,
         ttft_count = ttft_count + excluded.ttft_count, ttft_hist = excluded.ttft_hist`,
    );
  }

  write(r: TargetRollup): void {
    const existing = this.select.get(r.period, r.tier, r.target) as { latency_hist: string; ttft_hist: string } | null;
    if (existing) {
      addTo(r.latencyHist, JSON.parse(existing.latency_hist));
      addTo(r.ttftHist, JSON.parse(existing.ttft_hist));
    }
    this.upsert.run(
      r.period,
      r.tier,
      r.target,
      r.attempts,
      r.failures,
      r.retries,
      r.failovers,
      r.answered,
      r.latencySum,
      JSON.stringify(r.latencyHist),
      r.ttftSum,
      r.ttftCount,
      JSON.stringify(r.ttftHist),
    );
  }
}

export class TargetRollups {
  private readonly minute: TargetRollupTable;
  private readonly day: TargetRollupTable;

  constructor(sqlite: SqliteDatabase) {
    this.minute = new TargetRollupTable(sqlite, "stats_target_minute", "minute");
    this.day = new TargetRollupTable(sqlite, "stats_target_day", "day");
  }

  /** Adds a batch of rows' attempts, each in the minute and day it started; call inside the writer's transaction. */
  add(rows: RequestRow[]): void {
    this.addAttempts(withAttempts(rows));
  }

  /** The same with the attempts already read (the backfill reads them with SQLite's JSON functions). */
  addAttempts(items: { row: AttemptContext; attempts: TraceEntry[] }[]): void {
    const { minutes, days } = targetRollupsOf(items);
    for (const r of minutes) this.minute.write(r);
    for (const r of days) this.day.write(r);
  }
}
