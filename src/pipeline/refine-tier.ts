/** Stage 3, refine: after classification, the plugins with `refineTier` may change the tier. */
import type { ResolvedConfig } from "../config/types.ts";
import { waterfall } from "../plugin/runner.ts";
import type { RequestContext, TierChoice } from "../plugin/types.ts";

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
