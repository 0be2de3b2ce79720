/**
 * Stages 3 and 4: classify (auto requests only) and order the candidates.
 */
import { firstAnswerAsync, waterfall } from "../plugin/runner.ts";
import { rejectionError } from "../plugin/rejection.ts";
import { healthyFirst, orderByStrategy } from "../routing/strategies.ts";
import type { ResolvedConfig } from "../config/types.ts";
import type { Logger, RequestContext, Target, Verdict } from "../plugin/types.ts";
import type { HealthRegistry } from "../routing/health.ts";
import type { UsageTracker } from "../routing/usage.ts";
import { conversationKey, toolTurnOrigin, type TierMemory } from "../routing/conversations.ts";

/** Runs guards (`onRequest`); the first rejection ends the request with its message, status and code. */
export async function runGuards(ctx: RequestContext, config: ResolvedConfig, log: Logger): Promise<void> {
  const guards = config.hooks.guards;
  if (guards.length === 0) return;
  const answer = await firstAnswerAsync(guards, "onRequest", (p) => p.onRequest!(ctx), log);
  if (!answer) return;
  throw rejectionError(answer.value.reject);
}

/** The tier for an auto request: the first classifier that answers with a known tier, else the default. */
export async function classify(ctx: RequestContext, config: ResolvedConfig, log: Logger): Promise<{ tier: string; reason: string }> {
  const answer = await firstAnswerAsync(
    config.hooks.classifiers,
    "classify",
    async (classifier) => {
      const verdict = await classifier.classify(ctx);
      if (verdict && !(verdict.tier in config.tiers)) {
        log.warn(`classifier ${classifier.name} answered tier "${verdict.tier}", which does not exist: ignored`);
        return undefined;
      }
      return (verdict ?? undefined) as Verdict | undefined;
    },
    log,
  );
  if (!answer) return { tier: config.routing.defaultTier, reason: "default tier (no classifier answered)" };
  return { tier: answer.value.tier, reason: `${answer.plugin.name}: ${answer.value.reason}` };
}

const rank = (config: ResolvedConfig, tier: string) => Object.keys(config.tiers).indexOf(tier);

/**
 * After classification (auto requests only): a tool-result turn goes back to the tier that made the
 * call, and with `routing.sticky` a conversation never steps down to a lower tier (tiers rank in the
 * order the config declares them).
 */
export function refineTier(chosen: { tier: string; reason: string }, ctx: RequestContext, config: ResolvedConfig, memory: TierMemory): { tier: string; reason: string } {
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
    if (before && before in config.tiers && rank(config, before) > rank(config, result.tier)) result = { tier: before, reason: `sticky: the conversation already used ${before} (${result.reason})` };
    memory.set(key, result.tier, now);
  }
  return result;
}

/** Candidates in the order they will be tried: strategy, strategy plugins, then cooldowns last. */
export async function orderCandidates(
  targets: Target[],
  options: { pinned?: Target; tier: string; strategy: ResolvedConfig["tiers"][string]["strategy"]; ctx: RequestContext; config: ResolvedConfig; health: HealthRegistry; usage: UsageTracker; log: Logger },
): Promise<Target[]> {
  const rest = options.pinned ? targets.filter((t) => t.ref !== options.pinned!.ref) : targets;
  const now = options.ctx.clock.now();
  let { ordered } = orderByStrategy(rest, options.strategy, { tier: options.tier, health: options.health, usage: options.usage, now, random: options.ctx.random });
  const strategies = options.config.hooks.strategies;
  if (strategies.length > 0) ordered = await waterfall(strategies, "orderTargets", ordered, (p, value) => p.orderTargets!(value, options.ctx), options.log);
  ordered = healthyFirst(ordered, options.health, now);
  return options.pinned ? [options.pinned, ...ordered] : ordered;
}
