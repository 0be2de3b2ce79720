/**
 * Statistics for a time range, answered from the rollups (per minute up to three days, per UTC day
 * beyond), so a month of traffic is a few hundred small rows however many requests it held.
 * Percentiles come from the merged latency histograms (interpolated inside a bucket).
 */

import { CATALOG } from "../../pricing/catalog.ts";
import type { Store } from "../db.ts";
import { addTo, emptyHistogram, quantile } from "../histogram.ts";
import { ROLLUP_COLUMNS, type RollupOf } from "../rollups.ts";
import { type QueryPlan, runOnSqlite } from "./plan.ts";
import { type TargetTotals, targetTotalsPlan } from "./target-stats.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const BUCKET_CHOICES = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 6 * HOUR, DAY, 7 * DAY];

/** A rollup row as read back: histograms still JSON text. */
type RollupRow = RollupOf<string>;

export interface Totals {
  requests: number;
  errors: number;
  /** errors / requests (0 when there were none). */
  errorRate: number;
  /** Requests per second over the range. */
  rps: number;
  attemptsPerRequest: number;
  failovers: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Cost in integer micro-dollars (exact sums); requests not priced add nothing and are counted in `unpriced`. */
  costMicros: number;
  /**
   * Savings against the baseline over the requests priced on both sides: `savedMicros` = baseline - cost,
   * negative when routing cost more (a request routed up). Never mixed with any other kind of saving.
   */
  savings: { requests: number; baselineMicros: number; costMicros: number; savedMicros: number };
  /** Answered requests whose model has no price anywhere. */
  unpriced: number;
  /** Requests whose tokens were estimated locally (their cost and savings are estimates). */
  estimated: number;
  latencyMs: { avg?: number; p50?: number; p95?: number; p99?: number };
  ttftMs: { avg?: number; p50?: number; p95?: number; p99?: number };
}

interface SeriesPoint extends Totals {
  t: number;
  byTier: Record<string, number>;
}

export interface StatsResult {
  from: number;
  to: number;
  bucketMs: number;
  /** Which rollup answered: "minute" or "day" (then the range edges are whole UTC days). */
  resolution: "minute" | "day";
  totals: Totals;
  /** The same figures for the period of equal length just before. */
  previous: Totals;
  series: SeriesPoint[];
  byTier: (Totals & { tier: string })[];
  /** Per request, by the model that finally answered it (failed attempts before it are not its own). */
  byModel: (Totals & { model: string })[];
  /**
   * Per attempt, by the model it went to: attempts, failures and their rate, retries on it, failovers
   * away from it, requests it answered. A failover counts against the model that failed.
   */
  byTarget: TargetTotals[];
  /** Keys by spend in the range, highest first (at most 20; "" for requests without a key). */
  byKey: KeySpend[];
  /** Requests per front door ("chat", "messages", "responses", "embeddings"), most used first (ties by name). */
  byDoor: DoorTotals[];
  /** What savings are counted against, named next to the figure. */
  savingsBaseline: string;
  /** The bundled price catalog: package and snapshot date. */
  catalog: { source: string; version: string; snapshot: string };
}

/** The baseline's name when the config sets none. */
export const DEFAULT_BASELINE = "the most expensive model each request could reach";

export interface KeySpend {
  apiKeyId: string;
  requests: number;
  costMicros: number;
  savedMicros: number;
  /** Requests with a cost, and those priced on both sides (what `savedMicros` sums): 0 means "not priced", not $0. */
  priced: number;
  savingsRequests: number;
}

export interface DoorTotals {
  door: string;
  requests: number;
  /** Requests that ended with a status of 400 or above (refused or failed). */
  errors: number;
  /** Requests answered after more than one attempt. */
  failedOver: number;
  latencyMsAvg: number;
}

/**
 * Routed requests per front door over the range, from the rows (the rollups have no door): one indexed
 * range scan. Refused ones are counted apart, by code (`queries/refused.ts`), as the cards count them.
 */
export function* doorTotalsPlan(range: { from: number; to: number }): QueryPlan<DoorTotals[]> {
  return (yield {
    sql: `SELECT door, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
        SUM(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) AS "failedOver", COALESCE(AVG(latency_ms), 0) AS "latencyMsAvg"
       FROM requests WHERE ts >= ? AND ts < ? AND NOT refused GROUP BY door ORDER BY requests DESC, door`,
    params: [range.from, range.to],
  }) as unknown as DoorTotals[];
}

export const doorTotals = (store: Store, range: { from: number; to: number }): DoorTotals[] =>
  runOnSqlite(store, doorTotalsPlan(range));

