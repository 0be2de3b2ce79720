/** An existing database made by the first migration upgrades in place, keeping its data. */
import { afterAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS_DIR, openStore } from "../../src/store/db.ts";

const dir = mkdtempSync(join(tmpdir(), "smartroute-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the migrations folder as it was when only the migrations `keep` selects existed. */
function migrationsAsOf(name: string, keep: (entry: { idx: number; tag: string }) => boolean): string {
  const folder = join(dir, name);
  cpSync(MIGRATIONS_DIR, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  journal.entries = journal.entries.filter(keep);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

/** A data directory made by the migrations `keep` selects, holding the row `insert` writes (then closed). */
function oldDatabase(name: string, keep: (entry: { idx: number; tag: string }) => boolean, insert: string): string {
  const data = join(dir, `data-${name}`);
  const old = openStore(data, { migrationsFolder: migrationsAsOf(`migrations-${name}`, keep) });
  old.sqlite.run(insert);
  old.close();
  return data;
}

test("a database created by migration 0000 opens with every later migration applied and its rows intact", () => {
  const data = oldDatabase(
    "v1",
    (e) => e.idx === 0,
    "INSERT INTO requests (id, ts, requested_model, tier, status, latency_ms, overhead_ms, attempts, attempt_trace, stream) VALUES ('req_old', 1, 'auto', 't1', 200, 5, 0.1, 1, '[]', 0)",
  );

  const upgraded = openStore(data);
  const applied = upgraded.sqlite.query("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
  const all = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")).entries.length;
  expect(applied.n).toBe(all);
  expect(upgraded.sqlite.query("SELECT id FROM requests").all()).toEqual([{ id: "req_old" }]);
  const tables = (
    upgraded.sqlite.query("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
  ).map((t) => t.name);
  for (const table of [
    "requests",
    "stats_minute",
    "stats_day",
    "health_state",
    "config_history",
    "users",
    "sessions",
    "api_keys",
    "audit_log",
  ])
    expect(tables).toContain(table);
  upgraded.close();
  // opening again changes nothing
  const again = openStore(data);
  expect((again.sqlite.query("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n).toBe(all);
  again.close();
});

test("migration 0003 renames requests.error_class to error_code and keeps the codes of old rows", () => {
  const data = oldDatabase(
    "v3",
    (e) => e.tag < "0003",
    "INSERT INTO requests (id, ts, requested_model, tier, status, error_class, latency_ms, overhead_ms, attempts, attempt_trace, stream) VALUES ('req_failed', 1, 'auto', 't1', 502, 'upstream_error', 5, 0.1, 1, '[]', 0)",
  );

  const upgraded = openStore(data);
  const columns = (upgraded.sqlite.query("PRAGMA table_info(requests)").all() as { name: string }[]).map((c) => c.name);
  expect(columns).toContain("error_code");
  expect(columns).not.toContain("error_class");
  expect(upgraded.sqlite.query("SELECT id, error_code AS code FROM requests").all()).toEqual([
    { id: "req_failed", code: "upstream_error" },
  ]);
  upgraded.close();
});

test("the store is in WAL mode with incremental vacuum", () => {
  const store = openStore(join(dir, "modes"));
  expect(store.sqlite.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
  expect(store.sqlite.query("PRAGMA auto_vacuum").get()).toEqual({ auto_vacuum: 2 });
  store.close();
});
