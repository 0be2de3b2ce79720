/**
 * A database from before the per-target rollups opens with them filled from its logged rows, once:
 * the dashboard's per-model attempt figures cover the log the gateway already holds.
 */
import { afterAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS_DIR, openStore } from "../../src/store/db.ts";
import { queryStats } from "../../src/store/queries/stats.ts";

const dir = mkdtempSync(join(tmpdir(), "smartroute-backfill-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

/** The migrations folder as it was before the target rollups (0006). */
function migrationsBefore(): string {
  const folder = join(dir, "migrations");
  cpSync(MIGRATIONS_DIR, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  journal.entries = journal.entries.filter((e: { tag: string }) => e.tag < "0006");
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

test("rows logged before the target rollups are counted per attempt once, on the first open", () => {
  const data = join(dir, "data");
  const old = openStore(data, { migrationsFolder: migrationsBefore() });
  expect(old.sqlite.query("SELECT name FROM sqlite_master WHERE name = 'stats_target_minute'").get()).toBeNull();
  const insert = old.sqlite.prepare(
    "INSERT INTO requests (id, ts, requested_model, tier, model, status, latency_ms, ttft_ms, overhead_ms, attempts, attempt_trace, stream) VALUES (?, ?, 'auto', 't1', ?, 200, 250, 120, 0.1, ?, ?, 0)",
  );
  for (let i = 0; i < 4; i++) {
    const ts = NOW - 30 * 60_000 + i * 60_000;
    const trace = [
      { target: "a/down", startedAt: ts, durationMs: 20, outcome: "failover", status: 503, reason: "503", body: "x" },
      { target: "b/rescue", startedAt: ts + 20, durationMs: 200, outcome: "accepted", status: 200, reason: "ok" },
    ];
    insert.run(`req_${i}`, ts, "b/rescue", 2, JSON.stringify(trace));
  }
  insert.run("req_bad", NOW - 60_000, "a/down", 1, "not json");
  old.close();

  const upgraded = openStore(data);
  const stats = queryStats(upgraded, { from: NOW - 3_600_000, to: NOW });
  expect(stats.byTarget.find((t) => t.target === "a/down")).toMatchObject({ attempts: 4, failures: 4, failovers: 4 });
  expect(stats.byTarget.find((t) => t.target === "b/rescue")).toMatchObject({ attempts: 4, answered: 4, failures: 0 });
  expect(stats.byTarget.find((t) => t.target === "b/rescue")?.ttftMs.avg).toBeCloseTo(100);
  upgraded.close();

  // Opened again: nothing is counted twice.
  const again = openStore(data);
  const twice = queryStats(again, { from: NOW - 7 * 86_400_000, to: NOW });
  expect(twice.byTarget.find((t) => t.target === "a/down")?.attempts).toBe(4);
  again.close();
});
