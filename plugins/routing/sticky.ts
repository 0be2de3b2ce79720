/**
 * Sticky conversations (`routing.sticky`): a conversation (same system prompt and first user message)
 * never steps down to a lower tier, so a hard thread keeps its strong model and the upstream's prompt
 * cache stays warm. Tiers rank in the order the config declares them (`ctx.tiers`).
 */
import { conversationKey, definePlugin, type TierRefiner } from "../../src/index.ts";

export function stickyConversations(): TierRefiner {
  return definePlugin({
    name: "builtin:sticky",
    refineTier(chosen, ctx) {
      const key = conversationKey(ctx.body.messages);
      const before = ctx.memory.get(key);
      const rank = (tier: string) => ctx.tiers.indexOf(tier);
      const result =
        before && rank(before) > rank(chosen.tier)
          ? { tier: before, reason: `sticky: the conversation already used ${before} (${chosen.reason})` }
          : chosen;
      ctx.memory.set(key, result.tier);
      return result;
    },
  });
}
