/**
 * A day of mixed traffic through the shipped demo config (simulated models priced as their catalog
 * models): the dashboard's savings figure (GET /api/stats, from the rollups) equals a recomputation from
 * the request log's rows, in total and per tier, to the micro-dollar.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LiveConfig } from "../../src/config/live.ts";
import { formatIssues, loadConfig } from "../../src/config/load.ts";
import { Gateway } from "../../src/gateway.ts";
import { createApp } from "../../src/http/app.ts";
import { VirtualClock } from "../../src/index.ts";
import { openStore } from "../../src/store/db.ts";
import { queryStats } from "../../src/store/queries/stats.ts";
import { ROOT } from "../helpers/gateway-harness.ts";

const dir = mkdtempSync(join(tmpdir(), "smartroute-demo-savings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { info() {}, warn() {}, error() {} };

const PROMPTS = [
  { model: "auto", content: "hi, how are you?" },
  { model: "auto", content: "Write a TypeScript function that merges two sorted arrays, with tests." },
  { model: "auto", content: "Prove that there are infinitely many primes, step by step, then discuss the proof." },
  { model: "t3", content: "Plan a migration of a monolith to services." },
  { model: "t1", content: "Translate 'good morning' to French." },
];

test("the dashboard's savings equal a recomputation from the request log", async () => {
  delete process.env.OPENAI_API_KEY;
  delete process.env.DEEPSEEK_API_KEY;
  const demo = readFileSync(join(ROOT, "gateway.config.ts"), "utf8").replaceAll('from "./', `from "${ROOT}/`);
  writeFileSync(join(dir, "gateway.config.ts"), demo);
  const loaded = await loadConfig({ path: join(dir, "gateway.config.ts"), projectRoot: dir });
  if (!loaded.ok) throw new Error(formatIssues(loaded.issues));
  const clock = new VirtualClock();
  const store = openStore(":memory:", { log: quiet });
  const gateway = new Gateway({ live: LiveConfig.inline(loaded.config, quiet), log: quiet, store, deps: { clock } });
  const app = createApp(gateway);
  const from = clock.now();
  // 24 hours, a burst of the mixed prompts every hour, streamed (usage asked or not: then estimated) and not.
  for (let hour = 0; hour < 24; hour++) {
    const requests = PROMPTS.map(({ model, content }, i) => {
      const stream = (hour + i) % 3 === 0;
      const body = {
        model,
        messages: [{ role: "user", content: content.repeat(1 + (hour % 4)) }],
        ...(stream ? { stream: true, ...(hour % 2 === 0 ? { stream_options: { include_usage: true } } : {}) } : {}),
      };
      return app
        .handle(
          new Request("http://gateway/v1/chat/completions", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
          }),
        )
        .then((r) => r.text());
    });
    await clock.run(Promise.all(requests));
    await clock.advance(3_600_000);
  }
  for (let i = 0; i < 400 && (gateway.writer?.stats.queued ?? 0) > 0; i++) await Bun.sleep(5);
  const stats = queryStats(store, { from, to: clock.now() + 60_000 });
  const rows = store.sqlite
    .query("SELECT tier, cost_micros AS cost, baseline_micros AS baseline, token_source AS source FROM requests")
    .all() as { tier: string; cost: number | null; baseline: number | null; source: string | null }[];
  expect(rows.length).toBe(24 * PROMPTS.length);
  const both = rows.filter((r) => r.cost !== null && r.baseline !== null);
  const saved = both.reduce((n, r) => n + (r.baseline! - r.cost!), 0);
  expect(both.length).toBeGreaterThan(rows.length / 2);
  expect(stats.totals.savings.savedMicros).toBe(saved);
  expect(stats.totals.savings.requests).toBe(both.length);
  expect(stats.totals.costMicros).toBe(rows.reduce((n, r) => n + (r.cost ?? 0), 0));
  expect(stats.totals.estimated).toBe(rows.filter((r) => r.source === "estimated").length);
  for (const tier of stats.byTier) {
    const mine = both.filter((r) => r.tier === tier.tier);
    expect(tier.savings.savedMicros).toBe(mine.reduce((n, r) => n + (r.baseline! - r.cost!), 0));
  }
  // Cheap tiers save against the frontier baseline; nothing here is routed above it.
  expect(saved).toBeGreaterThan(0);
  expect(stats.savingsBaseline).toBe("the most expensive model each request could reach");
  // Top keys by spend (no key here): the same sums, with the counts that tell "not priced" from $0.
  expect(stats.byKey).toEqual([
    {
      apiKeyId: "",
      requests: rows.length,
      costMicros: rows.reduce((n, r) => n + (r.cost ?? 0), 0),
      savedMicros: saved,
      priced: rows.filter((r) => r.cost !== null).length,
      savingsRequests: both.length,
    },
  ]);
  await gateway.close();
}, 60_000);
