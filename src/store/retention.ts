/**
 * Keeps the request log within `logging.retentionDays` and `logging.maxDbMb`: deletes the oldest rows
 * in small chunks (the writer's transactions slip in between), then returns freed pages to the file
 * system with an incremental vacuum. Runs in the background on a timer.
 */
import { statSync } from "node:fs";
import { systemClock } from "../pipeline/clock.ts";
import type { Logger } from "../plugin/types.ts";
import type { Store } from "./db.ts";

const DAY = 86_400_000;
const CHUNK = 2_000;

export type RetentionResult = {
  deletedByAge: number;
  deletedBySize: number;
};

function fileMb(store: Store): number {
  if (store.path === ":memory:") {
    const pages = store.sqlite.query("PRAGMA page_count").get() as { page_count: number };
    const size = store.sqlite.query("PRAGMA page_size").get() as { page_size: number };
    return (pages.page_count * size.page_size) / 1_048_576;
  }
  let bytes = 0;
  for (const suffix of ["", "-wal"]) {
    try {
      bytes += statSync(store.path + suffix).size;
    } catch {
      // no WAL file right now
    }
  }
  return bytes / 1_048_576;
}

/** Rows still in use (pages minus free pages), in MB: what deleting more can reduce. */
function usedMb(store: Store): number {
  const q = (pragma: string) =>
    Object.values(store.sqlite.query(`PRAGMA ${pragma}`).get() as Record<string, number>)[0];
  return ((q("page_count") - q("freelist_count")) * q("page_size")) / 1_048_576;
}

const yieldToWriter = () => new Promise((resolve) => setTimeout(resolve, 0));

async function deleteOldest(store: Store, where: string, params: number[], maxRows: number): Promise<number> {
  let deleted = 0;
  const statement = store.sqlite.prepare(
    `DELETE FROM requests WHERE seq IN (SELECT seq FROM requests ${where} ORDER BY seq LIMIT ?)`,
  );
  while (deleted < maxRows) {
    const { changes } = statement.run(...params, Math.min(CHUNK, maxRows - deleted));
    deleted += changes;
    if (changes < CHUNK) break;
    await yieldToWriter();
  }
  return deleted;
}

/**
 * The oldest time kept: rows and per-minute rollups before it go (per-day rollups stay). A whole
 * millisecond (a clock may give fractions; PostgreSQL's bigint refuses them), rounded up so that
 * `ts < cutoff` selects exactly the same integer times.
 */
export const retentionCutoff = (now: number, retentionDays: number) => Math.ceil(now - retentionDays * DAY);

export async function applyRetention(
  store: Store,
  options: { retentionDays: number; maxDbMb: number; now: number },
): Promise<RetentionResult> {
  const cutoff = retentionCutoff(options.now, options.retentionDays);
  const deletedByAge =
    options.retentionDays > 0 ? await deleteOldest(store, "WHERE ts < ?", [cutoff], Number.MAX_SAFE_INTEGER) : 0;
  store.sqlite.prepare("DELETE FROM stats_minute WHERE minute < ?").run(cutoff);
  store.sqlite.prepare("DELETE FROM stats_target_minute WHERE minute < ?").run(cutoff);
  let deletedBySize = 0;
  for (let round = 0; round < 100 && usedMb(store) > options.maxDbMb; round++) {
    const count = (store.sqlite.query("SELECT count(*) AS n FROM requests").get() as { n: number }).n;
    if (count === 0) break;
    // Remove a twentieth of the rows per round, oldest first, until under the cap.
    const removed = await deleteOldest(store, "", [], Math.max(1, Math.ceil(count / 20)));
    deletedBySize += removed;
    if (removed === 0) break;
  }
  if (deletedByAge + deletedBySize > 0) store.sqlite.run("PRAGMA incremental_vacuum");
  return { deletedByAge, deletedBySize };
}

export type RetentionLimits = { retentionDays: number; maxDbMb: number };

/** Runs retention now and then every `everyMs` (default hourly), reading the limits from `settings()`. */
export function scheduleRetention(
  store: Store,
  settings: () => RetentionLimits,
  log: Logger,
  everyMs = 3_600_000,
): () => void {
  return scheduleRetentionOf(
    async (limits, now) => ({
      ...(await applyRetention(store, { ...limits, now })),
      fileMb: Math.round(fileMb(store)),
    }),
    settings,
    log,
    everyMs,
  );
}

/** The same timer over any store's retention (`apply` answers what it deleted, and anything worth logging). */
export function scheduleRetentionOf(
  apply: (limits: RetentionLimits, now: number) => Promise<RetentionResult>,
  settings: () => RetentionLimits,
  log: Logger,
  everyMs = 3_600_000,
): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const result = await apply(settings(), systemClock.now());
      if (result.deletedByAge + result.deletedBySize > 0) log.info("request log retention", result);
    } catch (error) {
      log.error("request log retention failed", { error: String(error) });
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, 1_000);
  const timer = setInterval(run, everyMs);
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
