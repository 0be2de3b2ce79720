/** Retention by age and by size, in the background, without losing recent rows. */
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../src/store/db.ts";
import { LogWriter } from "../../src/store/log-writer.ts";
import { applyRetention } from "../../src/store/retention.ts";
import { SqliteRowSink } from "../../src/store/row-sink.ts";
import { silentLogger } from "../helpers/run-hooks.ts";
import { storeConfig, summary } from "../helpers/summaries.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20);
const config = storeConfig();
let store: Store;
let dir: string;
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function fill(rows: { ts: number; prompt?: string }[]) {
  dir = mkdtempSync(join(tmpdir(), "smartroute-retention-"));
  store = openStore(dir);
  const writer = new LogWriter({ sink: new SqliteRowSink(store.sqlite), log: silentLogger(), flushIntervalMs: 10_000 });
  for (const row of rows) writer.enqueue(summary({ ts: row.ts, prompt: row.prompt }), config);
  await writer.close();
}
const ids = () =>
  (store.sqlite.query("SELECT ts FROM requests ORDER BY ts").all() as { ts: number }[]).map((r) => r.ts);

test("rows older than retentionDays are deleted, newer ones kept", async () => {
  await fill([{ ts: NOW - 10 * DAY }, { ts: NOW - 8 * DAY }, { ts: NOW - 6 * DAY }, { ts: NOW - DAY }]);
  const result = await applyRetention(store, { retentionDays: 7, maxDbMb: 1024, now: NOW });
  expect(result.deletedByAge).toBe(2);
  expect(ids()).toEqual([NOW - 6 * DAY, NOW - DAY]);
});

test("past maxDbMb the oldest rows go first until the database fits", async () => {
  const big = "x".repeat(20_000);
  await fill(Array.from({ length: 400 }, (_, i) => ({ ts: NOW - DAY + i * 1000, prompt: big }))); // about 16 MB of bodies
  const result = await applyRetention(store, { retentionDays: 30, maxDbMb: 5, now: NOW });
  expect(result.deletedBySize).toBeGreaterThan(0);
  const left = ids();
  expect(left.length).toBeLessThan(400);
  expect(left.at(-1)).toBe(NOW - DAY + 399 * 1000); // the newest survive
  const pages = store.sqlite.query("PRAGMA page_count").get() as { page_count: number };
  const size = store.sqlite.query("PRAGMA page_size").get() as { page_size: number };
  expect((pages.page_count * size.page_size) / 1_048_576).toBeLessThan(8); // freed pages returned by incremental vacuum
});
