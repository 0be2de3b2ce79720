/** An existing database made by the first migration upgrades in place, keeping its data. */
import { afterAll, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS_DIR, openStore } from "../../src/store/db.ts";

const dir = mkdtempSync(join(tmpdir(), "smartroute-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a database created by migration 0000 opens with every later migration applied and its rows intact", () => {
  // The migrations as they were when only the first one existed.
  const firstOnly = join(dir, "migrations-v1");
  cpSync(MIGRATIONS_DIR, firstOnly, { recursive: true });
  const journalPath = join(firstOnly, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8"));
  journal.entries = journal.entries.slice(0, 1);
  writeFileSync(journalPath, JSON.stringify(journal));

  const data = join(dir, "data");
  const old = openStore(data, { migrationsFolder: firstOnly });
  old.sqlite.run(
    "INSERT INTO requests (id, ts, requested_model, tier, status, latency_ms, overhead_ms, attempts, attempt_trace, stream) VALUES ('req_old', 1, 'auto', 't1', 200, 5, 0.1, 1, '[]', 0)",
  );
  old.close();

  const upgraded = openStore(data);
  const applied = upgraded.sqlite.query("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
  const all = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")).entries.length;
  expect(applied.n).toBe(all);
  expect(upgraded.sqlite.query("SELECT id FROM requests").all()).toEqual([{ id: "req_old" }]);
  const tables = (upgraded.sqlite.query("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
  for (const table of ["requests", "stats_minute", "stats_day", "health_state", "config_history", "users", "sessions", "api_keys", "audit_log"]) expect(tables).toContain(table);
  upgraded.close();
  // opening again changes nothing
  const again = openStore(data);
  expect((again.sqlite.query("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number }).n).toBe(all);
  again.close();
});

test("the store is in WAL mode with incremental vacuum", () => {
  const store = openStore(join(dir, "modes"));
  expect(store.sqlite.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
  expect(store.sqlite.query("PRAGMA auto_vacuum").get()).toEqual({ auto_vacuum: 2 });
  store.close();
});