/** What a key spent since `since` by the request log (a budget's starting point after a restart). */
export function* keySpendSincePlan(apiKeyId: string, since: number): QueryPlan<number> {
  const [row] = (yield {
    sql: "SELECT COALESCE(SUM(cost_micros), 0) AS micros FROM requests WHERE api_key_id = ? AND ts >= ?",
    params: [apiKeyId, since],
  }) as { micros: number }[];
  return row.micros;
}

export const keySpendSince = (store: Store, apiKeyId: string, since: number): number =>
  runOnSqlite(store, keySpendSincePlan(apiKeyId, since));

/** One bucket of a key's use: its start (epoch ms, UTC), the requests in it and what they cost. */
export interface KeyUsagePoint {
  ts: number;
  requests: number;
  costMicros: number;
}

/** A key's logged requests and cost since `from`, per `bucketMs` (UTC-aligned), oldest first. */
export function* keyUsagePlan(id: string, from: number, bucketMs: number): QueryPlan<KeyUsagePoint[]> {
  return (yield {
    sql: `SELECT (ts / ?) * ? AS ts, count(*) AS requests, coalesce(sum(cost_micros), 0) AS "costMicros"
         FROM requests WHERE api_key_id = ? AND ts >= ? GROUP BY 1 ORDER BY 1`,
    params: [bucketMs, bucketMs, id, from],
  }) as unknown as KeyUsagePoint[];
}

/** Spend per key over the range, from the rows (the rollups have no key): one indexed range scan. */
export function* spendByKeyPlan(range: { from: number; to: number }, limit = 20): QueryPlan<KeySpend[]> {
  return (yield {
    sql: `SELECT COALESCE(api_key_id, '') AS "apiKeyId", COUNT(*) AS requests, COALESCE(SUM(cost_micros), 0) AS "costMicros",
        COALESCE(SUM(CASE WHEN cost_micros IS NOT NULL AND baseline_micros IS NOT NULL THEN baseline_micros - cost_micros END), 0) AS "savedMicros",
        COUNT(cost_micros) AS priced,
        COUNT(CASE WHEN cost_micros IS NOT NULL AND baseline_micros IS NOT NULL THEN 1 END) AS "savingsRequests"
       FROM requests WHERE ts >= ? AND ts < ? GROUP BY api_key_id ORDER BY "costMicros" DESC, requests DESC LIMIT ?`,
    params: [range.from, range.to, limit],
  }) as unknown as KeySpend[];
}

export const spendByKey = (store: Store, range: { from: number; to: number }, limit = 20): KeySpend[] =>
  runOnSqlite(store, spendByKeyPlan(range, limit));

class Accumulator {
  requests = 0;
  errors = 0;
  attempts = 0;
  failovers = 0;
  promptTokens = 0;
  completionTokens = 0;
  costUsd = 0;
  costMicros = 0;
  savedCostMicros = 0;
  baselineMicros = 0;
  savingsRequests = 0;
  unpriced = 0;
  estimated = 0;
  latencySum = 0;
  latencyHist = emptyHistogram();
  ttftSum = 0;
  ttftCount = 0;
  ttftHist = emptyHistogram();

  add(r: RollupRow): void {
    this.requests += r.requests;
    this.errors += r.errors;
    this.attempts += r.attempts;
    this.failovers += r.failovers;
    this.promptTokens += r.promptTokens;
    this.completionTokens += r.completionTokens;
    this.costUsd += r.costUsd;
    this.costMicros += r.costMicros;
    this.savedCostMicros += r.savedCostMicros;
    this.baselineMicros += r.baselineMicros;
    this.savingsRequests += r.savingsRequests;
    this.unpriced += r.unpriced;
    this.estimated += r.estimated;
    this.latencySum += r.latencySum;
    addTo(this.latencyHist, JSON.parse(r.latencyHist));
    this.ttftSum += r.ttftSum;
    this.ttftCount += r.ttftCount;
    addTo(this.ttftHist, JSON.parse(r.ttftHist));
  }

  totals(seconds: number): Totals {
    const pct = (h: number[]) => ({ p50: quantile(h, 0.5), p95: quantile(h, 0.95), p99: quantile(h, 0.99) });
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: this.requests > 0 ? this.errors / this.requests : 0,
      rps: seconds > 0 ? this.requests / seconds : 0,
      attemptsPerRequest: this.requests > 0 ? this.attempts / this.requests : 0,
      failovers: this.failovers,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      costUsd: this.costUsd,
      costMicros: this.costMicros,
      savings: {
        requests: this.savingsRequests,
        baselineMicros: this.baselineMicros,
        costMicros: this.savedCostMicros,
        savedMicros: this.baselineMicros - this.savedCostMicros,
      },
      unpriced: this.unpriced,
      estimated: this.estimated,
      latencyMs: { avg: this.requests > 0 ? this.latencySum / this.requests : undefined, ...pct(this.latencyHist) },
      ttftMs: { avg: this.ttftCount > 0 ? this.ttftSum / this.ttftCount : undefined, ...pct(this.ttftHist) },
    };
  }
}

