import type { ResolvedConfig } from "../config/types.ts";

/** GET /v1/models: "auto", every tier, every configured model and alias, in OpenAI's list shape. */
export function listModels(config: ResolvedConfig, now: number): object {
  const created = Math.floor(now / 1000);
  const entry = (id: string, owned_by: string, extra: object = {}) => ({
    id,
    object: "model",
    created,
    owned_by,
    ...extra,
  });
  const data = [
    entry("auto", "smartroute", { description: "the gateway's classifiers choose the tier" }),
    ...Object.values(config.tiers).map((tier) =>
      entry(tier.name, "smartroute", {
        description: `tier ${tier.name}: ${tier.targets.map((t) => t.ref).join(", ")}`,
      }),
    ),
    ...[...config.targets.values()].map((target) => entry(target.ref, target.provider)),
    ...[...config.modelNames.entries()]
      .filter(([name]) => !config.targets.has(name))
      .map(([name, ref]) => entry(name, ref.split("/")[0], { description: `alias of ${ref}` })),
  ];
  return { object: "list", data };
}
