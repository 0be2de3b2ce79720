/**
 * The shape of `gateway.config.ts` (DESIGN §6, a contract): what users write (`GatewayConfigInput`) and
 * what the gateway runs on after defaults and resolution (`ResolvedConfig`).
 *
 * These interfaces are the documented source: their JSDoc is what a user's editor shows on hover. The
 * validation schema (`schema.ts`) fails to compile unless its static type is exactly
 * `GatewayConfigInput`; default values live in `defaults.ts`, and a test holds each JSDoc to them.
 */

import type { Classifier, ParamAdapter, Plugin, Provider, RetryRule, Target } from "../plugin/types.ts";
import type { EnvRef } from "./env.ts";
import type { HookLists } from "./hooks.ts";

/**
 * What a list entry or a provider may be instead of a value, to be left out: `hasKey && openai({...})`,
 * `isDev && "sim/small"`. Dropped at resolution (Vite's plugin list does the same).
 */
export type Skipped = false | null | undefined;

/** Time budgets of one attempt and of the whole request, in milliseconds. */
export interface Timeouts {
  /** Response headers must arrive within this time of the attempt's start (streamed requests). Default 10 000. */
  connectMs: number;
  /**
   * The first content must arrive within this time of the attempt's start. For a non-streamed request the
   * upstream only answers when it is done, so this bounds the whole generation. Default 30 000.
   */
  firstTokenMs: number;
  /** Longest silence allowed between two stream events once content flows. Default 30 000. */
  idleMs: number;
  /** Deadline of the whole request, failovers included. Default 600 000. */
  totalMs: number;
}

/** A price in USD per million tokens; the cache and reasoning rates default as src/pricing/price.ts says. */
export interface PriceInput {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
  reasoning?: number;
}

/** `pricing`: prices by "provider/model" or model name, and the savings baseline. */
export interface PricingInput {
  baseline?: string;
  [ref: string]: PriceInput | string | undefined;
}

/** A model of a tier, with what the router should know about it. */
export interface ModelEntry {
  /** "provider/model", or a bare model name of the `default` (or only) provider. */
  model: string;
  /** Relative weight for `random` and `adaptive` (default 1). */
  weight?: number;
  /** Accepts images (default true). */
  vision?: boolean;
  /** Context window in tokens: a context-length failure only fails over to a larger one. */
  contextWindow?: number;
  /**
   * The catalog entry this model is priced as ("openai/gpt-4o-mini"), when its upstream name is not the
   * catalog's (a fine-tune, a private alias). Default: looked up by the upstream model name.
   */
  catalog?: string;
  /** Continues a trailing assistant message, so a cut stream can be continued on it (default false). */
  prefill?: boolean;
}

export type StrategyName = "sequential" | "random" | "adaptive";

export interface TierInput {
  /** Candidate models in priority order; `false`, `null` and `undefined` entries are left out, but one must remain. */
  models: (string | ModelEntry | Skipped)[];
  /** How candidates are ordered per request (default "sequential"). */
  strategy?: StrategyName;
  /** Attempts in total for requests of this tier (default: `retry.maxAttempts`). */
  maxAttempts?: number;
  /** Per-tier overrides of the top-level `timeouts`. */
  timeouts?: Partial<Timeouts>;
  /**
   * What the tier serves: chat completions (default, and every door that translates to them), or
   * embeddings (`POST /v1/embeddings`: no classification; failover and health as for chat). A request
   * of the other kind naming the tier is a 400.
   */
  kind?: "chat" | "embeddings";
}

export interface BackoffOptions {
  /** First retry delay before jitter (default 200). */
  baseMs?: number;
  /** Largest retry delay (default 5 000). */
  maxMs?: number;
  /** Largest `Retry-After` the gateway waits for on the same target; longer waits fail over (default 10 000). */
  maxRetryAfterMs?: number;
}

