/**
 * The built-in strategies, plugins like any other (`orderTargets`). For each request the gateway runs
 * one list: the tier's `strategy` (sequential, random or adaptive), then the config's own strategy
 * plugins in order, then `cooldownsLast`.
 */
import type { Strategy, StrategyName } from "../../src/index.ts";
import { adaptiveStrategy } from "./adaptive.ts";
import { cooldownsLast } from "./cooldowns-last.ts";
import { randomStrategy } from "./random.ts";
import { sequentialStrategy } from "./sequential.ts";

export { adaptiveScores, adaptiveStrategy, type ScoredTarget, scoreTargets } from "./adaptive.ts";
export { cooldownsLast } from "./cooldowns-last.ts";
export { randomStrategy, weightedShuffle } from "./random.ts";
export { sequentialStrategy } from "./sequential.ts";

/** One instance of each: they keep no state of their own (what they read comes with the request). */
const BY_NAME: Record<StrategyName, Strategy> = {
  sequential: sequentialStrategy(),
  random: randomStrategy(),
  adaptive: adaptiveStrategy(),
};
const LAST = cooldownsLast();

/** The ordering list for a tier: its strategy, the config's strategy plugins, then cooldowns last. */
export function orderingPlugins(strategy: StrategyName, own: readonly Strategy[]): Strategy[] {
  return [BY_NAME[strategy], ...own, LAST];
}
