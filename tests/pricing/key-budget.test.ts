/**
 * Key budgets and in-flight caps through the real pipeline (a Gateway in memory, a scripted upstream, a
 * virtual clock): 100 requests at once against a small budget never settle above it, and a cap of 5
 * admits exactly 5 of a burst of 100.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { scripted } from "../../plugins/index.ts";
import { LiveConfig } from "../../src/config/live.ts";
import { resolveConfig } from "../../src/config/resolve.ts";
import { Gateway } from "../../src/gateway.ts";
import { createApp } from "../../src/http/app.ts";
import { VirtualClock } from "../../src/index.ts";
import type { KeyLimits } from "../../src/store/api-key-store.ts";
import { openStore } from "../../src/store/db.ts";

const quiet = { info() {}, warn() {}, error() {} };
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function setup(limits: KeyLimits, delayMs: number) {
  const clock = new VirtualClock();
  const { config } = resolveConfig({
    providers: { up: scripted([{ text: "ok", delayMs }]) },
    tiers: { t1: { models: ["up/m1"] } },
    // $1000 per million tokens: a token is a tenth of a cent, the scripted usage (1 + 1) is $0.002.
    pricing: { "up/m1": { input: 1000, output: 1000 } },
  });
  if (!config) throw new Error("config");
  gateway = new Gateway({
    live: LiveConfig.inline(config, quiet),
    log: quiet,
    store: openStore(":memory:", { log: quiet }),
    deps: { clock },
  });
  const { key, record } = await gateway.keys.create({ name: "small", limits }, clock.now());
  const app = createApp(gateway);
  const send = () =>
    app.handle(
      new Request("http://gateway/v1/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: "t1", max_tokens: 4, messages: [{ role: "user", content: "hello" }] }),
      }),
    );
  return { clock, send, id: record.id, gateway };
}

async function burst(clock: VirtualClock, send: () => Promise<Response>, n: number) {
  const responses = await clock.run(Promise.all(Array.from({ length: n }, send)));
  return Promise.all(
    responses.map(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get("retry-after"),
      body: (await r.json()) as { error?: { code: string; message: string } },
    })),
  );
}

describe("key budgets", () => {
  test("100 concurrent requests against a $0.10 budget: the settled spend never passes it", async () => {
    const { clock, send, id, gateway: g } = await setup({ budgetUsd: 0.1, budgetPeriod: "day" }, 20);
    let served = 0;
    // Bursts until one is refused whole: the budget is spent as far as a worst case allows.
    for (let round = 0, ok = -1; ok !== 0 && round < 60; round++) {
      const answers = await burst(clock, send, 100);
      ok = answers.filter((a) => a.status === 200).length;
      served += ok;
      const refused = answers.filter((a) => a.status === 429);
      expect(ok + refused.length).toBe(100);
      for (const r of refused) expect(r.body.error?.code).toBe("budget_exceeded");
      // Retry-After: until the UTC day's end.
      for (const r of refused) expect(Number(r.retryAfter)).toBeGreaterThan(0);
      expect(refused[0]?.body.error?.message).toMatch(/resets at \d{4}-\d\d-\d\dT00:00:00\.000Z/);
    }
    const window = { start: Math.floor(clock.now() / 86_400_000) * 86_400_000, limitMicros: 100_000 };
    const usage = await g.spend.ledger.usage(id, window);
    expect(usage.reservedMicros).toBe(0);
    expect(usage.spentMicros).toBe(served * 2000);
    expect(usage.spentMicros).toBeLessThanOrEqual(100_000);
    // The worst case (36 characters of messages and 4 output tokens at $0.001) is $0.04: the last requests
    // are refused while $0.04 of headroom is not left, so spend ends within one worst case of the budget.
    expect(usage.spentMicros).toBeGreaterThan(100_000 - 40_000);
  });

  test("maxConcurrent 5: a burst of 100 has exactly 5 in flight, the rest refused with concurrency_limited", async () => {
    const { clock, send, id, gateway: g } = await setup({ maxConcurrent: 5 }, 50);
    const answers = await burst(clock, send, 100);
    expect(answers.filter((a) => a.status === 200).length).toBe(5);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBe(95);
    for (const r of refused) expect(r.body.error?.code).toBe("concurrency_limited");
    expect(await g.spend.ledger.inFlight(id)).toBe(0);
    // Once they have ended, the next burst gets its 5 again.
    expect((await burst(clock, send, 100)).filter((a) => a.status === 200).length).toBe(5);
  });
});
