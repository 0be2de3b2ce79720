/** Stage 4, order: the strategy plugins order the tier's targets; the API key's limits filter them. */
import { keyLimits } from "../../plugins/routing/key-limits.ts";
import { adaptiveScores, orderingPlugins, type ScoredTarget } from "../../plugins/strategies/index.ts";
import type { ResolvedConfig, TierPolicy } from "../config/types.ts";
import { rejectionError } from "../plugin/rejection.ts";
import { waterfall } from "../plugin/runner.ts";
import type { Rejection, RequestContext, Strategy, Target } from "../plugin/types.ts";

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