export interface GatewayConfigInput {
  /** Where to listen. Default port 6688, host "0.0.0.0"; `GATEWAY_PORT` / `GATEWAY_HOST` override. */
  server?: { port?: number; host?: string };
  auth?: {
    /** Gateway API keys accepted on /v1 besides stored ones. Empty strings and skipped entries are ignored. Default []. */
    apiKeys?: (string | EnvRef | Skipped)[];
    /**
     * Serve /v1 without a key on purpose (a presented key is still checked: a revoked one gets 401).
     * Default false: /v1 is then open only while the config declares no key and no key was ever
     * created through the admin API (revoking every key does not reopen it).
     */
    open?: boolean;
  };
  /**
   * Upstream providers by id, from factories such as `openai({...})`. A skipped value
   * (`hasKey && openai({...})` without the key) leaves that provider out. Required: at least one remains.
   */
  providers: Record<string, Provider | Skipped>;
  /** Tiers by name, conventionally `t1` (cheap), `t2` (capable), `t3` (frontier); any names work. At least one. */
  tiers: Record<string, TierInput>;
  routing?: {
    /** Tier for auto requests no classifier answered (default "t1"). */
    defaultTier?: string;
    /** A model name that is neither a tier nor a configured model: classify it like "auto", or reject with 404 (default "classify"). */
    unknownModel?: "classify" | "reject";
    /**
     * Extra model names clients may use, each for a "provider/model", a tier or "auto": e.g.
     * `{ "gpt-4": "azure/gpt-4", "claude-sonnet-5": "t2", "claude-haiku-5-5": "auto" }`. Default {}.
     */
    aliases?: Record<string, string>;
    /**
     * Within one conversation (same system prompt and first user message) an auto request never goes to
     * a lower tier than the conversation already used, so upstream prompt caches stay warm. Default false.
     */
    sticky?: boolean;
    /** An auto request whose last message is a tool result goes to the tier that made the call. Default true. */
    toolTurns?: boolean;
  };
  /** Run in order for `model: "auto"`; the first answer wins. Skipped entries are left out. Default []. */
  classifiers?: (Classifier | Skipped)[];
  retry?: {
    /** Judged in order before the default semantics (DESIGN §5). Skipped entries are left out. Default []. */
    rules?: (RetryRule | Skipped)[];
    /** Attempts per request across all targets (default 6). */
    maxAttempts?: number;
    /** Attempts on one target before moving on (default 2: one retry). */
    perTarget?: number;
    backoff?: BackoffOptions;
  };
  /** Parameter adapters, applied in order before every attempt. Skipped entries are left out. Default []. */
  adapters?: (ParamAdapter | Skipped)[];
  /** Default time budgets; tiers may override. */
  timeouts?: Partial<Timeouts>;
  health?: {
    /** Cooldown after a 429 without a Retry-After (default 60 000). */
    rateLimitCooldownMs?: number;
    /** Cooldown after a 401/403 from an upstream (default 300 000). */
    authCooldownMs?: number;
    /** Cooldown after an attempt failed for any other reason (default 0: none). */
    failureCooldownMs?: number;
    /** The severity penalty shown with a target's health halves every this many ms (default 300 000). */
    decayHalfLifeMs?: number;
    /**
     * Window of the failure rate that makes a target's health score: each attempt counts with weight
     * e^(−age / windowMs), so the rate is that of about the last `windowMs`, and old failures fade
     * (default 300 000).
     */
    windowMs?: number;
    /** Failures in a row that open a target's circuit (default 5; 0: never by count). */
    openAfterFailures?: number;
    /** Cooldown when failures in a row open the circuit; doubled after each failed probe (default 10 000). */
    openCooldownMs?: number;
    /**
     * Longest cooldown the gateway sets by itself (failures in a row, failed probes): a target that
     * recovers is probed again at least this often (default 20 000). A Retry-After and the auth and
     * rate-limit cooldowns are not capped by it.
     */
    maxCooldownMs?: number;
  };
  logging?: {
    /** How much of request and response bodies the log keeps (default "full"). */
    bodies?: "full" | "truncated" | "none";
    /** Days of logs to keep (default 7). */
    retentionDays?: number;
    /** Size cap of the log database in MB (default 1 024). */
    maxDbMb?: number;
    /** Longest time a finished request waits in memory before its row is written (default 20). */
    flushIntervalMs?: number;
    /**
     * Ceiling on each body (request, response) one log row stores, in bytes, whatever `bodies` says:
     * a longer body is cut and marked as cut (default 1 MiB).
     */
    maxBodyBytes?: number;
  };
  limits?: {
    /** Largest accepted request body in bytes (default 10 MiB). Larger bodies get 413. */
    maxBodyBytes?: number;
    /**
     * Longest time a client may take to send a request's body once its headers are in, in ms (default
     * 30 000); a slower client gets 408 and its connection is closed. A total, not an idle gap. Responses
     * (long streams) are not bound by it: the `timeouts` budgets govern those. Headers are bounded by the
     * runtime (Bun: about 10 s); on Bun an idle keep-alive connection is closed after this, rounded up to
     * whole seconds, plus 5 s (read at start).
     */
    bodyTimeoutMs?: number;
    /**
     * Requests one client address may have open at once, a stream until it ends (default 256; 0: no
     * cap). Behind a proxy that hides client addresses, raise it or set 0. Past it: 429.
     */
    maxRequestsPerClient?: number;
    /**
     * Requests the gateway holds open at once before it sheds load with 503 (default: derived from the
     * process's open-file limit, (limit − max(64, 10 %)) ÷ 2, leaving room for upstream connections and
     * the database; 1000 when the limit cannot be read; 0: no cap). A bodiless `GET /healthz` is answered
     * past it.
     */
    maxInFlight?: number;
    /** Deepest JSON nesting accepted in a request body (default 64). Deeper bodies get 400. */
    maxJsonDepth?: number;
    /**
     * Largest non-streamed upstream response body, in decompressed bytes (default 32 MiB). A larger
     * answer fails the attempt as an upstream fault.
     */
    maxUpstreamBodyBytes?: number;
    /** Longest single line of an upstream event stream, in bytes (default 1 MiB); longer fails the attempt. */
    maxSseLineBytes?: number;
  };
  /**
   * Prices in USD per million tokens, keyed by "provider/model" or model name: they override the bundled
   * catalog (src/pricing/catalog.ts). A model priced nowhere is "not priced", never $0. `baseline`
   * ("provider/model") is what savings are counted against; default: the most expensive model of the
   * tiers the request could have used. Default {}.
   */
  pricing?: PricingInput;
  /** Other plugins: guards and observers. Skipped entries are left out. Default []. */
  plugins?: (Plugin | Skipped)[];
}

