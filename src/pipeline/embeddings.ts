/**
 * `POST /v1/embeddings` on the same pipeline: an embeddings tier (`kind: "embeddings"`) is chosen by its
 * name, a model of it, an alias, or "auto" (the first embeddings tier); there is no classification. Its
 * candidates are ordered by the same strategy plugins (the API key's limits included), and attempted,
 * judged, failed over and logged like chat requests. A chat tier named by an embeddings request (or the
 * reverse, in `plan.ts`) is a 400.
 */

import { tierPolicy } from "../config/resolve.ts";
import type { ResolvedConfig, ResolvedTier } from "../config/types.ts";
import { GatewayError, invalidField as invalid } from "../errors.ts";
import type { ChatRequest, EmbeddingsRequest, RequestContext } from "../plugin/types.ts";
import { type AcceptLimits, parseJsonObject } from "./accept.ts";
import { orderCandidates } from "./order-candidates.ts";
import type { RoutePlan } from "./plan.ts";
import { chooseRoute, type Route, tierTargets } from "./route.ts";

function checkInput(input: unknown): void {
  const isTokens = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((n) => Number.isInteger(n));
  if (typeof input === "string") {
    if (input === "") throw invalid("input", "must not be empty");
    return;
  }
  if (!Array.isArray(input) || input.length === 0) throw invalid("input", "must be a string or a non-empty array");
  if (isTokens(input)) return;
  input.forEach((item, i) => {
    if (typeof item === "string" ? item === "" : !isTokens(item))
      throw invalid(`input[${i}]`, "must be a non-empty string or an array of token ids");
  });
}

/** The client's body as an embeddings request, or a 400 naming the field. */
export function parseEmbeddingsRequest(text: string, limits: AcceptLimits): EmbeddingsRequest {
  const request = parseJsonObject(text, limits) as EmbeddingsRequest;
  if (typeof request.model !== "string" || request.model === "")
    throw invalid("model", 'a model, an embeddings tier or "auto" is required');
  checkInput(request.input);
  if (request.dimensions !== undefined && !(Number.isInteger(request.dimensions) && request.dimensions >= 1))
    throw invalid("dimensions", "must be a whole number of at least 1");
  if (
    request.encoding_format !== undefined &&
    request.encoding_format !== "float" &&
    request.encoding_format !== "base64"
  )
    throw invalid("encoding_format", 'must be "float" or "base64"');
  return request;
}

/** The inputs as user messages: what guards and observers read as the request's text. */
export function embeddingsView(request: EmbeddingsRequest): ChatRequest {
  const inputs = typeof request.input === "string" ? [request.input] : request.input;
  const texts = inputs.map((item) =>
    typeof item === "string" ? item : `[${Array.isArray(item) ? item.length : 1} tokens]`,
  );
  return { model: request.model, messages: texts.map((content) => ({ role: "user" as const, content })) };
}

function embeddingsTier(model: string, route: Route, config: ResolvedConfig): { tier: ResolvedTier; reason: string } {
  const first = Object.values(config.tiers).find((t) => t.kind === "embeddings");
  const tier =
    route.kind === "auto"
      ? first
      : route.kind === "tier"
        ? config.tiers[route.tier]
        : route.tier
          ? config.tiers[route.tier]
          : undefined;
  if (!tier) {
    const what =
      route.kind === "auto" ? "no tier of this config serves embeddings" : `"${model}" is in no embeddings tier`;
    throw new GatewayError("invalid_request", `${what}: declare one with kind: "embeddings".`, { param: "model" });
  }
  if (tier.kind !== "embeddings")
    throw new GatewayError("invalid_request", `Tier ${tier.name} serves chat completions, not embeddings.`, {
      param: "model",
    });
  const reason =
    route.kind === "auto"
      ? "the first embeddings tier"
      : route.kind === "tier"
        ? "tier requested by the client"
        : `model ${model} requested by the client`;
  return { tier, reason };
}

/** The route of an embeddings request: its tier and the candidates in order, with the tier's budgets. */
export async function planEmbeddings(ctx: RequestContext, config: ResolvedConfig): Promise<RoutePlan> {
  const route = chooseRoute(ctx.body.model, config);
  const { tier, reason } = embeddingsTier(ctx.body.model, route, config);
  ctx.tier = tier.name;
  const policy = tierPolicy(config, tier.name);
  const pinned = route.kind === "model" ? route.target : undefined;
  const { candidates, scores } = await orderCandidates(tierTargets(route, tier.name, config), {
    pinned,
    strategy: policy.strategy,
    ctx,
    config,
  });
  return {
    route,
    tier: tier.name,
    reason,
    verdicts: [],
    candidates,
    scores,
    strategy: policy.strategy,
    timeouts: policy.timeouts,
    maxAttempts: policy.maxAttempts,
  };
}
