import { describe, expect, test } from "bun:test";
import {
  cooldownsLast,
  randomStrategy,
  sequentialStrategy,
  weightedShuffle,
} from "../../../plugins/strategies/index.ts";
import type { Strategy, Target } from "../../../src/index.ts";
import { MemoryHealthRegistry } from "../../../src/routing/health.ts";
import { seededRandom, strategyContext, target } from "../../helpers/run-hooks.ts";

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

/** Orders `targets` with a strategy plugin, as the pipeline's waterfall calls it. */
const order = (
  strategy: Strategy,
  targets: Target[],
  options: { seed?: number; health?: MemoryHealthRegistry; now?: number } = {},
) =>
  strategy.orderTargets(
    targets,
    strategyContext({ now: options.now ?? 1_000_000, random: seededRandom(options.seed ?? 1), health: options.health }),
  ) as Target[];

describe("built-in strategies", () => {
  test("sequential keeps the configured order", () => {
    expect(refs(order(sequentialStrategy(), [c, a, d, b]))).toEqual(["p/c", "p/a", "p/d", "p/b"]);
  });

  test("sequential ignores weights", () => {
    const heavy = target("p/heavy", { weight: 100 });
    expect(order(sequentialStrategy(), [a, heavy])[0]).toBe(a);
  });

  test("random follows the seeded weighted shuffle", () => {
    expect(refs(order(randomStrategy(), [a, b, c, d], { seed: 42 }))).toEqual(
      refs(weightedShuffle([a, b, c, d], seededRandom(42))),
    );
  });
});

describe("cooldownsLast", () => {
  const NOW = 1_000_000;
  const healthyFirst = (targets: Target[], health: MemoryHealthRegistry, now: number) =>
    order(cooldownsLast(), targets, { health, now });

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
