/** The `random` strategy: a weighted shuffle (a model's `weight` is its share of first places). */
import { definePlugin, type Strategy, type Target } from "../../src/index.ts";

/** Weighted random order without replacement (Efraimidis–Spirakis: key = u^(1/w), highest first). */
export function weightedShuffle(targets: Target[], random: () => number): Target[] {
  return targets
    .map((target) => ({ target, key: target.weight > 0 ? random() ** (1 / target.weight) : -1 }))
    .sort((a, b) => b.key - a.key)
    .map((entry) => entry.target);
}

/** Orders a tier's models by weighted chance, from the request's injected random source. */
export function randomStrategy(): Strategy {
  return definePlugin({
    name: "builtin:random",
    orderTargets: (targets, ctx) => (targets.length < 2 ? targets : weightedShuffle(targets, ctx.random)),
  });
}
