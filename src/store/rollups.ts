/**
 * Per-minute and per-day aggregates, upserted by the log writer in the same transaction as the rows.
 * Counts add up in SQL; the latency histograms are merged here (one read and one write per key and
 * batch, and a batch holds few distinct keys).
 */

import { addTo, bucketOf, emptyHistogram } from "./histogram.ts";
import type { RequestRow } from "./record.ts";
import type { SqliteDatabase, SqliteStatement } from "./sqlite.ts";
import { sortedByKey, TargetRollups } from "./target-rollups.ts";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** One rollup row: a period, a tier and a model, its sums, and its histograms as `H` (arrays here, JSON text in the table). */
export interface RollupOf<H> {
  period: number;
  tier: string;
  model: string;
  requests: number;
  errors: number;
  attempts: number;
  failovers: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  costMicros: number;
  savedCostMicros: number;
  baselineMicros: number;
  savingsRequests: number;
  unpriced: number;
  estimated: number;
  latencySum: number;
  latencyHist: H;
  ttftSum: number;
  ttftCount: number;
  ttftHist: H;
}

export type Rollup = RollupOf<number[]>;

/** The columns of a rollup table, named as `RollupOf` names them (for SELECTs that read rows back; quoted for PostgreSQL). */
export const ROLLUP_COLUMNS =
  'tier, model, requests, errors, attempts, failovers, prompt_tokens AS "promptTokens", completion_tokens AS "completionTokens", cost_usd AS "costUsd", cost_micros AS "costMicros", saved_cost_micros AS "savedCostMicros", baseline_micros AS "baselineMicros", savings_requests AS "savingsRequests", unpriced, estimated, latency_sum AS "latencySum", latency_hist AS "latencyHist", ttft_sum AS "ttftSum", ttft_count AS "ttftCount", ttft_hist AS "ttftHist"';

/** Cost and savings sums; savings only over requests priced on both sides, so they compare like with like. */
function addCost(r: Rollup, row: RequestRow): void {
  const cost = row.costMicros ?? null;
  const baseline = row.baselineMicros ?? null;
  r.costMicros += cost ?? 0;
  if (cost !== null && baseline !== null) {
    r.savedCostMicros += cost;
    r.baselineMicros += baseline;
    r.savingsRequests += 1;
  }
  if (cost === null && row.model) r.unpriced += 1;
  if (row.tokenSource === "estimated") r.estimated += 1;
}

function add(map: Map<string, Rollup>, period: number, row: RequestRow, failovers: number): void {
  const model = row.model ?? "";
  const key = `${period}|${row.tier}|${model}`;
  let r = map.get(key);
  if (!r) {
    r = {
      period,
      tier: row.tier,
      model,
      requests: 0,
      errors: 0,
      attempts: 0,
      failovers: 0,
      promptTokens: 0,
      completionTokens: 0,
      costUsd: 0,
      costMicros: 0,
      savedCostMicros: 0,
      baselineMicros: 0,
      savingsRequests: 0,
      unpriced: 0,
      estimated: 0,
      latencySum: 0,
      latencyHist: emptyHistogram(),
      ttftSum: 0,
      ttftCount: 0,
      ttftHist: emptyHistogram(),
    };
    map.set(key, r);
  }
  r.requests += 1;
  if (row.status !== 200) r.errors += 1;
  r.attempts += row.attempts;
  r.failovers += failovers;
  r.promptTokens += row.promptTokens ?? 0;
  r.completionTokens += row.completionTokens ?? 0;
  r.costUsd += row.costUsd ?? 0;
  addCost(r, row);
  r.latencySum += row.latencyMs;
  r.latencyHist[bucketOf(row.latencyMs)] += 1;
  if (row.ttftMs !== null && row.ttftMs !== undefined) {
    r.ttftSum += row.ttftMs;
    r.ttftCount += 1;
    r.ttftHist[bucketOf(row.ttftMs)] += 1;
  }
}

/**
 * A batch's rollups per minute and per UTC day (what every store adds to its tables), one per period,
 * tier and model, ordered by that key (so concurrent writers lock rows in one order). `failovers[i]`
 * belongs to `rows[i]`. Refused requests are in no rollup: no tier or model served them
 * (queries/refused.ts counts them).
 */
