/**
 * Stages 2 to 4 as one decision (DESIGN §3): from the client's `model` to the tier and the candidates
 * in the order they will be tried, with the budgets they run under. Serving and `POST /api/explain`
 * both call `planRoute`, so what explain shows is what the gateway does. Explain runs it dry: the
 * conversation memory read-only, `ctx.complete` refusing, and every classifier asked so that each
 * verdict can be shown; the first answer decides either way.
 */

import { withinKeyTiers } from "../../plugins/routing/key-limits.ts";
import type { ScoredTarget } from "../../plugins/strategies/index.ts";
import { tierPolicy } from "../config/resolve.ts";
import type { ResolvedConfig, StrategyName, Timeouts } from "../config/types.ts";
import { GatewayError } from "../errors.ts";
import type { Classifier, RequestContext, Target, Verdict } from "../plugin/types.ts";
import { orderCandidates } from "./order-candidates.ts";
import { refineTier } from "./refine-tier.ts";
import { chooseRoute, type Route, tierTargets } from "./route.ts";

/** One classifier's answer, as explain shows it. */
export interface ClassifierVerdict {
  name: string;
  verdict?: Verdict;
  /** Why there is no verdict: it threw, answered an unknown tier, or would have asked a model. */
  note?: string;
  ms: number;
}

export interface RoutePlan {
  route: Route;
  tier: string;
  /** Why this tier: the classifier's reason, a refinement, or how the client pinned it. */
  reason: string;
  /** The classifier whose verdict chose the tier (before tool-turn and sticky refinements), if one did. */
  decidedBy?: string;
  /** The classifiers asked, in config order (serving stops at the first answer). */
  verdicts: ClassifierVerdict[];
  /** In the order they will be tried. */
  candidates: Target[];
  /** Each candidate's score, when the tier's strategy is adaptive. */
  scores?: ScoredTarget[];
  strategy: StrategyName;
  timeouts: Timeouts;
  maxAttempts: number;
}

export interface PlanOptions {
  /** Ask every classifier, not only up to the first answer (explain, to show each verdict). */
  askEveryClassifier?: boolean;
  /** A note to add to a classifier's verdict after it ran (explain: "asks a model"). */
  noteOn?: (classifier: Classifier) => string | undefined;
}

/** The config's chat tiers in its order, computed once per config (a config is immutable). */
const chatTierNames = new WeakMap<ResolvedConfig, readonly string[]>();
function chatTiers(config: ResolvedConfig): readonly string[] {
  let names = chatTierNames.get(config);
  if (!names)
    chatTierNames.set(
      config,
      (names = Object.values(config.tiers)
        .filter((tier) => tier.kind === "chat")
        .map((tier) => tier.name)),
    );
  return names;
}

export async function planRoute(
  ctx: RequestContext,
  config: ResolvedConfig,
  options: PlanOptions = {},
): Promise<RoutePlan> {
  const route = chooseRoute(ctx.body.model, config);
  const classified: Classified = route.kind === "auto" ? await classify(ctx, config, options) : { verdicts: [] };
  // The key's tiers bound an auto request last, after every refiner, so none can step outside them.
  const chosen =
    route.kind === "auto"
      ? withinKeyTiers(
          await refineTier(
            classified.decided ?? { tier: config.routing.defaultTier, reason: "default tier (no classifier answered)" },
            ctx,
            config,
          ),
          ctx,
          chatTiers(config),
        )
      : route.kind === "tier"
        ? { tier: route.tier, reason: "tier requested by the client" }
        : { tier: route.tier ?? "none", reason: `model ${route.target.ref} requested by the client` };
  ctx.tier = chosen.tier;
  const tier = config.tiers[chosen.tier];
  if (tier?.kind === "embeddings")
    throw new GatewayError("invalid_request", `Tier ${tier.name} serves embeddings (POST /v1/embeddings), not chat.`, {
      param: "model",
    });
  const policy = tierPolicy(config, tier?.name);
  const strategy = policy.strategy;
  const pinned = route.kind === "model" ? route.target : undefined;
  const { candidates, scores } = await orderCandidates(tierTargets(route, tier?.name, config), {
    pinned,
    strategy,
    ctx,
    config,
  });
  return {
    route,
    tier: chosen.tier,
    reason: chosen.reason,
    decidedBy: classified.decided?.by,
    verdicts: classified.verdicts,
    candidates,
    scores,
    strategy,
    timeouts: policy.timeouts,
    maxAttempts: policy.maxAttempts,
  };
}

/**
 * The classifiers in config order: the first known-tier answer decides. A throw or an unknown tier is
 * no answer (logged, and noted for explain).
 */
interface Classified {
  decided?: { tier: string; reason: string; by: string };
  verdicts: ClassifierVerdict[];
}

async function classify(ctx: RequestContext, config: ResolvedConfig, options: PlanOptions): Promise<Classified> {
  const log = ctx.log;
  const verdicts: ClassifierVerdict[] = [];
  let decided: { tier: string; reason: string; by: string } | undefined;
  for (const classifier of config.hooks.classifiers) {
    const started = performance.now();
    let verdict: Verdict | undefined;
    let note: string | undefined;
    try {
      verdict = (await classifier.classify(ctx)) ?? undefined;
      if (verdict && config.tiers[verdict.tier]?.kind !== "chat") {
        note = `answered unknown tier "${verdict.tier}": ignored`;
        log.warn(`classifier ${classifier.name} answered tier "${verdict.tier}", which does not exist: ignored`);
        verdict = undefined;
      }
    } catch (error) {
      note = `threw: ${error instanceof Error ? error.message : String(error)}`;
      log.warn(`plugin ${classifier.name} threw in classify`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    note = options.noteOn?.(classifier) ?? note;
    verdicts.push({ name: classifier.name, verdict, note, ms: performance.now() - started });
    if (verdict && !decided) {
      decided = { tier: verdict.tier, reason: `${classifier.name}: ${verdict.reason}`, by: classifier.name };
      if (!options.askEveryClassifier) break;
    }
  }
  return { decided, verdicts };
}
