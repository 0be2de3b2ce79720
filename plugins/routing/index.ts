/**
 * The built-in routing refinements, plugins like any other (`refineTier`): placed by the config's
 * `routing.toolTurns` and `routing.sticky` switches before the config's own refiners.
 */
import type { TierRefiner } from "../../src/index.ts";
import { stickyConversations } from "./sticky.ts";
import { toolTurnAffinity } from "./tool-turns.ts";

export { keyLimits } from "./key-limits.ts";
export { stickyConversations } from "./sticky.ts";
export { toolTurnAffinity } from "./tool-turns.ts";

const TOOL_TURNS = toolTurnAffinity();
const STICKY = stickyConversations();

/** The built-in refiners a config's routing switches turn on, in the order they run. */
export function routingPlugins(routing: { toolTurns: boolean; sticky: boolean }): TierRefiner[] {
  return [...(routing.toolTurns ? [TOOL_TURNS] : []), ...(routing.sticky ? [STICKY] : [])];
}
