/**
 * The adaptive strategy: each candidate gets a score and the highest goes first.
 *   quality = 0.5·speed + 0.3·weight + 0.2·chance
 *   score   = health² · quality · load · (1 − streak)
 * The original's formula (reference §5.4) is the starting point, with its flaws fixed:
 *  - health multiplies instead of adding a tenth: a failing model (score 33) drops far behind a
 *    healthy one, whatever chance and load say, and one in cooldown (score 0) comes last;
 *  - speed is relative to the tier's fastest model (its own latency average, not whole-request time);
 *  - a model's weight is relative to the tier's largest, not clamped to [0, 1];
 *  - load (successes in the last minute) and streak (picked lately in this tier) damp a model
 *    multiplicatively, so they spread traffic among healthy models without overruling health;
 *  - chance only breaks near-ties, and comes from the injected random source.
 */
import type { Target } from "../plugin/types.ts";
import type { HealthRegistry } from "./health.ts";
import type { UsageTracker } from "./usage.ts";

export const ADAPTIVE_WEIGHTS = { speed: 0.5, weight: 0.3, chance: 0.2 };

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
      const score = health * health * (speed * w.speed + weight * w.weight + chance * w.chance) * load * (1 - streak);
      return { target, score, parts: { health, speed, weight, chance, load, streak } };
    })
    .sort((a, b) => b.score - a.score);
}
