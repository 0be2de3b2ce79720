import { describe, expect, test } from "bun:test";
import { randomTier } from "../../../plugins/index.ts";
import { classifyWith, requestContext } from "../../helpers/run-hooks.ts";

const weights = { t1: 0.6, t2: 0.3, t3: 0.1 };

/** The tier picked when `ctx.random()` returns `r`. */
function pickAt(r: number, plugin = randomTier({ weights })) {
  const ctx = requestContext({ text: "hello" });
  ctx.random = () => r;
  return (plugin.classify(ctx) as { tier: string }).tier;
}

describe("randomTier", () => {
  test("the same seed gives the same tiers", async () => {
    const plugin = randomTier({ weights });
    const run = () =>
      Promise.all(
        [1, 2, 3, 4, 5, 6, 7, 8].map(async (seed) => (await classifyWith(plugin, { text: "x", seed }))?.tier),
      );
    expect(await run()).toEqual(await run());
  });

  test("each tier owns a slice of [0, 1) proportional to its weight, in the order given", () => {
    expect([0, 0.59, 0.61, 0.89, 0.91, 0.999].map((r) => pickAt(r))).toEqual(["t1", "t1", "t2", "t2", "t3", "t3"]);
  });

  test("over many requests the tiers follow the weights", () => {
    const plugin = randomTier({ weights });
    const ctx = requestContext({ text: "hello", seed: 42 });
    const counts: Record<string, number> = { t1: 0, t2: 0, t3: 0 };
    for (let i = 0; i < 10_000; i++) counts[(plugin.classify(ctx) as { tier: string }).tier]++;
    expect(counts.t1 / 10_000).toBeCloseTo(0.6, 1);
    expect(counts.t2 / 10_000).toBeCloseTo(0.3, 1);
    expect(counts.t3 / 10_000).toBeCloseTo(0.1, 1);
  });

  test("a tier with weight 0 is never picked", () => {
    const plugin = randomTier({ weights: { t1: 1, t2: 0, t3: 1 } });
    expect([0, 0.49, 0.5, 0.99].map((r) => pickAt(r, plugin))).toEqual(["t1", "t1", "t3", "t3"]);
  });

  test("weights need not sum to 1", () => {
    expect(pickAt(0.5, randomTier({ weights: { t1: 2, t2: 6 } }))).toBe("t2");
  });

  test("the reason names the weights", async () => {
    expect((await classifyWith(randomTier({ weights }), { text: "x" }))?.reason).toBe(
      "random (weights t1 0.6, t2 0.3, t3 0.1)",
    );
  });

  test("weights that are all 0 are rejected at config load", () => {
    expect(() => randomTier({ weights: { t1: 0, t2: 0 } })).toThrow(/weights/);
  });

  test("a negative weight is rejected at config load, naming the option", () => {
    expect(() => randomTier({ weights: { t1: -1, t2: 1 } })).toThrow(/weights/);
  });
});
