/**
 * The steps of stages 1 to 4 that `plan.ts` puts together: guards, the tier refinements after
 * classification, and the candidates' order.
 */

import { adaptiveScores, orderingPlugins, type ScoredTarget } from "../../plugins/strategies/index.ts";
import type { ResolvedConfig, TierPolicy } from "../config/types.ts";
import { rejectionError } from "../plugin/rejection.ts";
import { firstAnswerAsync, waterfall } from "../plugin/runner.ts";
import type { Logger, RequestContext, Target } from "../plugin/types.ts";
import { conversationKey, type TierMemory, toolTurnOrigin } from "../routing/conversations.ts";

/** Runs guards (`onRequest`); the first rejection ends the request with its message, status and code. */
export async function runGuards(ctx: RequestContext, config: ResolvedConfig, log: Logger): Promise<void> {
  const guards = config.hooks.guards;
  if (guards.length === 0) return;
  const answer = await firstAnswerAsync(guards, "onRequest", (p) => p.onRequest!(ctx), log);
  if (!answer) return;
  throw rejectionError(answer.value.reject);
}

const rank = (config: ResolvedConfig, tier: string) => Object.keys(config.tiers).indexOf(tier);

/**
 * After classification (auto requests only): a tool-result turn goes back to the tier that made the
 * call, and with `routing.sticky` a conversation never steps down to a lower tier (tiers rank in the
 * order the config declares them).
 */
export function refineTier(
  chosen: { tier: string; reason: string },
  ctx: RequestContext,
  config: ResolvedConfig,
  memory: TierMemory,
): { tier: string; reason: string } {
  const now = ctx.clock.now();
  const messages = ctx.body.messages;
  let result = chosen;
  if (config.routing.toolTurns) {
    const origin = toolTurnOrigin(messages);
    const tier = origin ? memory.get(origin, now) : undefined;
    if (tier && tier in config.tiers) result = { tier, reason: "tool-result turn: the tier that made the tool call" };
  }
  if (config.routing.sticky) {
    const key = conversationKey(messages);
    const before = memory.get(key, now);
    if (before && before in config.tiers && rank(config, before) > rank(config, result.tier))
      result = { tier: before, reason: `sticky: the conversation already used ${before} (${result.reason})` };
    memory.set(key, result.tier, now);
  }
  return result;
}

/**
 * Candidates in the order they will be tried: one waterfall of strategy plugins (the tier's built-in
 * strategy, the config's own, then cooldowns last: `plugins/strategies`); a pinned model stays first.
 */
export async function orderCandidates(
  targets: Target[],
  options: {
    pinned?: Target;
    strategy: TierPolicy["strategy"];
    ctx: RequestContext;
    config: ResolvedConfig;
    log: Logger;
  },
): Promise<{ candidates: Target[]; scores?: ScoredTarget[] }> {
  const { pinned, ctx } = options;
  const rest = pinned ? targets.filter((t) => t.ref !== pinned.ref) : targets;
  const plugins = orderingPlugins(options.strategy, options.config.hooks.strategies);
  const ordered = await waterfall(plugins, "orderTargets", rest, (p, value) => p.orderTargets(value, ctx), options.log);
  return { candidates: pinned ? [pinned, ...ordered] : ordered, scores: adaptiveScores(ctx) };
}
