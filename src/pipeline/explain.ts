/**
 * Explain a routing decision without calling any upstream (POST /api/explain): every classifier's
 * verdict and which one decided, the tier, the candidates in order with their health and scores, and
 * the time budgets and retry plan the request would run under.
 */
import { GatewayError } from "../errors.ts";
import { parseChatRequest } from "./accept.ts";
import { chooseRoute, tierTargets } from "./route.ts";
import { refineTier } from "./stages.ts";
import { classifierView } from "./message-text.ts";
import { healthyFirst, orderByStrategy } from "../routing/strategies.ts";
import type { PipelineDeps } from "./state.ts";
import type { ResolvedConfig, Timeouts } from "../config/types.ts";
import type { RequestContext, Verdict } from "../plugin/types.ts";
import type { HealthView } from "../routing/health.ts";
import type { ScoredTarget } from "../routing/adaptive.ts";
import type { TierMemory } from "../routing/conversations.ts";

export interface ClassifierVerdict {
  name: string;
  verdict?: Verdict;
  /** Why there is no verdict: it threw, answered an unknown tier, or would have asked a model. */
  note?: string;
  ms: number;
}

export interface Explanation {
  requestedModel: string;
  route: "auto" | "tier" | "model";
  tier: string;
  reason: string;
  /** The classifier whose verdict chose the tier (before tool-turn and sticky refinements), if one did. */
  decidedBy?: string;
  classifiers: ClassifierVerdict[];
  /** In the order they would be tried. */
  candidates: { ref: string; availability: "ready" | "probe" | "cooling"; health: HealthView; score?: ScoredTarget["parts"] & { total: number } }[];
  strategy: string;
  timeouts: Timeouts;
  retry: { maxAttempts: number; perTarget: number; backoff: ResolvedConfig["retry"]["backoff"]; rules: string[]; adapters: string[] };
}

const NO_UPSTREAM = "explain does not call upstream models";

export async function explainRequest(rawBody: unknown, config: ResolvedConfig, deps: Pick<PipelineDeps, "clock" | "random" | "log" | "health" | "usage" | "conversations">): Promise<Explanation> {
  const body = parseChatRequest(typeof rawBody === "string" ? rawBody : JSON.stringify(rawBody), config.limits);
  let askedModel = false;
  const ctx: RequestContext = {
    id: "explain",
    body,
    ...classifierView(body.messages),
    requestedModel: body.model,
    clock: deps.clock,
    random: deps.random,
    log: deps.log,
    signal: new AbortController().signal,
    complete: async () => {
      askedModel = true;
      throw new GatewayError("invalid_request", NO_UPSTREAM);
    },
    health: (ref) => deps.health.view(ref, deps.clock.now()),
  };
  const route = chooseRoute(body.model, config);
  const classifiers: ClassifierVerdict[] = [];
  let decided: { tier: string; reason: string; by: string } | undefined;
  if (route.kind === "auto") {
    for (const classifier of config.hooks.classifiers) {
      askedModel = false;
      const started = performance.now();
      let verdict: Verdict | undefined;
      let note: string | undefined;
      try {
        verdict = (await classifier.classify(ctx)) ?? undefined;
        if (verdict && !(verdict.tier in config.tiers)) {
          note = `answered unknown tier "${verdict.tier}": ignored`;
          verdict = undefined;
        }
      } catch (error) {
        note = `threw: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (askedModel) note = "asks a model: not run by explain";
      classifiers.push({ name: classifier.name, verdict, note, ms: performance.now() - started });
      if (verdict && !decided) decided = { tier: verdict.tier, reason: `${classifier.name}: ${verdict.reason}`, by: classifier.name };
    }
  }
  // Explaining must not change what the router remembers: sticky tiers are read, not written.
  const memory: TierMemory = { get: (key, now) => deps.conversations.get(key, now), set: () => {} };
  const chosen =
    route.kind === "auto"
      ? refineTier(decided ?? { tier: config.routing.defaultTier, reason: "default tier (no classifier answered)" }, ctx, config, memory)
      : route.kind === "tier"
        ? { tier: route.tier, reason: "tier requested by the client" }
        : { tier: route.tier ?? "none", reason: `model ${route.target.ref} requested by the client` };
  const tier = config.tiers[chosen.tier];
  const now = deps.clock.now();
  const targets = tierTargets(route, tier?.name, config);
  const pinned = route.kind === "model" ? route.target : undefined;
  const rest = pinned ? targets.filter((t) => t.ref !== pinned.ref) : targets;
  const strategy = tier?.strategy ?? "sequential";
  const { ordered, scores } = orderByStrategy(rest, strategy, { tier: chosen.tier, health: deps.health, usage: deps.usage, now, random: deps.random });
  const final = [...(pinned ? [pinned] : []), ...healthyFirst(ordered, deps.health, now)];
  return {
    requestedModel: body.model,
    route: route.kind,
    tier: chosen.tier,
    reason: chosen.reason,
    decidedBy: decided?.by,
    classifiers,
    candidates: final.map((t) => {
      const scored = scores?.find((s) => s.target.ref === t.ref);
      return { ref: t.ref, availability: deps.health.availability(t.ref, now), health: deps.health.view(t.ref, now), score: scored ? { ...scored.parts, total: scored.score } : undefined };
    }),
    strategy,
    timeouts: tier?.timeouts ?? config.timeouts,
    retry: {
      maxAttempts: tier?.maxAttempts ?? config.retry.maxAttempts,
      perTarget: config.retry.perTarget,
      backoff: config.retry.backoff,
      rules: config.hooks.rules.map((r) => r.name),
      adapters: config.hooks.adapters.map((a) => a.name),
    },
  };
}
