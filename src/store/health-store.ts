/**
 * Keeps target health across restarts: records are loaded at start and the changed ones written every
 * second (and at shutdown), never on the request path. Rows written by older versions (no failure-rate
 * window) load too: the registry migrates them.
 */

import { systemClock } from "../pipeline/clock.ts";
import type { Logger } from "../plugin/types.ts";
import type { MemoryHealthRegistry, SavedHealthRecord } from "../routing/health.ts";
import type { Store } from "./db.ts";

/** Where health records are kept: this process's SQLite, or PostgreSQL (cluster mode, pg/pg-health-store.ts). */
export interface HealthSnapshots {
  load(): { target: string; state: string }[] | Promise<{ target: string; state: string }[]>;
  /** Writes the changed records in one transaction: `state` the record's JSON, undefined to delete it. */
  save(changes: { target: string; state?: string }[], now: number): void | Promise<void>;
}

/** The SQLite snapshots: synchronous, so a restore is done when `persistHealth` returns. */
function sqliteSnapshots(store: Store): HealthSnapshots {
  const upsert = store.sqlite.prepare(
    "INSERT INTO health_state (target, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (target) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
  );
  const remove = store.sqlite.prepare("DELETE FROM health_state WHERE target = ?");
  return {
    load: () =>
      store.sqlite.query("SELECT target, state FROM health_state").all() as { target: string; state: string }[],
    save: (changes, now) =>
      store.sqlite.transaction(() => {
        for (const { target, state } of changes) {
          if (state !== undefined) upsert.run(target, state, now);
          else remove.run(target);
        }
      })(),
  };
}

/**
 * `restore: false`: start from nothing (a cluster process that reached Redis replays the shared stream
 * instead of its own last records).
 */
export function persistHealth(
  store: Store,
  registry: MemoryHealthRegistry,
  log: Logger,
  options: { everyMs?: number; restore?: boolean } = {},
): () => void {
  const persisted = persistHealthIn(sqliteSnapshots(store), registry, log, options);
  return () => void persisted.stop();
}

export interface HealthPersistence {
  /** Resolves once the saved records are loaded (at once on SQLite). */
  restored: Promise<void>;
  /** Stops the timer and writes what changed since the last save (synchronously on SQLite). */
  stop(): Promise<void>;
}

/** Loads the saved records, then saves the changed ones every `everyMs` (see persistHealth). */
export function persistHealthIn(
  snapshots: HealthSnapshots,
  registry: MemoryHealthRegistry,
  log: Logger,
  options: { everyMs?: number; restore?: boolean } = {},
): HealthPersistence {
  const restored = options.restore !== false ? restoreHealth(snapshots, registry, log) : Promise.resolve();
  return { restored, stop: saveHealth(snapshots, registry, log, options.everyMs ?? 1_000) };
}

/** Loads the saved records (ones from older versions migrated); a store that cannot answer starts fresh. */
async function restoreHealth(snapshots: HealthSnapshots, registry: MemoryHealthRegistry, log: Logger): Promise<void> {
  let rows: { target: string; state: string }[];
  try {
    // Not awaited when it is not a promise, so that SQLite restores before persistHealth returns.
    const loaded = snapshots.load();
    rows = loaded instanceof Promise ? await loaded : loaded;
  } catch (error) {
    log.warn("saved health state could not be read; every target starts fresh", { error: String(error) });
    return;
  }
  const restored: [string, SavedHealthRecord][] = [];
  for (const row of rows) {
    const saved = readSaved(row.state);
    if (saved) restored.push([row.target, saved]);
    else log.warn(`health state of ${row.target} is unreadable; starting it fresh`);
  }
  registry.restore(restored);
}

/** Saves changed records every `everyMs`; returns the stop, which saves once more. */
function saveHealth(
  snapshots: HealthSnapshots,
  registry: MemoryHealthRegistry,
  log: Logger,
  everyMs: number,
): () => Promise<void> {
  const dirty = new Set<string>();
  registry.onChange = (ref) => dirty.add(ref);
  let failing = false;
  let saving: Promise<void> | undefined;
  const flush = async () => {
    // The save in progress first; its failure is its own flush's to report.
    if (saving) await saving.catch(() => {});
    if (dirty.size === 0) return;
    const records = new Map(registry.records());
    const refs = [...dirty];
    dirty.clear();
    const changes = refs.map((target) => {
      const record = records.get(target);
      return { target, state: record ? JSON.stringify(record) : undefined };
    });
    try {
      // Called at once (SQLite writes synchronously); a failed save keeps its targets for the next.
      const saved = snapshots.save(changes, systemClock.now());
      saving = saved instanceof Promise ? saved : undefined;
      await saved;
      if (failing) log.info("saving health state works again");
      failing = false;
    } catch (error) {
      for (const ref of refs) dirty.add(ref);
      // Once per outage, not every second.
      if (!failing) log.error("saving health state failed", { error: String(error) });
      failing = true;
    } finally {
      saving = undefined;
    }
  };
  const timer = setInterval(flush, everyMs);
  return () => {
    clearInterval(timer);
    const last = flush();
    registry.onChange = undefined;
    return last;
  };
}

/** A saved record, or undefined when the text is not one (the target then starts fresh). */
function readSaved(text: string): SavedHealthRecord | undefined {
  try {
    const value: unknown = JSON.parse(text);
    const scoredAt =
      typeof value === "object" && value !== null ? (value as { scoredAt?: unknown }).scoredAt : undefined;
    return typeof scoredAt === "number" ? (value as SavedHealthRecord) : undefined;
  } catch {
    return undefined;
  }
}
