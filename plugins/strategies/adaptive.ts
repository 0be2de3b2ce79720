/**
 * The adaptive strategy: each candidate gets a score and the highest goes first.
 *   quality = 0.5·speed + 0.3·weight + 0.2·chance
 *   score   = health⁴ · quality · load · (1 − streak)
 * The original's formula (reference §5.4) is the starting point, with its flaws fixed:
 *  - health multiplies instead of adding a tenth: a failing model (score 49 at 30 % errors) drops far
 *    behind a healthy one, whatever speed, weight, chance and load say, and one in cooldown (score 0)
 *    comes last;
 *  - health is the failure rate of the window (src/routing/health.ts), so a success does not wash a failure out;
 *  - speed is relative to the tier's fastest model, by latency and time to first token (its own
 *    averages, not whole-request time);
 *  - a model's weight is relative to the tier's largest, not clamped to [0, 1];
 *  - load (successes in the last minute) and streak (picked lately in this tier) damp a model
 *    multiplicatively, so they spread traffic among healthy models without overruling health;
 *  - chance only breaks near-ties, and comes from the injected random source.
 */
import { definePlugin, type RequestContext, type Strategy, type Target, type TargetHealth } from "../../src/index.ts";

const ADAPTIVE_WEIGHTS = { speed: 0.5, weight: 0.3, chance: 0.2 };
/**
 * Health counts to the fourth power: load and streak can damp a healthy model to 3/8 and speed and
 * weight favour another up to about 3x, so a squared health let a fast model failing 30 % of its
 * attempts (score 49) lead half the requests. To the fourth, 30 % errors weigh 0.06, 10 % (score 81)
 * 0.43 and 5 % (score 90) 0.66: slightly flaky models still share, a failing one rarely leads.
 */
const HEALTH_POWER = 4;

export interface ScoredTarget {
  target: Target;
  score: number;
  parts: { health: number; speed: number; weight: number; chance: number; load: number; streak: number };
}

/** What scoring reads: the request context's public views (a strategy of the user's own has the same). */
export type ScoreInput = Pick<RequestContext, "health" | "usage" | "random"> & { tier: string };

/** How much being among the tier's last picks lowers a target (0 when it was not picked lately). */
export function streakPenalty(ref: string, history: readonly string[]): number {
  if (history.length === 0) return 0;
  const count = history.filter((r) => r === ref).length;
  if (count === 0) return 0;
  let penalty = (count / history.length) * 0.2;
  if (history[history.length - 1] === ref) penalty += 0.05;
  return Math.min(penalty, 0.25);
}

/** A target with no timing sample yet: a little below the fastest, so a known fast model leads. */
const UNKNOWN_SPEED = 0.8;

/**
 * Each target's speed, 0 to 1, relative to the tier's fastest: the mean of its whole-answer latency
 * ratio and its time-to-first-token ratio, over those it has samples of (streams give only TTFT).
 */
function relativeSpeeds(views: readonly Pick<TargetHealth, "latencyMs" | "ttftMs">[]): number[] {
  const fastest = (key: "latencyMs" | "ttftMs") => {
    const samples = views.map((v) => v[key]).filter((ms): ms is number => ms !== undefined && ms > 0);
    return samples.length > 0 ? Math.min(...samples) : undefined;
  };
  const best = { latencyMs: fastest("latencyMs"), ttftMs: fastest("ttftMs") };
  return views.map((view) => {
    const ratios = (["latencyMs", "ttftMs"] as const).flatMap((key) => {
      const own = view[key];
      const top = best[key];
      return own !== undefined && own > 0 && top !== undefined ? [top / own] : [];
    });
    return ratios.length > 0 ? ratios.reduce((a, b) => a + b, 0) / ratios.length : UNKNOWN_SPEED;
  });
}

export function scoreTargets(targets: Target[], input: ScoreInput): ScoredTarget[] {
  const views = targets.map((t) => input.health(t.ref));
  const speeds = relativeSpeeds(views);
  const maxWeight = Math.max(...targets.map((t) => t.weight), 0);
  const loads = targets.map((t) => input.usage.recentUses(t.ref));
  const maxLoad = Math.max(...loads, 0);
  const history = input.usage.recentPicks(input.tier);
  const w = ADAPTIVE_WEIGHTS;
  return targets
    .map((target, i) => {
      const health = views[i].score / 100;
      const speed = speeds[i];
      const weight = maxWeight > 0 ? target.weight / maxWeight : 0;
      const chance = input.random();
      const load = maxLoad > 0 ? 1 - (loads[i] / maxLoad) * 0.5 : 1;
      const streak = streakPenalty(target.ref, history);
      const score =
        health ** HEALTH_POWER * (speed * w.speed + weight * w.weight + chance * w.chance) * load * (1 - streak);
      return { target, score, parts: { health, speed, weight, chance, load, streak } };
    })
    .sort((a, b) => b.score - a.score);
}

/** The scores of the last ordering made for a request (explain shows them). */
const lastScores = new WeakMap<RequestContext, ScoredTarget[]>();

/** Each candidate's score from the adaptive ordering of this request, if it was adaptive. */
export function adaptiveScores(ctx: RequestContext): ScoredTarget[] | undefined {
  return lastScores.get(ctx);
}

/** The `adaptive` strategy: highest score first (see the formula above). */
export function adaptiveStrategy(): Strategy {
  return definePlugin({
    name: "builtin:adaptive",
    orderTargets(targets, ctx) {
      if (targets.length < 2) return targets;
      const scores = scoreTargets(targets, {
        health: ctx.health,
        usage: ctx.usage,
        random: ctx.random,
        tier: ctx.tier ?? "",
      });
      lastScores.set(ctx, scores);
      return scores.map((s) => s.target);
    },
  });
}