/**
 * What governs a request's attempts once its tier is chosen: the tier's own settings, each one that the
 * tier leaves out taken from the top level. Resolved once per config, so no consumer merges them.
 */
export interface TierPolicy {
  /** The tier's `strategy`, default "sequential". */
  readonly strategy: StrategyName;
  /** The tier's `maxAttempts`, default `retry.maxAttempts`. */
  readonly maxAttempts: number;
  /** The top-level `timeouts` (with their defaults), overridden by the tier's. */
  readonly timeouts: Readonly<Timeouts>;
}

/** A tier after resolution: its targets resolved against the providers, its policy complete. */
export interface ResolvedTier extends TierPolicy {
  readonly name: string;
  readonly kind: "chat" | "embeddings";
  /** In priority order. (A mutable array type until `pipeline/route.ts` accepts a readonly one.) */
  readonly targets: Target[];
}

type Complete<T> = Readonly<Required<NonNullable<T>>>;

/**
 * The config the gateway runs on: every default applied, every reference checked, skipped entries left
 * out. Read-only: a config is shared by every request that started on it, and a reload replaces it whole.
 */
export interface ResolvedConfig {
  readonly server: Readonly<{ port: number; host: string }>;
  readonly apiKeys: readonly string[];
  /** `auth.open`: /v1 serves requests without a key (default false). */
  readonly openAccess: boolean;
  readonly providers: Readonly<Record<string, Provider>>;
  readonly tiers: Readonly<Record<string, ResolvedTier>>;
  /**
   * The policy of a request that has no tier (a pinned model no tier lists): the top-level `timeouts`
   * and `retry.maxAttempts`, strategy "sequential". `tierPolicy(config, name)` picks one or the other.
   */
  readonly tierless: TierPolicy;
  /** Every configured target by "provider/model". */
  readonly targets: ReadonlyMap<string, Target>;
  /** Model names clients may use (aliases, bare model names) → "provider/model". */
  readonly modelNames: ReadonlyMap<string, string>;
  /** Aliases of a tier or of "auto" (`routing.aliases: { "claude-sonnet-5": "t2" }`) → that tier, or "auto". */
  readonly tierAliases: ReadonlyMap<string, string>;
  readonly routing: Readonly<{
    defaultTier: string;
    unknownModel: "classify" | "reject";
    sticky: boolean;
    toolTurns: boolean;
  }>;
  readonly classifiers: readonly Classifier[];
  readonly retry: Readonly<{
    rules: readonly RetryRule[];
    maxAttempts: number;
    perTarget: number;
    backoff: Complete<BackoffOptions>;
  }>;
  readonly adapters: readonly ParamAdapter[];
  readonly timeouts: Readonly<Timeouts>;
  readonly health: Complete<GatewayConfigInput["health"]>;
  readonly logging: Complete<GatewayConfigInput["logging"]>;
  /** `maxInFlight` stays undefined unless the config sets it: the server derives it from the open-file limit. */
  readonly limits: Readonly<
    Required<Omit<NonNullable<GatewayConfigInput["limits"]>, "maxInFlight">> & { maxInFlight?: number }
  >;
  /** The config's prices (the catalog fills in the rest), without `baseline`. */
  readonly pricing: Readonly<Record<string, PriceInput>>;
  /** `pricing.baseline`, when set. */
  readonly pricingBaseline?: string;
  readonly plugins: readonly Plugin[];
  /** Plugins by hook, in calling order (computed once per config). */
  readonly hooks: HookLists;
}

/** What a config function is called with. */
export interface ConfigContext {
  /** The process environment. */
  env: Record<string, string | undefined>;
  /** "production" when the gateway loads its config; the config editor validates a candidate with its own mode. */
  mode: string;
}

/** A config written as a function of the environment. */
export type ConfigFunction = (context: ConfigContext) => GatewayConfigInput;

/** What `gateway.config.ts` may export: the config, or a function of the environment returning it. */
export type ConfigExport = GatewayConfigInput | ConfigFunction;
