/**
 * Per-key limits (`limits` on an API key): a key limited to some tiers or models only reaches those; a
 * request whose tier or candidates are all outside them is refused with 403. Runs as the last strategy,
 * so it filters whatever order the others chose (a pinned model included).
 */
import { definePlugin, type Strategy } from "../../src/index.ts";

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
