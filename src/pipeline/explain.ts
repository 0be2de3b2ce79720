/**
 * Explain a routing decision without calling any upstream (POST /api/explain): every classifier's
 * verdict and which one decided, the tier, the candidates in order with their health and scores, and
 * the time budgets and retry plan the request would run under. The decision is the one serving makes
 * (`planRoute`), run dry: the conversation memory is read, never written, and `ctx.complete` refuses.
 */

import type { ScoredTarget } from "../../plugins/strategies/index.ts";
import type { ResolvedConfig, Timeouts } from "../config/types.ts";
import { GatewayError } from "../errors.ts";
import type { HealthView } from "../routing/health.ts";
import { parseChatRequest } from "./accept.ts";
import { requestContext } from "./context.ts";
import { type ClassifierVerdict, planRoute } from "./plan.ts";
import type { PipelineDeps } from "./state.ts";

export type { ClassifierVerdict } from "./plan.ts";

export interface Explanation {
  requestedModel: string;
  route: "auto" | "tier" | "model";
  tier: string;
  reason: string;
  /** The classifier whose verdict chose the tier (before tool-turn and sticky refinements), if one did. */
  decidedBy?: string;
  classifiers: ClassifierVerdict[];
  /** In the order they would be tried. */
  candidates: {
    ref: string;
    availability: "ready" | "probe" | "cooling";
    health: HealthView;
    score?: ScoredTarget["parts"] & { total: number };
  }[];
  strategy: string;
  timeouts: Timeouts;
  retry: {
    maxAttempts: number;
    perTarget: number;
    backoff: ResolvedConfig["retry"]["backoff"];
    rules: string[];
    adapters: string[];
  };
}

const NO_UPSTREAM = "explain does not call upstream models";

export async function explainRequest(
  rawBody: unknown,
  config: ResolvedConfig,
  deps: Pick<PipelineDeps, "clock" | "random" | "log" | "health" | "usage" | "conversations" | "cache">,
): Promise<Explanation> {
  const body = parseChatRequest(typeof rawBody === "string" ? rawBody : JSON.stringify(rawBody), config.limits);
  let askedModel = false;
  const complete = async (): Promise<never> => {
    askedModel = true;
    throw new GatewayError("invalid_request", NO_UPSTREAM);
  };
  // Explaining must not change what the router remembers: sticky tiers are read, not written.
  const ctx = requestContext(
    { id: "explain", body, signal: new AbortController().signal, config, complete, dryRun: true },
    deps,
  );
  const noteOn = () => {
    const asked = askedModel;
    askedModel = false;
    return asked ? "asks a model: not run by explain" : undefined;
  };
  const plan = await planRoute(ctx, config, { askEveryClassifier: true, noteOn });
  const now = deps.clock.now();
  return {
    requestedModel: body.model,
    route: plan.route.kind,
    tier: plan.tier,
    reason: plan.reason,
    decidedBy: plan.decidedBy,
    classifiers: plan.verdicts,
    candidates: plan.candidates.map((t) => {
      const scored = plan.scores?.find((s) => s.target.ref === t.ref);
      return {
        ref: t.ref,
        availability: deps.health.availability(t.ref, now),
        health: deps.health.view(t.ref, now),
        score: scored ? { ...scored.parts, total: scored.score } : undefined,
      };
    }),
    strategy: plan.strategy,
    timeouts: plan.timeouts,
    retry: {
      maxAttempts: plan.maxAttempts,
      perTarget: config.retry.perTarget,
      backoff: config.retry.backoff,
      rules: config.hooks.rules.map((r) => r.name),
      adapters: config.hooks.adapters.map((a) => a.name),
    },
  };
}
