/**
 * Fills the per-target attempt rollups from the request log rows that predate them, once per database
 * (a marker in `settings`), so an upgraded gateway's dashboard and health windows count the attempts
 * of the log it already holds. The attempt fields are read by SQLite's JSON functions (no body parsed
 * in JS). The marker is written first, in the same transaction: a second process opening the database
 * meanwhile waits for the lock and then finds the marker, so no row is counted twice.
 */

import type { SqliteDatabase } from "./sqlite.ts";
import { type AttemptContext, TargetRollups, type TraceEntry } from "./target-rollups.ts";

const MARKER = "store.targetRollupsBackfilled";
const CHUNK = 5_000;

interface AttemptRow {
  seq: number;
  ts: number;
  tier: string;
  ttftMs: number | null;
  target: string | null;
  startedAt: number | null;
  durationMs: number | null;
  outcome: string | null;
}

/** Backfills once; returns the rows read (0 when it had been done, or the log was empty). */
export function backfillTargetRollups(sqlite: SqliteDatabase, now: number): number {
  let rowsRead = 0;
  sqlite.transaction(() => {
    const claimed = sqlite
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, 'true', ?) ON CONFLICT (key) DO NOTHING")
      .run(MARKER, now);
    if (claimed.changes === 0) return;
    const rollups = new TargetRollups(sqlite);
    const select = sqlite.prepare(
      `SELECT r.seq AS seq, r.ts AS ts, r.tier AS tier, r.ttft_ms AS ttftMs,
         json_extract(a.value, '$.target') AS target, json_extract(a.value, '$.startedAt') AS startedAt,
         json_extract(a.value, '$.durationMs') AS durationMs, json_extract(a.value, '$.outcome') AS outcome
       FROM (SELECT seq, ts, tier, ttft_ms, attempt_trace FROM requests WHERE seq > ? ORDER BY seq LIMIT ?) r,
         json_each(CASE WHEN json_valid(r.attempt_trace) THEN r.attempt_trace ELSE '[]' END) a
       ORDER BY r.seq`,
    );
    const count = sqlite.prepare(
      "SELECT count(*) AS n, max(seq) AS last FROM (SELECT seq FROM requests WHERE seq > ? ORDER BY seq LIMIT ?)",
    );
    let after = 0;
    for (;;) {
      const { n, last } = count.get(after, CHUNK) as { n: number; last: number | null };
      if (n === 0 || last === null) break;
      const byRow = new Map<number, { row: AttemptContext; attempts: TraceEntry[] }>();
      for (const a of select.all(after, CHUNK) as AttemptRow[]) {
        let item = byRow.get(a.seq);
        if (!item) byRow.set(a.seq, (item = { row: { ts: a.ts, tier: a.tier, ttftMs: a.ttftMs }, attempts: [] }));
        if (typeof a.target === "string" && a.target)
          item.attempts.push({
            target: a.target,
            startedAt: a.startedAt ?? a.ts,
            durationMs: a.durationMs ?? 0,
            outcome: a.outcome as TraceEntry["outcome"],
          });
      }
      rollups.addAttempts([...byRow.values()]);
      rowsRead += n;
      after = last;
    }
  })();
  return rowsRead;
}
