/**
 * Candidate ordering per tier strategy, then health: targets in cooldown go last (still tried when
 * everything else failed, so a request is never refused only because every model had a bad minute).
 */
import type { StrategyName } from "../config/types.ts";
import type { Target } from "../plugin/types.ts";
import type { HealthRegistry } from "./health.ts";

/** Weighted random order without replacement (Efraimidis–Spirakis: key = u^(1/w), highest first). */
export function weightedShuffle(targets: Target[], random: () => number): Target[] {
  return targets
    .map((target) => ({ target, key: target.weight > 0 ? Math.pow(random(), 1 / target.weight) : -1 }))
    .sort((a, b) => b.key - a.key)
    .map((entry) => entry.target);
}

export function orderByStrategy(targets: Target[], strategy: StrategyName, random: () => number): Target[] {
  if (strategy === "sequential" || targets.length < 2) return targets;
  // "adaptive" orders by weight until health scores exist (routing issue); until then it spreads load
  // the way "random" does, and cooldowns below keep failing models at the back.
  return weightedShuffle(targets, random);
}

/** Moves targets in cooldown to the end, keeping the relative order of both groups. */
export function healthyFirst(targets: Target[], health: HealthRegistry, now: number): Target[] {
  const cooling: Target[] = [];
  const ready: Target[] = [];
  for (const target of targets) (health.cooldownOf(target.ref, now) ? cooling : ready).push(target);
  return cooling.length === 0 ? targets : [...ready, ...cooling];
}
