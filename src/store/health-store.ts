/**
 * Keeps target health across restarts: records are loaded at start and the changed ones written every
 * second (and at shutdown), never on the request path. Rows written by older versions (no failure-rate
 * window) load too: the registry migrates them.
 */

import { systemClock } from "../pipeline/clock.ts";
import type { Logger } from "../plugin/types.ts";
import type { MemoryHealthRegistry, SavedHealthRecord } from "../routing/health.ts";
import type { Store } from "./db.ts";

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
  if (options.restore !== false) restoreHealth(store, registry, log);
  return saveHealth(store, registry, log, options.everyMs ?? 1_000);
}

/** Loads the saved records (ones from older versions migrated). */
function restoreHealth(store: Store, registry: MemoryHealthRegistry, log: Logger): void {
  const rows = store.sqlite.query("SELECT target, state FROM health_state").all() as {
    target: string;
    state: string;
  }[];
  const restored: [string, SavedHealthRecord][] = [];
  for (const row of rows) {
    const saved = readSaved(row.state);
    if (saved) restored.push([row.target, saved]);
    else log.warn(`health state of ${row.target} is unreadable; starting it fresh`);
  }
  registry.restore(restored);
}

/** Saves changed records every `everyMs` (see persistHealth). */
function saveHealth(store: Store, registry: MemoryHealthRegistry, log: Logger, everyMs: number): () => void {
  const dirty = new Set<string>();
  registry.onChange = (ref) => dirty.add(ref);
  const upsert = store.sqlite.prepare(
    "INSERT INTO health_state (target, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (target) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
  );
  const remove = store.sqlite.prepare("DELETE FROM health_state WHERE target = ?");
  const flush = () => {
    if (dirty.size === 0) return;
    const records = new Map(registry.records());
    const now = systemClock.now();
    try {
      store.sqlite.transaction(() => {
        for (const ref of dirty) {
          const record = records.get(ref);
          if (record) upsert.run(ref, JSON.stringify(record), now);
          else remove.run(ref);
        }
      })();
      dirty.clear();
    } catch (error) {
      log.error("saving health state failed", { error: String(error) });
    }
  };
  const timer = setInterval(flush, everyMs);
  return () => {
    clearInterval(timer);
    flush();
    registry.onChange = undefined;
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
