/**
 * The adaptive strategy: each candidate gets a score from its health, speed, configured weight and a
 * little chance, damped by its recent load and by being picked many times in a row; highest first.
 * The original's formula (reference §5.4) is the starting point, with its flaws fixed:
 *  - the weights sum to 1, so health dominates (a failing model drops back) and chance only breaks ties;
 *  - speed is relative to the tier's fastest model, not to a fixed 30 s;
 *  - a model's weight is relative to the tier's largest, not clamped to [0, 1];
 *  - the latency average is the target's own (EWMA of its attempts), not whole-request time;
 *  - the consecutive penalty is per tier and capped lower, so it spreads load without overruling health.
 */
import type { Target } from "../plugin/types.ts";
import type { HealthRegistry } from "./health.ts";
import type { UsageTracker } from "./usage.ts";

export const ADAPTIVE_WEIGHTS = { health: 0.45, speed: 0.25, weight: 0.15, chance: 0.15 };

export interface ScoredTarget {
  target: Target;
  score: number;
  parts: { health: number; speed: number; weight: number; chance: number; load: number; streak: number };
}

export interface ScoreInput {
  tier: string;
  health: HealthRegistry;
  usage: UsageTracker;
  now: number;
  random: () => number;
}

/** How much being among the tier's last picks lowers a target (0 when it was not picked lately). */
export function streakPenalty(ref: string, history: readonly string[]): number {
  if (history.length === 0) return 0;
  const count = history.filter((r) => r === ref).length;
  if (count === 0) return 0;
  let penalty = (count / history.length) * 0.2;
  if (history[history.length - 1] === ref) penalty += 0.05;
  return Math.min(penalty, 0.25);
}

export function scoreTargets(targets: Target[], input: ScoreInput): ScoredTarget[] {
  const views = targets.map((t) => input.health.view(t.ref, input.now));
  const latencies = views.map((v) => v.latencyMs).filter((l): l is number => l !== undefined && l > 0);
  const fastest = latencies.length > 0 ? Math.min(...latencies) : undefined;
  const maxWeight = Math.max(...targets.map((t) => t.weight), 0);
  const loads = targets.map((t) => input.usage.recentUses(t.ref, input.now));
  const maxLoad = Math.max(...loads, 0);
  const history = input.usage.history(input.tier);
  const w = ADAPTIVE_WEIGHTS;
  return targets
    .map((target, i) => {
      const health = views[i].score / 100;
      const speed = views[i].latencyMs && fastest ? fastest / views[i].latencyMs! : 0.8;
      const weight = maxWeight > 0 ? target.weight / maxWeight : 0;
      const chance = input.random();
      const load = maxLoad > 0 ? 1 - (loads[i] / maxLoad) * 0.5 : 1;
      const streak = streakPenalty(target.ref, history);
      const score = (health * w.health + speed * w.speed + weight * w.weight + chance * w.chance) * load - streak;
      return { target, score, parts: { health, speed, weight, chance, load, streak } };
    })
    .sort((a, b) => b.score - a.score);
}
