/**
 * Tool-turn affinity (`routing.toolTurns`): the request carrying tool results goes back to the tier that
 * made the tool call, so the model that asked for the tool reads its answer. It remembers, when a
 * request ends, the tier of an answer with tool calls; on the tool-result turn it finds that request by
 * the messages before the assistant's call.
 */
import { definePlugin, type Plugin, type TierRefiner, toolTurnOrigin, turnKey } from "../../src/index.ts";

export function toolTurnAffinity(): TierRefiner & Required<Pick<Plugin, "onComplete">> {
  return definePlugin({
    name: "builtin:tool-turns",
    refineTier(chosen, ctx) {
      const origin = toolTurnOrigin(ctx.body.messages);
      const tier = origin ? ctx.memory.get(origin) : undefined;
      if (tier && tier !== chosen.tier) return { tier, reason: "tool-result turn: the tier that made the tool call" };
      return undefined;
    },
    onComplete(summary) {
      if (summary.toolCalls) summary.request.memory.set(turnKey(summary.request.body.messages), summary.tier);
    },
  });
}
