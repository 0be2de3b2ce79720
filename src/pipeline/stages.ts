/**
 * The steps of stages 1 to 4 that `plan.ts` puts together: guards, the tier refinements after
 * classification, and the candidates' order. Each is a list of plugins (built-ins placed around the
 * config's own), run by the one plugin runner.
 */

import { keyLimits } from "../../plugins/routing/key-limits.ts";
import { adaptiveScores, orderingPlugins, type ScoredTarget } from "../../plugins/strategies/index.ts";
import type { ResolvedConfig, TierPolicy } from "../config/types.ts";
import { rejectionError } from "../plugin/rejection.ts";
import { firstAnswerAsync, waterfall } from "../plugin/runner.ts";
import type { Rejection, RequestContext, Strategy, Target, TierChoice } from "../plugin/types.ts";

/** Runs guards (`onRequest`); the first rejection ends the request with its message, status and code. */
export async function runGuards(ctx: RequestContext, config: ResolvedConfig): Promise<void> {
  const guards = config.hooks.guards;
  if (guards.length === 0) return;
  const answer = await firstAnswerAsync(guards, "onRequest", (p) => p.onRequest!(ctx), ctx.log);
  if (!answer) return;
  throw rejectionError(answer.value.reject);
}

/**
 * After classification (auto requests only): the `refineTier` waterfall, the built-in tool-turn and
 * sticky plugins first (`plugins/routing`, as `routing.toolTurns` and `routing.sticky` say), then the
 * config's own. A tier the config does not have is ignored (a remembered tier a reload removed).
 */
export async function refineTier(chosen: TierChoice, ctx: RequestContext, config: ResolvedConfig): Promise<TierChoice> {
  const refiners = config.hooks.refiners;
  if (refiners.length === 0) return chosen;
  return waterfall(
    refiners,
    "refineTier",
    chosen,
    async (p, value) => {
      const next = await p.refineTier!(value, ctx);
      if (!next || next.tier in config.tiers) return next;
      ctx.log.warn(`plugin ${p.name} refined to tier "${next.tier}", which does not exist: ignored`);
      return undefined;
    },
    ctx.log,
  );
}

const KEY_LIMITS = keyLimits();

/**
 * Candidates in the order they will be tried: one waterfall of strategy plugins (the tier's built-in
 * strategy, the config's own, then cooldowns last: `plugins/strategies`); a pinned model stays first.
 * Then the API key's limits filter the whole list, the pinned model included (`plugins/routing`). A
 * strategy's `{ reject }` ends the request with that refusal.
 */
export async function orderCandidates(
  targets: Target[],
  options: { pinned?: Target; strategy: TierPolicy["strategy"]; ctx: RequestContext; config: ResolvedConfig },
): Promise<{ candidates: Target[]; scores?: ScoredTarget[] }> {
  const { pinned, ctx } = options;
  let refusal: Rejection | undefined;
  const step = async (p: Strategy, value: Target[]) => {
    if (refusal) return undefined;
    const answer = await p.orderTargets(value, ctx);
    if (answer && !Array.isArray(answer)) refusal = answer;
    return Array.isArray(answer) ? answer : undefined;
  };
  const rest = pinned ? targets.filter((t) => t.ref !== pinned.ref) : targets;
  const strategies = orderingPlugins(options.strategy, options.config.hooks.strategies);
  const ordered = await waterfall(strategies, "orderTargets", rest, step, ctx.log);
  const candidates = await waterfall(
    [KEY_LIMITS],
    "orderTargets",
    pinned ? [pinned, ...ordered] : ordered,
    step,
    ctx.log,
  );
  if (refusal) throw rejectionError(refusal.reject);
  return { candidates, scores: adaptiveScores(ctx) };
}
