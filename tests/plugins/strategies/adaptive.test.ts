/** The adaptive strategy: deterministic under a seeded random source; health first, then spread. */
import { describe, expect, test } from "bun:test";
import { scoreTargets, streakPenalty } from "../../../plugins/strategies/adaptive.ts";
import type { Target } from "../../../src/plugin/types.ts";
import { MemoryHealthRegistry } from "../../../src/routing/health.ts";
import { UsageTracker } from "../../../src/routing/usage.ts";
import { scoreInput, seededRandom } from "../../helpers/run-hooks.ts";

const T0 = 1_800_000_000_000;
const target = (ref: string, weight = 1): Target => ({
  ref,
  provider: ref.split("/")[0],
  model: ref.split("/")[1],
  weight,
  vision: true,
  prefill: false,
});

/** Picks `n` requests in a row, recording each pick as the pipeline does. */
function pick(
  targets: Target[],
  n: number,
  options: { health?: MemoryHealthRegistry; seed?: number } = {},
): Record<string, number> {
  const health = options.health ?? new MemoryHealthRegistry();
  const usage = new UsageTracker();
  const random = seededRandom(options.seed ?? 7);
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const now = T0 + i * 100;
    const first = scoreTargets(targets, scoreInput({ tier: "t1", health, usage, now, random }))[0].target.ref;
    counts[first] = (counts[first] ?? 0) + 1;
    usage.record("t1", first, now);
  }
  return counts;
}

test("the reference's worked example: a healthy model beats a failing one despite its recent load", () => {
  // A: weight 0.5, healthy, 2 s average, used twice in the last minute and most recently.
  // B: weight 0.8, failure score 10 (health 33), no latency sample. The original put B first; health now wins.
  const a = target("up/A", 0.5);
  const b = target("up/B", 0.8);
  const health = new MemoryHealthRegistry();
  health.record("up/A", T0, { ok: true, penalty: 0, reason: "ok", latencyMs: 2000 });
  for (let i = 0; i < 5; i++) health.record("up/B", T0, { ok: false, penalty: 2, reason: "503" });
  const usage = new UsageTracker();
  for (const ref of ["up/A", "up/B", "up/A"]) usage.record("t1", ref, T0);
  const random = seededRandom(3);
  for (let i = 0; i < 50; i++)
    expect(scoreTargets([a, b], scoreInput({ tier: "t1", health, usage, now: T0 + 1, random }))[0].target.ref).toBe(
      "up/A",
    );
});

test("the same seed gives the same order", () => {
  const targets = [target("p/a"), target("p/b"), target("p/c")];
  expect(pick(targets, 30, { seed: 11 })).toEqual(pick(targets, 30, { seed: 11 }));
});

test("equally healthy, equally weighted models share the traffic", () => {
  const counts = pick([target("p/a"), target("p/b")], 200);
  expect(counts["p/a"]).toBeGreaterThan(70);
  expect(counts["p/b"]).toBeGreaterThan(70);
});

test("a heavier model gets more of the traffic", () => {
  const counts = pick([target("p/light", 1), target("p/heavy", 3)], 300);
  expect(counts["p/heavy"]).toBeGreaterThan(counts["p/light"]);
});

test("a faster model gets more of the traffic", () => {
  const health = new MemoryHealthRegistry();
  health.record("p/fast", T0, { ok: true, penalty: 0, reason: "ok", latencyMs: 300 });
  health.record("p/slow", T0, { ok: true, penalty: 0, reason: "ok", latencyMs: 3000 });
  const counts = pick([target("p/slow"), target("p/fast")], 300, { health });
  expect(counts["p/fast"]).toBeGreaterThan(counts["p/slow"] ?? 0);
});

test("a model in cooldown scores zero", () => {
  const health = new MemoryHealthRegistry();
  health.coolDown("p/down", T0 + 60_000, "429", T0);
  const scored = scoreTargets(
    [target("p/down", 10), target("p/up")],
    scoreInput({ tier: "t1", health, usage: new UsageTracker(), now: T0, random: seededRandom(1) }),
  );
  expect(scored.map((s) => s.target.ref)).toEqual(["p/up", "p/down"]);
  expect(scored[1].score).toBe(0);
});

describe("streakPenalty", () => {
  test("nothing for a model not picked lately", () => expect(streakPenalty("p/a", ["p/b", "p/c"])).toBe(0));
  test("more for the most recent pick, capped", () => {
    expect(streakPenalty("p/a", ["p/b", "p/a"])).toBeGreaterThan(streakPenalty("p/a", ["p/a", "p/b"]));
    expect(streakPenalty("p/a", ["p/a", "p/a", "p/a"])).toBe(0.25);
  });
});
