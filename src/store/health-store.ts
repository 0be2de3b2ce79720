/**
 * Keeps target health across restarts: records are loaded at start and the changed ones written every
 * second (and at shutdown), never on the request path.
 */
import type { Store } from "./db.ts";
import type { HealthRecord, MemoryHealthRegistry } from "../routing/health.ts";
import type { Logger } from "../plugin/types.ts";

export function persistHealth(store: Store, registry: MemoryHealthRegistry, log: Logger, everyMs = 1_000): () => void {
  const rows = store.sqlite.query("SELECT target, state FROM health_state").all() as { target: string; state: string }[];
  const restored: [string, HealthRecord][] = [];
  for (const row of rows) {
    try {
      restored.push([row.target, JSON.parse(row.state) as HealthRecord]);
    } catch {
      log.warn(`health state of ${row.target} is unreadable; starting it fresh`);
    }
  }
  registry.restore(restored);

  const dirty = new Set<string>();
  registry.onChange = (ref) => dirty.add(ref);
  const upsert = store.sqlite.prepare("INSERT INTO health_state (target, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (target) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at");
  const remove = store.sqlite.prepare("DELETE FROM health_state WHERE target = ?");
  const flush = () => {
    if (dirty.size === 0) return;
    const records = new Map(registry.records());
    const now = Date.now();
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
