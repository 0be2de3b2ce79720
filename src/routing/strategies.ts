/**
 * Candidate ordering: the tier's strategy, then health. Targets whose circuit is open (or whose
 * half-open probe is already taken) go last: still tried when everything else failed, so a request is
 * never refused only because every model had a bad minute. A half-open target with its probe free
 * keeps its place: the next request probes it.
 */
import type { StrategyName } from "../config/types.ts";
import type { Target } from "../plugin/types.ts";
import type { HealthRegistry } from "./health.ts";
import { scoreTargets, type ScoreInput, type ScoredTarget } from "./adaptive.ts";

/** Weighted random order without replacement (Efraimidis–Spirakis: key = u^(1/w), highest first). */
export function weightedShuffle(targets: Target[], random: () => number): Target[] {
  return targets
    .map((target) => ({ target, key: target.weight > 0 ? Math.pow(random(), 1 / target.weight) : -1 }))
    .sort((a, b) => b.key - a.key)
    .map((entry) => entry.target);
}

/** The strategy's order; for `adaptive` also each target's score (what explain shows). */
export function orderByStrategy(targets: Target[], strategy: StrategyName, input: ScoreInput): { ordered: Target[]; scores?: ScoredTarget[] } {
  if (targets.length < 2 || strategy === "sequential") return { ordered: targets };
  if (strategy === "random") return { ordered: weightedShuffle(targets, input.random) };
  const scores = scoreTargets(targets, input);
  return { ordered: scores.map((s) => s.target), scores };
}

/** Moves targets that cannot take traffic now to the end, keeping the relative order of both groups. */
export function healthyFirst(targets: Target[], health: HealthRegistry, now: number): Target[] {
  const cooling: Target[] = [];
  const ready: Target[] = [];
  for (const target of targets) (health.availability(target.ref, now) === "cooling" ? cooling : ready).push(target);
  return cooling.length === 0 ? targets : [...ready, ...cooling];
}
