/**
 * The read side of the request log behind one interface, chosen at boot: the logs list, one request,
 * the count, the export, the stats, the refused requests and the health windows. Both stores run the same query plans
 * (src/store/queries/*.ts); only the runner and the dialect differ: SQLite answers at once, PostgreSQL
 * (cluster mode) with a promise. The admin routes await it either way.
 */
import type { Store } from "./db.ts";
import {
  countLogsPlan,
  exportFrom,
  getLogPlan,
  type LogCount,
  type LogDetail,
  type LogFilter,
  type LogPageResult,
  type LogSort,
  listLogsPlan,
} from "./queries/logs.ts";
import { type Dialect, type PlanRunner, type QueryPlan, runOnSqlite, SQLITE } from "./queries/plan.ts";
import { type RefusedRange, type RefusedTotals, refusedTotalsPlan } from "./queries/refused.ts";
import {
  type KeyUsagePoint,
  keySpendSincePlan,
  keyUsagePlan,
  queryStatsPlan,
  type StatsRange,
  type StatsResult,
} from "./queries/stats.ts";
import { type TargetWindow, targetWindowsPlan, type WindowRange } from "./queries/target-stats.ts";

export interface LogReader {
  listLogs(filter: LogFilter, page?: { cursor?: string; limit?: number }, sort?: LogSort): Promise<LogPageResult>;
  /** Rows matching `filter`, up to `COUNT_CAP`. */
  countLogs(filter: LogFilter): Promise<LogCount>;
  getLog(id: string): Promise<LogDetail | undefined>;
  /** Resolves once the store answered (a store that is away rejects here, before any byte is sent). */
  exportLogs(filter: LogFilter, format: "csv" | "jsonl", sort?: LogSort): Promise<ReadableStream<Uint8Array>>;
  /** Refused requests by code (they are in no rollup). */
  refusedTotals(range: RefusedRange): Promise<RefusedTotals>;
  queryStats(range: StatsRange): Promise<StatsResult>;
  targetWindows(range: WindowRange): Promise<Map<string, TargetWindow>>;
  /** A key's logged requests and cost per bucket since `from`. */
  keyUsage(id: string, from: number, bucketMs: number): Promise<KeyUsagePoint[]>;
  /** What a key spent since `since` (µ$), by the log: where a budget window starts after a restart. */
  keySpendSince(id: string, since: number): Promise<number>;
}

function* ping(): QueryPlan<void> {
  yield { sql: "SELECT 1", params: [] };
}

/** A reader running the plans with `run` in `dialect`. */
export function planReader(run: PlanRunner, dialect: Dialect): LogReader {
  const go = async <T>(plan: QueryPlan<T>): Promise<T> => run(plan);
  return {
    listLogs: (filter, page, sort) => go(listLogsPlan(filter, page, sort, dialect)),
    countLogs: (filter) => go(countLogsPlan(filter, dialect)),
    getLog: (id) => go(getLogPlan(id, dialect)),
    async exportLogs(filter, format, sort = {}) {
      await go(ping());
      return exportFrom({ run, dialect }, filter, format, sort);
    },
    refusedTotals: (range) => go(refusedTotalsPlan(range, dialect)),
    queryStats: (range) => go(queryStatsPlan(range)),
    targetWindows: (range) => go(targetWindowsPlan(range)),
    keyUsage: (id, from, bucketMs) => go(keyUsagePlan(id, from, bucketMs)),
    keySpendSince: (id, since) => go(keySpendSincePlan(id, since)),
  };
}

export const sqliteLogReader = (store: Store): LogReader => planReader((plan) => runOnSqlite(store, plan), SQLITE);