/** A bucket size giving at most about 120 points, never finer than the rollup. */
function chooseBucket(spanMs: number, resolution: "minute" | "day"): number {
  const floor = resolution === "day" ? DAY : MINUTE;
  return BUCKET_CHOICES.find((b) => b >= floor && spanMs / b <= 120) ?? BUCKET_CHOICES[BUCKET_CHOICES.length - 1];
}

function* rows(
  resolution: "minute" | "day",
  { from, to }: { from: number; to: number },
  filter: { tier?: string; model?: string },
): QueryPlan<RollupRow[]> {
  const table = resolution === "minute" ? "stats_minute" : "stats_day";
  const column = resolution;
  const clauses = [`${column} >= ?`, `${column} < ?`];
  const params: (string | number)[] = [from, to];
  if (filter.tier) clauses.push("tier = ?"), params.push(filter.tier);
  if (filter.model) clauses.push("model = ?"), params.push(filter.model);
  return (yield {
    sql: `SELECT ${column} AS period, ${ROLLUP_COLUMNS} FROM ${table} WHERE ${clauses.join(" AND ")}`,
    params,
  }) as unknown as RollupRow[];
}

export type StatsRange = {
  from: number;
  to: number;
  bucketMs?: number;
  tier?: string;
  model?: string;
  baseline?: string;
};

export const queryStats = (store: Store, range: StatsRange): StatsResult => runOnSqlite(store, queryStatsPlan(range));

export function* queryStatsPlan(range: StatsRange): QueryPlan<StatsResult> {
  const span = Math.max(range.to - range.from, MINUTE);
  const resolution = span > 3 * DAY ? "day" : "minute";
  const unit = resolution === "day" ? DAY : MINUTE;
  const from = Math.floor(range.from / unit) * unit;
  const to = Math.ceil(range.to / unit) * unit;
  const bucketMs = Math.max(range.bucketMs ?? chooseBucket(to - from, resolution), unit);
  const seconds = (to - from) / 1000;
  const current = yield* rows(resolution, { from, to }, range);
  const previous = yield* rows(resolution, { from: from - (to - from), to: from }, range);
  const byTarget = yield* targetTotalsPlan(resolution, { from, to }, range);
  const byKey = yield* spendByKeyPlan({ from, to });
  const byDoor = yield* doorTotalsPlan({ from, to });

  const total = new Accumulator();
  const before = new Accumulator();
  const byTier = new Map<string, Accumulator>();
  const byModel = new Map<string, Accumulator>();
  const buckets = new Map<number, { acc: Accumulator; byTier: Record<string, number> }>();
  for (const r of current) {
    total.add(r);
    (byTier.get(r.tier) ?? byTier.set(r.tier, new Accumulator()).get(r.tier)!).add(r);
    if (r.model) (byModel.get(r.model) ?? byModel.set(r.model, new Accumulator()).get(r.model)!).add(r);
    const t = from + Math.floor((r.period - from) / bucketMs) * bucketMs;
    let bucket = buckets.get(t);
    if (!bucket) buckets.set(t, (bucket = { acc: new Accumulator(), byTier: {} }));
    bucket.acc.add(r);
    bucket.byTier[r.tier] = (bucket.byTier[r.tier] ?? 0) + r.requests;
  }
  for (const r of previous) before.add(r);

  const series: SeriesPoint[] = [];
  for (let t = from; t < to; t += bucketMs) {
    const bucket = buckets.get(t);
    const span = Math.min(bucketMs, to - t) / 1000;
    series.push({ t, ...(bucket?.acc ?? new Accumulator()).totals(span), byTier: bucket?.byTier ?? {} });
  }
  return {
    from,
    to,
    bucketMs,
    resolution,
    totals: total.totals(seconds),
    previous: before.totals(seconds),
    series,
    byTier: [...byTier]
      .map(([tier, acc]) => ({ tier, ...acc.totals(seconds) }))
      .sort((a, b) => b.requests - a.requests),
    byModel: [...byModel]
      .map(([model, acc]) => ({ model, ...acc.totals(seconds) }))
      .sort((a, b) => b.requests - a.requests),
    byTarget,
    byKey,
    byDoor,
    savingsBaseline: range.baseline ?? DEFAULT_BASELINE,
    catalog: { ...CATALOG },
  };
}
