import type { Target, TargetMatch } from "./types.ts";

function matchesAny(value: string, patterns: (string | RegExp)[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  // search(), not test(): a RegExp with the g or y flag would keep state between calls.
  return patterns.some((p) => (typeof p === "string" ? p === value : value.search(p) !== -1));
}

/**
 * Whether a target passes a `match`: every list given must contain the target's provider id / model
 * name (exact string, or a RegExp that matches). A model pattern is also tried on "provider/model".
 */
export function matchesTarget(match: TargetMatch | undefined, target: Target): boolean {
  if (!match) return true;
  if (!matchesAny(target.provider, match.provider)) return false;
  return matchesAny(target.model, match.model) || (match.model !== undefined && matchesAny(target.ref, match.model));
}
