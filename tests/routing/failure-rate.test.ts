/**
 * Health sees a model that fails part of the time (issue 11, item 10): 1,000 requests through the
 * adaptive strategy and the health registry, in process, with an injected clock and a seeded random
 * source deciding which attempts fail. A model failing 30 % of its attempts must score clearly below a
 * healthy one and get clearly less of the traffic, however many successes it has in between.
 */
import { expect, test } from "bun:test";
import { adaptiveStrategy, cooldownsLast } from "../../plugins/strategies/index.ts";
import type { Target } from "../../src/index.ts";
import { type AttemptEffect, MemoryHealthRegistry } from "../../src/routing/health.ts";
import { UsageTracker } from "../../src/routing/usage.ts";
import { seededRandom, strategyContext, target } from "../helpers/run-hooks.ts";

const T0 = 1_800_000_000_000;
const REQUESTS = 1_000;
/** One request a second: the run covers a bit over three windows (default 300 s). */
const STEP_MS = 1_000;
const FLAKY = "up/flaky";
const STEADY = "up/steady";
const failureRates: Record<string, number> = { [FLAKY]: 0.3, [STEADY]: 0.01 };

const latencyMs: Record<string, number> = { [FLAKY]: 400, [STEADY]: 1_200 };

const failed: AttemptEffect = { ok: false, penalty: 2, reason: "503: failover" };
const answered: AttemptEffect = { ok: true, penalty: 0, reason: "healthy answer", latencyMs: 800, ttftMs: 300 };
const answeredBy = (ref: string): AttemptEffect => ({ ...answered, latencyMs: latencyMs[ref] });

/** What the pipeline does per request: order, then try each target until one answers. */
function simulate(seed: number) {
  const health = new MemoryHealthRegistry();
  const usage = new UsageTracker();
  const random = seededRandom(seed);
  const upstream = seededRandom(seed * 31 + 1);
  const targets = [target(FLAKY, { weight: 2 }), target(STEADY)];
  const first: Record<string, number> = { [FLAKY]: 0, [STEADY]: 0 };
  /** The flaky model's best score once it has a record (the first 100 requests excluded). */
  let flakyBest = 0;
  let now = T0;
  for (let i = 0; i < REQUESTS; i++, now += STEP_MS) {
    // The pipeline's waterfall for an adaptive tier: the strategy, then cooldowns last.
    const ctx = strategyContext({ tier: "t1", health, usage, now, random });
    const order = [adaptiveStrategy(), cooldownsLast()].reduce(
      (list, strategy) => strategy.orderTargets(list, ctx) as Target[],
      targets,
    );
    first[order[0].ref] += 1;
    for (const candidate of order) {
      health.beginAttempt(candidate.ref, now);
      const fails = upstream() < failureRates[candidate.ref];
      health.record(candidate.ref, now, fails ? failed : answeredBy(candidate.ref));
      if (fails) continue;
      usage.record("t1", candidate.ref, now);
      break;
    }
    if (i >= 100) flakyBest = Math.max(flakyBest, health.view(FLAKY, now).score);
  }
  return { first, flakyBest, flaky: health.view(FLAKY, now), steady: health.view(STEADY, now) };
}

test("a model failing 30 % of its attempts scores clearly below a healthy one and gets far less traffic", () => {
  const run = simulate(42);
  const share = run.first[FLAKY] / REQUESTS;
  // Before the window-based score a success took a point off the penalty: the flaky model kept coming
  // back to score 100 and led 21 % of the requests (18 to 32 % over other seeds); now 6 % (2 to 10 %).
  expect(share).toBeLessThan(0.12);
  expect(run.flakyBest).toBeLessThan(85);
  expect(run.flaky.score).toBeLessThan(run.steady.score - 25);
  expect(run.steady.score).toBeGreaterThan(90);
  expect(run.flaky.errorRate).toBeGreaterThan(0.2);
  expect(run.steady.errorRate).toBeLessThan(0.05);
});

test("the same seed gives the same traffic split", () => {
  expect(simulate(7).first).toEqual(simulate(7).first);
});

test("the view states the window, the attempts in it and the error rate", () => {
  const health = new MemoryHealthRegistry(() => ({
    decayHalfLifeMs: 300_000,
    windowMs: 60_000,
    openAfterFailures: 0,
    openCooldownMs: 10_000,
    maxCooldownMs: 20_000,
  }));
  for (let i = 0; i < 7; i++) health.record("p/a", T0, answered);
  for (let i = 0; i < 3; i++) health.record("p/a", T0, failed);
  expect(health.view("p/a", T0)).toMatchObject({
    windowMs: 60_000,
    attemptsInWindow: 10,
    failuresInWindow: 3,
    errorRate: 0.3,
    latencyMs: 800,
    ttftMs: 300,
  });
  // One window later the attempts weigh e^-1 as much; the observed rate is the same.
  expect(health.view("p/a", T0 + 60_000)).toMatchObject({ attemptsInWindow: 3.7, errorRate: 0.3 });
});

test("successes in between do not wash failures out; time does", () => {
  const health = new MemoryHealthRegistry();
  for (let i = 0; i < 100; i++) health.record("p/a", T0 + i * 1_000, i % 3 === 0 ? failed : answered);
  const now = T0 + 100_000;
  expect(health.view("p/a", now).score).toBeLessThan(50);
  expect(health.view("p/a", now + 3_600_000).score).toBeGreaterThan(95); // an hour without traffic
});
