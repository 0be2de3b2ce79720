/**
 * Per-key limits (`limits` on an API key): a key limited to some tiers or models only reaches those; a
 * request whose tier or candidates are all outside them is refused with 403. Runs as the last strategy,
 * so it filters whatever order the others chose (a pinned model included).
 */
import { definePlugin, type RequestContext, type Strategy, type TierChoice } from "../../src/index.ts";

/**
 * An auto request's tier within its key's tiers: the classifier chose, but a key limited to t1 and t2
 * asking for `auto` wants the best answer it may have, not a 403 for a hard prompt. The nearest allowed
 * tier at or below the chosen one, else the nearest above it; `chat` lists the tiers auto may use. A
 * tier or model the client pinned is not moved: the strategy below still refuses it.
 */
export function withinKeyTiers(chosen: TierChoice, ctx: RequestContext, chat: readonly string[]): TierChoice {
  const allowed = ctx.client.limits?.tiers;
  if (!allowed || allowed.includes(chosen.tier)) return chosen;
  const rank = (tier: string) => chat.indexOf(tier);
  const usable = chat.filter((tier) => allowed.includes(tier));
  const below = usable.filter((tier) => rank(tier) < rank(chosen.tier)).at(-1);
  const tier = below ?? usable.find((tier) => rank(tier) > rank(chosen.tier));
  if (!tier) return chosen;
  return { tier, reason: `${chosen.reason}; this API key may use ${allowed.join(", ")}: best allowed tier ${tier}` };
}

export function keyLimits(): Strategy {
  return definePlugin({
    name: "builtin:key-limits",
    orderTargets(targets, ctx) {
      const limits = ctx.client.limits;
      if (!limits) return targets;
      const tier = ctx.tier ?? "none";
      if (limits.tiers && !limits.tiers.includes(tier)) {
        const message = `This API key may not use tier ${tier} (allowed: ${limits.tiers.join(", ")}).`;
        return { reject: { status: 403, message } };
      }
      const models = limits.models;
      if (!models) return targets;
      const allowed = targets.filter((t) => models.includes(t.ref) || models.includes(t.model));
      if (allowed.length > 0) return allowed;
      return {
        reject: {
          status: 403,
          message: `This API key may not use any model of tier ${tier} (allowed: ${models.join(", ")}).`,
        },
      };
    },
  });
}