export function rollupsOf(rows: RequestRow[], failovers: number[]): { minutes: Rollup[]; days: Rollup[] } {
  const minutes = new Map<string, Rollup>();
  const days = new Map<string, Rollup>();
  rows.forEach((row, i) => {
    if (row.refused) return;
    add(minutes, Math.floor(row.ts / MINUTE) * MINUTE, row, failovers[i]);
    add(days, Math.floor(row.ts / DAY) * DAY, row, failovers[i]);
  });
  return { minutes: sortedByKey(minutes), days: sortedByKey(days) };
}

class RollupTable {
  private readonly select: SqliteStatement;
  private readonly upsert: SqliteStatement;

  constructor(sqlite: SqliteDatabase, table: "stats_minute" | "stats_day", column: "minute" | "day") {
    this.select = sqlite.prepare(
      `SELECT latency_hist, ttft_hist FROM ${table} WHERE ${column} = ? AND tier = ? AND model = ?`,
    );
    this.upsert = sqlite.prepare(
      `INSERT INTO ${table} (${column}, tier, model, requests, errors, attempts, failovers, prompt_tokens, completion_tokens, cost_usd, latency_sum, latency_hist, ttft_sum, ttft_count, ttft_hist,
         cost_micros, saved_cost_micros, baseline_micros, savings_requests, unpriced, estimated)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
       ON CONFLICT (${column}, tier, model) DO UPDATE SET
         requests = requests + excluded.requests, errors = errors + excluded.errors, attempts = attempts + excluded.attempts,
         failovers = failovers + excluded.failovers, prompt_tokens = prompt_tokens + excluded.prompt_tokens,
         completion_tokens = completion_tokens + excluded.completion_tokens, cost_usd = cost_usd + excluded.cost_usd,
         latency_sum = latency_sum + excluded.latency_sum, latency_hist = excluded.latency_hist,
         ttft_sum = ttft_sum + excluded.ttft_sum, ttft_count = ttft_count + excluded.ttft_count, ttft_hist = excluded.ttft_hist,
         cost_micros = cost_micros + excluded.cost_micros, saved_cost_micros = saved_cost_micros + excluded.saved_cost_micros,
         baseline_micros = baseline_micros + excluded.baseline_micros, savings_requests = savings_requests + excluded.savings_requests,
         unpriced = unpriced + excluded.unpriced, estimated = estimated + excluded.estimated`,
    );
  }

  write(r: Rollup): void {
    const existing = this.select.get(r.period, r.tier, r.model) as { latency_hist: string; ttft_hist: string } | null;
    const latency = r.latencyHist;
    const ttft = r.ttftHist;
    if (existing) {
      addTo(latency, JSON.parse(existing.latency_hist));
      addTo(ttft, JSON.parse(existing.ttft_hist));
    }
    this.upsert.run(
      r.period,
      r.tier,
      r.model,
      r.requests,
      r.errors,
      r.attempts,
      r.failovers,
      r.promptTokens,
      r.completionTokens,
      r.costUsd,
      r.latencySum,
      JSON.stringify(latency),
      r.ttftSum,
      r.ttftCount,
      JSON.stringify(ttft),
      r.costMicros,
      r.savedCostMicros,
      r.baselineMicros,
      r.savingsRequests,
      r.unpriced,
      r.estimated,
    );
  }
}

export class Rollups {
  private readonly minute: RollupTable;
  private readonly day: RollupTable;
  /** The same batch counted per attempt and target (what failed where), in the same transaction. */
  private readonly targets: TargetRollups;

  constructor(sqlite: SqliteDatabase) {
    this.minute = new RollupTable(sqlite, "stats_minute", "minute");
    this.day = new RollupTable(sqlite, "stats_day", "day");
    this.targets = new TargetRollups(sqlite);
  }

  /** Adds a batch of rows; call inside the writer's transaction. `failovers[i]` belongs to `rows[i]`. */
  add(rows: RequestRow[], failovers: number[]): void {
    const { minutes, days } = rollupsOf(rows, failovers);
    for (const r of minutes) this.minute.write(r);
    for (const r of days) this.day.write(r);
    this.targets.add(rows);
  }
}
