/**
 * Stage 2, choose the route from the client's `model` (DESIGN §3, a contract): "auto" and unknown names
 * are classified (unless the config rejects unknown names), a tier name pins the tier, a configured
 * model or alias goes first with the rest of its tier as fallbacks.
 */

import type { ResolvedConfig } from "../config/types.ts";
import { GatewayError } from "../errors.ts";
import type { Target } from "../plugin/types.ts";

export type Route =
  | { kind: "auto"; reason: string }
  | { kind: "tier"; tier: string }
  | { kind: "model"; target: Target; tier?: string };

export function chooseRoute(model: string, config: ResolvedConfig): Route {
  if (model === "auto") return { kind: "auto", reason: "auto" };
  if (model in config.tiers) return { kind: "tier", tier: model };
  const aliased = config.tierAliases.get(model);
  if (aliased === "auto") return { kind: "auto", reason: `alias "${model}" of auto` };
  if (aliased) return { kind: "tier", tier: aliased };
  const ref = config.modelNames.get(model) ?? (config.targets.has(model) ? model : undefined);
  if (ref) {
    const target = config.targets.get(ref)!;
    const tier = Object.values(config.tiers).find((t) => t.targets.some((x) => x.ref === ref));
    return { kind: "model", target: tier?.targets.find((x) => x.ref === ref) ?? target, tier: tier?.name };
  }
  if (config.routing.unknownModel === "reject") {
    const known = ["auto", ...Object.keys(config.tiers)].join(", ");
    throw new GatewayError(
      "model_not_found",
      `The model "${model}" is not configured here. Use one of ${known}, or a configured model (GET /v1/models).`,
      { param: "model" },
    );
  }
  return { kind: "auto", reason: `unknown model "${model}"` };
}

/** The targets to try, in order: a pinned model first, then the rest of its tier. */
export function tierTargets(route: Route, tier: string | undefined, config: ResolvedConfig): Target[] {
  const targets = tier ? config.tiers[tier].targets : [];
  if (route.kind !== "model") return targets;
  return [route.target, ...targets.filter((t) => t.ref !== route.target.ref)];
}
