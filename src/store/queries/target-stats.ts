/**
 * Per-target figures over ATTEMPTS, from the target rollups (src/store/target-rollups.ts): how often
 * each model was tried, how often it failed (its upstream error rate), how often the gateway retried it
 * or failed over away from it, and how many requests it finally answered; with attempt latency and the
 * answering attempts' time to first token. Used by the dashboard (`byTarget`) and the health page
 * (a window with a series per target).
 */

import type { Store } from "../db.ts";
import { addTo, emptyHistogram, quantile } from "../histogram.ts";
import { TARGET_ROLLUP_COLUMNS, type TargetRollupOf } from "../target-rollups.ts";
import { type QueryPlan, runOnSqlite } from "./plan.ts";

type TargetRollupRow = TargetRollupOf<string>;
type Percentiles = { avg?: number; p50?: number; p95?: number; p99?: number };

export interface TargetTotals {
  /** "provider/model". */
  target: string;
  attempts: number;
  /** Attempts that were not accepted (an upstream error, a timeout, a bad answer, a cut stream). */
  failures: number;
  /** failures / attempts (0 with no attempts): the model's own upstream error rate. */
  errorRate: number;
  /** Failed attempts retried on this same model. */
  retries: number;
  /** Failed attempts after which the request moved to another model. */
  failovers: number;
  /** Requests this model finally answered. */
  answered: number;
  /** Attempt durations. */
  latencyMs: Percentiles;
  /** Time to first token of the answering attempts, from each attempt's start. */
  ttftMs: Percentiles;
}

/** One bucket of a target's series. */
export interface TargetPoint {
  t: number;
  attempts: number;
  failures: number;
  errorRate: number;
  latencyMs: Percentiles;
  ttftMs: Percentiles;
}

class TargetAccumulator {
  attempts = 0;
  failures = 0;
  retries = 0;
  failovers = 0;
  answered = 0;
  latencySum = 0;
  latencyHist = emptyHistogram();
  ttftSum = 0;
  ttftCount = 0;
  ttftHist = emptyHistogram();

  add(r: TargetRollupRow): void {
    this.attempts += r.attempts;
    this.failures += r.failures;
    this.retries += r.retries;
    this.failovers += r.failovers;
    this.answered += r.answered;
    this.latencySum += r.latencySum;
    addTo(this.latencyHist, JSON.parse(r.latencyHist));
    this.ttftSum += r.ttftSum;
    this.ttftCount += r.ttftCount;
    addTo(this.ttftHist, JSON.parse(r.ttftHist));
  }

  point(t: number): TargetPoint {
    const { attempts, failures, errorRate, latencyMs, ttftMs } = this.totals("");
    return { t, attempts, failures, errorRate, latencyMs, ttftMs };
  }

  totals(target: string): TargetTotals {
    const pct = (h: number[]) => ({ p50: quantile(h, 0.5), p95: quantile(h, 0.95), p99: quantile(h, 0.99) });
    return {
      target,
      attempts: this.attempts,
      failures: this.failures,
      errorRate: this.attempts > 0 ? this.failures / this.attempts : 0,
      retries: this.retries,
      failovers: this.failovers,
      answered: this.answered,
      latencyMs: { avg: this.attempts > 0 ? this.latencySum / this.attempts : undefined, ...pct(this.latencyHist) },
      ttftMs: { avg: this.ttftCount > 0 ? this.ttftSum / this.ttftCount : undefined, ...pct(this.ttftHist) },
    };
  }
}

function* targetRows(
  resolution: "minute" | "day",
  { from, to }: { from: number; to: number },
  filter: { tier?: string; model?: string },
): QueryPlan<TargetRollupRow[]> {
  const table = resolution === "minute" ? "stats_target_minute" : "stats_target_day";
  const clauses = [`${resolution} >= ?`, `${resolution} < ?`];
  const params: (string | number)[] = [from, to];
  if (filter.tier) clauses.push("tier = ?"), params.push(filter.tier);
  if (filter.model) clauses.push("target = ?"), params.push(filter.model);
  return (yield {
    sql: `SELECT ${resolution} AS period, ${TARGET_ROLLUP_COLUMNS} FROM ${table} WHERE ${clauses.join(" AND ")}`,
    params,
  }) as unknown as TargetRollupRow[];
}

const mostTried = (a: TargetTotals, b: TargetTotals) => b.attempts - a.attempts || a.target.localeCompare(b.target);

/** Every target tried in the range (edges on whole `resolution` periods), most attempts first. */
export function* targetTotalsPlan(
  resolution: "minute" | "day",
  range: { from: number; to: number },
  filter: { tier?: string; model?: string } = {},
): QueryPlan<TargetTotals[]> {
  const byTarget = new Map<string, TargetAccumulator>();
  for (const r of yield* targetRows(resolution, range, filter)) {
    let acc = byTarget.get(r.target);
    if (!acc) byTarget.set(r.target, (acc = new TargetAccumulator()));
    acc.add(r);
  }
  return [...byTarget].map(([target, acc]) => acc.totals(target)).sort(mostTried);
}

export const targetTotals = (
  store: Store,
  resolution: "minute" | "day",
  range: { from: number; to: number },
  filter: { tier?: string; model?: string } = {},
): TargetTotals[] => runOnSqlite(store, targetTotalsPlan(resolution, range, filter));

export interface TargetWindow {
  totals: TargetTotals;
  /** One point per bucket from `from` to `to`, empty buckets included (attempts 0). */
  series: TargetPoint[];
}

function seriesOf(
  perBucket: Map<number, TargetAccumulator> | undefined,
  range: { from: number; to: number; bucketMs: number },
) {
  const series: TargetPoint[] = [];
  for (let t = range.from; t < range.to; t += range.bucketMs)
    series.push((perBucket?.get(t) ?? new TargetAccumulator()).point(t));
  return series;
}

/** The window of a target with no attempt in it: zeros, and a series of empty buckets. */
export function emptyTargetWindow(target: string, range: { from: number; to: number; bucketMs: number }): TargetWindow {
  return { totals: new TargetAccumulator().totals(target), series: seriesOf(undefined, range) };
}

export type WindowRange = { from: number; to: number; bucketMs: number };

export const targetWindows = (store: Store, range: WindowRange): Map<string, TargetWindow> =>
  runOnSqlite(store, targetWindowsPlan(range));

/** Each target's totals and series over a window of whole minutes (the health page's windows). */
export function* targetWindowsPlan(range: WindowRange): QueryPlan<Map<string, TargetWindow>> {
  const { from, bucketMs } = range;
  const totals = new Map<string, TargetAccumulator>();
  const buckets = new Map<string, Map<number, TargetAccumulator>>();
  for (const r of yield* targetRows("minute", range, {})) {
    let acc = totals.get(r.target);
    if (!acc) totals.set(r.target, (acc = new TargetAccumulator()));
    acc.add(r);
    let perBucket = buckets.get(r.target);
    if (!perBucket) buckets.set(r.target, (perBucket = new Map()));
    const t = from + Math.floor((r.period - from) / bucketMs) * bucketMs;
    let bucket = perBucket.get(t);
    if (!bucket) perBucket.set(t, (bucket = new TargetAccumulator()));
    bucket.add(r);
  }
  const result = new Map<string, TargetWindow>();
  for (const [target, acc] of totals)
    result.set(target, { totals: acc.totals(target), series: seriesOf(buckets.get(target), range) });
  return result;
}
