import { describe, expect, test } from "bun:test";
import { healthyFirst, orderByStrategy, weightedShuffle } from "../../src/routing/strategies.ts";
import { MemoryHealthRegistry } from "../../src/routing/health.ts";
import { UsageTracker } from "../../src/routing/usage.ts";
import { seededRandom, target } from "../helpers/run-hooks.ts";

const refs = (targets: { ref: string }[]) => targets.map((t) => t.ref);

const a = target("p/a");
const b = target("p/b");
const c = target("p/c");
const d = target("p/d");

describe("weightedShuffle", () => {
  test("is deterministic under a seeded random source", () => {
    const tier = [a, b, c, d];
    const first = Array.from({ length: 20 }, (_, i) => refs(weightedShuffle(tier, seededRandom(i))));
    const again = Array.from({ length: 20 }, (_, i) => refs(weightedShuffle(tier, seededRandom(i))));
    expect(again).toEqual(first);
  });

  test("keeps every target exactly once", () => {
    const shuffled = weightedShuffle([a, b, c, d], seededRandom(7));
    expect(refs(shuffled).sort()).toEqual(["p/a", "p/b", "p/c", "p/d"]);
  });

  test("does not modify the list it is given", () => {
    const tier = [a, b, c, d];
    weightedShuffle(tier, seededRandom(3));
    expect(refs(tier)).toEqual(["p/a", "p/b", "p/c", "p/d"]);
  });

  test("different draws give different orders (it does shuffle)", () => {
    const random = seededRandom(11);
    const orders = new Set(Array.from({ length: 200 }, () => refs(weightedShuffle([a, b, c, d], random)).join(",")));
    expect(orders.size).toBeGreaterThan(10);
  });

  test("a weight-3 target comes first about three times as often as a weight-1 target", () => {
    // P(heavy first) = 3 / (3 + 1) = 0.75. With n = 20 000 the standard deviation of the share is
    // sqrt(0.75 * 0.25 / n) ≈ 0.003, so [0.73, 0.77] is a bound of more than 6 sigma.
    const heavy = target("p/heavy", { weight: 3 });
    const light = target("p/light", { weight: 1 });
    const random = seededRandom(2025);
    const n = 20_000;
    let heavyFirst = 0;
    for (let i = 0; i < n; i++) if (weightedShuffle([light, heavy], random)[0] === heavy) heavyFirst++;
    const share = heavyFirst / n;
    expect(share).toBeGreaterThan(0.73);
    expect(share).toBeLessThan(0.77);
  });

  test("weights are relative: 0.5 against 1 gives the lighter one a third of first places", () => {
    const half = target("p/half", { weight: 0.5 });
    const random = seededRandom(99);
    const n = 20_000;
    let halfFirst = 0;
    for (let i = 0; i < n; i++) if (weightedShuffle([a, half], random)[0] === half) halfFirst++;
    expect(halfFirst / n).toBeGreaterThan(0.31);
    expect(halfFirst / n).toBeLessThan(0.355);
  });

  test("a weight-0 target always goes last", () => {
    const never = target("p/never", { weight: 0 });
    const random = seededRandom(5);
    for (let i = 0; i < 500; i++) {
      const order = weightedShuffle([never, a, b, c], random);
      expect(order[order.length - 1]).toBe(never);
    }
  });

  test("a weight-0 target goes last even when the random source returns 0", () => {
    const never = target("p/never", { weight: 0 });
    expect(weightedShuffle([never, a], () => 0)[1]).toBe(never);
  });
});

const input = (seed: number) => ({ tier: "t1", health: new MemoryHealthRegistry(), usage: new UsageTracker(), now: 1_000_000, random: seededRandom(seed) });

describe("orderByStrategy", () => {
  test("sequential keeps the configured order", () => {
    expect(refs(orderByStrategy([c, a, d, b], "sequential", input(1)).ordered)).toEqual(["p/c", "p/a", "p/d", "p/b"]);
  });

  test("sequential ignores weights", () => {
    const heavy = target("p/heavy", { weight: 100 });
    expect(orderByStrategy([a, heavy], "sequential", input(1)).ordered[0]).toBe(a);
  });

  test("random follows the seeded weighted shuffle", () => {
    expect(refs(orderByStrategy([a, b, c, d], "random", input(42)).ordered)).toEqual(refs(weightedShuffle([a, b, c, d], seededRandom(42))));
  });
});

describe("healthyFirst", () => {
  const NOW = 1_000_000;

  test("with nothing in cooldown, the order is unchanged", () => {
    expect(refs(healthyFirst([a, b, c], new MemoryHealthRegistry(), NOW))).toEqual(["p/a", "p/b", "p/c"]);
  });

  test("targets in cooldown go last, both groups keeping their relative order", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 5_000, "429", NOW);
    health.coolDown("p/c", NOW + 5_000, "503", NOW);
    expect(refs(healthyFirst([a, b, c, d], health, NOW))).toEqual(["p/b", "p/d", "p/a", "p/c"]);
  });

  test("targets in cooldown are still in the list (tried when all else failed)", () => {
    const health = new MemoryHealthRegistry();
    for (const t of [a, b]) health.coolDown(t.ref, NOW + 5_000, "down", NOW);
    expect(refs(healthyFirst([a, b], health, NOW))).toEqual(["p/a", "p/b"]);
  });

  test("a cooldown that has expired no longer moves the target", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 5_000, "429", NOW);
    expect(refs(healthyFirst([a, b], health, NOW + 5_000))).toEqual(["p/a", "p/b"]);
  });
});

describe("MemoryHealthRegistry", () => {
  const NOW = 1_000_000;

  test("a target is in cooldown until its end, with the reason given", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 60_000, "429 rate limited", NOW);
    expect(health.cooldownOf("p/a", NOW + 59_999)).toEqual({ until: NOW + 60_000, reason: "429 rate limited" });
  });

  test("the cooldown ends by itself when its time has passed", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 60_000, "429", NOW);
    expect(health.cooldownOf("p/a", NOW + 60_000)).toBeUndefined();
  });

  test("other targets are not affected", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 60_000, "429", NOW);
    expect(health.cooldownOf("p/b", NOW)).toBeUndefined();
  });

  test("a success ends a cooldown at once", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 60_000, "503", NOW);
    health.record("p/a", NOW, { ok: true, penalty: 0, reason: "answered" });
    expect(health.cooldownOf("p/a", NOW)).toBeUndefined();
  });

  test("a shorter cooldown does not cut a longer one short", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 300_000, "401", NOW);
    health.coolDown("p/a", NOW + 1_000, "429", NOW);
    expect(health.cooldownOf("p/a", NOW + 2_000)?.reason).toBe("401");
  });

  test("a longer cooldown extends a shorter one", () => {
    const health = new MemoryHealthRegistry();
    health.coolDown("p/a", NOW + 1_000, "429", NOW);
    health.coolDown("p/a", NOW + 300_000, "401", NOW);
    expect(health.cooldownOf("p/a", NOW + 2_000)).toEqual({ until: NOW + 300_000, reason: "401" });
  });
});
