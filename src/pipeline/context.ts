/**
 * The context every plugin hook of a request gets (`RequestContext`), built in one place for serving and
 * for explain. Explain builds it dry: the conversation memory is read, never written.
 */
import type { ResolvedConfig } from "../config/types.ts";
import type { ChatRequest, ConversationView, RequestClient, RequestContext, SharedCache } from "../plugin/types.ts";
import { healthView, usageView } from "./context-views.ts";
import { classifierView } from "./message-text.ts";
import type { PipelineDeps } from "./state.ts";

export interface ContextInput {
  id: string;
  body: ChatRequest;
  signal: AbortSignal;
  config: ResolvedConfig;
  complete: RequestContext["complete"];
  client?: RequestClient;
  /** Explain: reads of the conversation memory only. */
  dryRun?: boolean;
}

type ContextDeps = Pick<PipelineDeps, "clock" | "random" | "log" | "health" | "usage" | "conversations" | "cache">;

/** Outside a cluster the shared cache holds nothing: plugins keep their own in front of it. */
const NO_SHARED_CACHE: SharedCache = { get: async () => undefined, set: () => {} };

export function requestContext(input: ContextInput, deps: ContextDeps): RequestContext {
  const { clock, conversations } = deps;
  const memory: ConversationView = {
    get: (key) => conversations.get(key, clock.now()),
    set: input.dryRun ? () => {} : (key, tier) => conversations.set(key, tier, clock.now()),
  };
  return {
    id: input.id,
    body: input.body,
    ...classifierView(input.body.messages),
    requestedModel: input.body.model,
    tiers: tierNames(input.config),
    clock,
    random: deps.random,
    log: deps.log,
    signal: input.signal,
    complete: input.complete,
    health: healthView(deps.health, clock),
    usage: usageView(deps.usage, clock),
    memory,
    cache: sharedCache(deps.cache, input.dryRun),
    client: input.client ?? {},
  };
}

/** The config's tier names in the order it declares them (their rank), computed once per config. */
const names = new WeakMap<ResolvedConfig, readonly string[]>();
function tierNames(config: ResolvedConfig): readonly string[] {
  let list = names.get(config);
  if (!list) names.set(config, (list = Object.freeze(Object.keys(config.tiers))));
  return list;
}

/** The cluster's cache, read-only for explain. */
function sharedCache(cache: SharedCache | undefined, dryRun?: boolean): SharedCache {
  if (!cache) return NO_SHARED_CACHE;
  return dryRun ? { get: (key) => cache.get(key), set: () => {} } : cache;
}
