import {
  type Classifier,
  definePlugin,
  type RequestContext,
  type Static,
  Type,
  type Verdict,
} from "../../src/index.ts";

const Options = Type.Object(
  {
    weights: Type.Record(Type.String({ minLength: 1 }), Type.Number({ minimum: 0 }), {
      description:
        "relative weight of each tier, e.g. { t1: 0.6, t2: 0.3, t3: 0.1 }; a tier of weight 0 is never picked",
    }),
  },
  { additionalProperties: false },
);

export type RandomTierOptions = Static<typeof Options>;

/**
 * Picks a tier at random in proportion to `weights`, with the request's injected randomness
 * (`ctx.random`): the original gateway's load spreading for when classification is off. Always
 * answers, so it belongs last among the classifiers.
 */
export function randomTier(options: RandomTierOptions): Classifier<RandomTierOptions> {
  const plugin = definePlugin({ name: "builtin:random-tier", options, schema: Options, classify });
  const tiers = Object.entries(options.weights).filter(([, w]) => w > 0);
  const total = tiers.reduce((sum, [, w]) => sum + w, 0);
  if (total <= 0)
    throw new TypeError("plugin builtin:random-tier: option weights: at least one tier needs a weight above 0");
  // Cumulative bounds, each tier owning [previous bound, its bound) of [0, 1).
  let running = 0;
  const bounds = tiers.map(([tier, w]) => ({ tier, upTo: (running += w) / total }));
  const reason = `random (weights ${tiers.map(([t, w]) => `${t} ${w}`).join(", ")})`;

  function classify(ctx: RequestContext): Verdict {
    const r = ctx.random();
    const hit = bounds.find((b) => r < b.upTo) ?? bounds[bounds.length - 1]; // r can meet the last bound through rounding
    return { tier: hit.tier, reason };
  }
  return plugin;
}
