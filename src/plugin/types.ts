/**
 * The plugin contract (DESIGN §4). Every built-in and user plugin is a `Plugin`; the kinds the config
 * names (classifier, retry rule, parameter adapter, strategy) each implement one of its hooks. A provider
 * is a `Provider`: the same name, options and schema (`PluginBase`), its own methods, no hooks.
 * Web-standard types only: this file is imported by the pipeline, which must run on any runtime.
 */
import type { TSchema } from "@sinclair/typebox";

export type MaybePromise<T> = T | Promise<T>;

/** A chat message in OpenAI's shape; fields beyond these are kept and forwarded untouched. */
export interface ChatMessage {
  role: string;
  content?: unknown;
  [key: string]: unknown;
}

/** The client's request body. Loosely typed on purpose: unknown fields are forwarded as they are. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  [key: string]: unknown;
}

/** Injected time source: tests set the time, plugins never read `Date` directly. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Local wall-clock time as "HH:MM". */
  localTime(): string;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `fn` once, `ms` from now; returns a function that cancels it. Every budget timer of the request
   * path (connect, first token, idle, total, backoff, the relay's finish grace) is one of these, so a
   * virtual clock (`VirtualClock`) drives them in tests.
   */
  setTimer(ms: number, fn: () => void): () => void;
}

/** Structured logger handed to plugins; `data` must never contain secrets. */
export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** One upstream model a request can be sent to, resolved from the config. */
export interface Target {
  /** "provider/model" */
  ref: string;
  provider: string;
  model: string;
  /** Relative weight for the `random` and `adaptive` strategies (default 1). */
  weight: number;
  /** Accepts image inputs (default true). */
  vision: boolean;
  /** Declared context window in tokens, when known. */
  contextWindow?: number;
  /** The catalog entry it is priced as, when the config names one (`catalog` of a model entry). */
  catalog?: string;
  /** Can continue a trailing assistant message: enables mid-stream continuation onto this target. */
  prefill: boolean;
}

/** What a classifier answers: the tier, and why. */
export interface Verdict {
  tier: string;
  reason: string;
  confidence?: number;
}

/** Per-request context handed to classifiers, strategies and guards. */
export interface RequestContext {
  /** The request id, also sent back as `x-request-id`. */
  id: string;
  /** The body as the client sent it (after parsing). Treat as read-only. */
  body: ChatRequest;
  /**
   * The text of the latest user message (string parts joined), what most classifiers look at. Bounded:
   * a long message keeps its first 12,000 and last 4,000 characters (`CLASSIFIER_VIEW`), so reading it
   * costs the same for a 20 KB and a 10 MB prompt.
   */
  text: string;
  /**
   * The conversation as classifiers should read it (treat as read-only): its first 2 and last 14
   * messages plus the latest user message, each with its text bounded like `text`. The same messages as
   * `body.messages` when the conversation is short; `body.messages` stays whole for what is forwarded.
   */
  messages: ChatMessage[];
  /** The model name the client asked for. */
  requestedModel: string;
  /** The config's tier names, in the order it declares them: their rank, lowest first. */
  tiers: readonly string[];
  clock: Clock;
  /** Uniform random number in [0, 1): injected so tests are deterministic. */
  random: () => number;
  log: Logger;
  /** Aborts when the client disconnects or the request deadline passes. */
  signal: AbortSignal;
  /** Set once the route is chosen. */
  tier?: string;
  /**
   * Calls one configured model directly — not through the pipeline: no classification, no failover —
   * for plugins that ask a model (an LLM classifier, a vision bridge). Rejects on any failure or when
   * `timeoutMs` (default 10 000) passes, or when the client goes away.
   */
  complete(request: DirectRequest, options?: { timeoutMs?: number }): Promise<DirectAnswer>;
  /** A target's health right now (for plugins choosing among models: strategies, guards, classifiers). */
  health(ref: string): TargetHealth;
  /** Recent use of the targets: what a strategy balances load on. */
  usage: UsageView;
  /** What the router remembers about conversations (sticky tiers, tool turns). Explain reads it without writing. */
  memory: ConversationView;
  /**
   * A cache the processes of a cluster share (Redis), for answers that are costly to get again (an LLM's
   * verdict): what one process learnt, the others read. Without a cluster, and while Redis is away, it
   * holds nothing (`get` finds nothing, `set` keeps nothing): keep your own in-process cache in front
   * of it. Keys are yours to namespace (`"my-plugin:" + hash`); values are short strings. Explain reads it
   * without writing.
   */
  cache: SharedCache;
  /** Who is asking: the client's address, its gateway key and that key's limits. */
  client: RequestClient;
}

/** The client of a request, as the HTTP layer identified it. */
export interface RequestClient {
  ip?: string;
  /** The id of the gateway key the request used (none when /v1 is open). */
  apiKeyId?: string;
  /** That key's limits: the tiers and models it may use (absent: all), its budget and in-flight cap. */
  limits?: {
    tiers?: string[];
    models?: string[];
    budgetUsd?: number;
    budgetPeriod?: "day" | "month" | "total";
    maxConcurrent?: number;
  };
}

/**
 * A bounded, expiring map from a conversation key (`conversationKey`, `turnKey`, `toolTurnOrigin`: hashes
 * of message text, never the text) to a tier. In a cluster it is shared by every replica.
 */
export interface SharedCache {
  get(key: string): Promise<string | undefined>;
  /** Kept for `ttlMs`; not awaited (a cache write never delays a request). */
  set(key: string, value: string, ttlMs: number): void;
}

export interface ConversationView {
  get(key: string): string | undefined;
  set(key: string, tier: string): void;
}

/** A tier and why: what classification chose, and what `refineTier` plugins may change. */
export interface TierChoice {
  tier: string;
  reason: string;
}

/**
 * A target's health as plugins read it: everything the built-in adaptive strategy decides on, so a
 * strategy of the user's own can be as good.
 */
export interface TargetHealth {
  /** 0 (in cooldown, or failing constantly) to 100 (healthy): from the failure rate of the health window. */
  score: number;
  state: "closed" | "open" | "half_open";
  /** "ready" (closed), "probe" (half-open, its probe free: try it), "cooling" (open, or its probe taken). */
  availability: "ready" | "probe" | "cooling";
  /** Failed share of the attempts in the window, 0 to 1. */
  errorRate: number;
  /** Attempts in the window (decay-weighted). */
  attemptsInWindow: number;
  /** Average whole-answer latency, ms (non-streamed answers), once there is a sample. */
  latencyMs?: number;
  /** Average time to first token, ms (streams), once there is a sample. */
  ttftMs?: number;
  /** Epoch ms the target's cooldown ends, while it is in one. */
  cooldownUntil?: number;
}

/** Recent use of targets, read-only. */
export interface UsageView {
  /** Successful answers from `ref` in the last minute. */
  recentUses(ref: string): number;
  /** The last targets chosen in `tier`, oldest first. */
  recentPicks(tier: string): readonly string[];
}

/** A direct call to one model: `model` is "provider/model" (a provider of the config). */
export interface DirectRequest {
  model: string;
  messages: ChatMessage[];
  [key: string]: unknown;
}

export interface DirectAnswer {
  /** The answer's text (first choice). */
  text: string;
  usage?: Usage;
  /** The whole chat.completion body. */
  body: unknown;
}

/** One attempt of a request against one target. */
export interface AttemptInfo {
  target: Target;
  /** 1-based number of this attempt within the request. */
  number: number;
  /** 1-based number of this attempt on this target. */
  onTarget: number;
  /** Whether the client asked for a stream. */
  stream: boolean;
  request: RequestContext;
  /** Epoch ms after which the request as a whole has failed. */
  deadline: number;
  /** The configured jittered backoff before retrying this target (grows with `onTarget`). */
  backoffMs(): number;
  /** The body as sent to this target, after every adapter (set once adapted; for retry rules). */
  body?: ChatRequest;
}

/**
 * Why an attempt did not produce a healthy answer. `http`: a non-2xx status; `connection`: refused,
 * reset or closed before a response; `timeout_connect` / `timeout_first_token`: a budget ran out before
 * the answer started; `stall`: no event for longer than the idle budget; `cut`: the stream ended early;
 * `error_body`: a 2xx whose body or first event is an error object; `empty`: a 2xx with no content;
 * `bad_response`: a 2xx body that is not what the protocol promises.
 */
export type ErrorClass =
  | "http"
  | "connection"
  | "timeout_connect"
  | "timeout_first_token"
  | "stall"
  | "cut"
  | "error_body"
  | "empty"
  | "bad_response";

/** The result of one attempt, as a value: upstream failures are never thrown. */
export interface AttemptOutcome {
  /** True when the upstream answered 2xx with a healthy body or first event. */
  ok: boolean;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  headers: Headers;
  errorClass?: ErrorClass;
  /** Upstream error code (`error.code` or `error.type`), when the body had one. */
  errorCode?: string;
  /** The request field the upstream's error names (`error.param`), when it names one. */
  errorParam?: string;
  /** Error message or body text, for rules that match on text (at most a few KB). */
  errorText?: string;
  /** For a healthy answer: its first content (stream) or its content (non-stream), for keyword rules. */
  text?: string;
  /**
   * The response body as read: a non-streamed answer (whole), or an error status's body (at most
   * 8 KiB). What the request log keeps of an attempt that was not accepted.
   */
  body?: string;
  /** Wait the upstream asked for (`retry-after-ms` or `Retry-After`), in ms. */
  retryAfterMs?: number;
  /** Milliseconds from attempt start to response headers, to first content, and to the outcome. */
  timings: { headersMs?: number; firstTokenMs?: number; totalMs: number };
}

/** What a retry rule decides about an outcome. */
export interface Decision {
  action: "accept" | "retry" | "failover" | "fail";
  reason: string;
  /** For `retry`: wait this long first. */
  delayMs?: number;
  /** Put the target in cooldown for this long (it goes last in later requests' order). */
  cooldownMs?: number;
  /** For `failover`: only targets passing this test may be tried next (e.g. a larger context window). */
  onlyTo?: (target: Target) => boolean;
}

/** Limits an adapter (or any target-scoped hook) to some providers or models. */
export interface TargetMatch {
  provider?: (string | RegExp)[];
  model?: (string | RegExp)[];
}

/** A patch to the request body: each key set; a key set to `undefined` is removed. */
export type BodyPatch = Record<string, unknown>;

/**
 * A guard's refusal: the request ends with this error, and the client gets its message, status and code
 * (rules in `src/plugin/rejection.ts`).
 */
export interface Rejection {
  reject: {
    message: string;
    /** Any status from 400 to 599; default: the code's status when it is one of the gateway's, else 400. */
    status?: number;
    /** The body's `error.code`; default: the gateway's own for 400/401/403/429 (`forbidden`, ...), else `rejected`. */
    code?: string;
  };
}

/** The summary every `onComplete` observer receives. */
export interface CompletionSummary {
  request: RequestContext;
  tier: string;
  /** Why this tier: the classifier's reason, or how the client pinned it. */
  tierReason: string;
  /** Who asked: the client's address and the id of the gateway key it used. */
  client: { ip?: string; apiKeyId?: string };
  /** The request body exactly as the client sent it (what the log keeps, without re-serialising). */
  requestText?: string;
  /** The front door the request came through: Anthropic Messages or OpenAI Responses (absent: chat completions). */
  door?: "messages" | "responses" | "embeddings";
  /** The answer: the upstream's JSON text, or a streamed answer reassembled (when bodies are logged). */
  response?: string | Record<string, unknown>;
  target?: Target;
  status: number;
  attempts: AttemptSummary[];
  stream: boolean;
  usage?: Usage;
  /** The answer carried tool calls (its tool-result turn will come back). */
  toolCalls?: boolean;
  errorCode?: string;
  errorMessage?: string;
  /** Epoch ms timings. */
  startedAt: number;
  finishedAt: number;
  firstTokenAt?: number;
  /** Time spent in the gateway itself, excluding time waiting on upstreams. */
  overheadMs: number;
}

export interface AttemptSummary {
  target: string;
  startedAt: number;
  durationMs: number;
  outcome: "accepted" | "retry" | "failover" | "fail" | "cut";
  status: number;
  errorClass?: ErrorClass;
  reason: string;
  /**
   * For an attempt that was not accepted: what the upstream sent that it was judged on, its body or a
   * stream's first events (one `data` per line), at most 8 KiB. The request log keeps it as
   * `logging.bodies` allows (none: dropped; truncated: 2,000 characters).
   */
  body?: string;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  [key: string]: unknown;
}

/**
 * What every plugin has, providers included: a name, and its `options` with their TypeBox `schema` so the
 * admin UI can show and edit them.
 */
export interface PluginBase<Options = unknown> {
  /** Namespaced, e.g. "builtin:keywords" or "local:office-hours". */
  name: string;
  options?: Options;
  schema?: TSchema;
}

/**
 * The one shape of the plugins the config's hook lists call (classifiers, strategies, adapters, retry
 * rules, guards, observers). Every hook is optional. Providers have their own shape (`Provider`): the
 * gateway calls none of these hooks on them.
 */
export interface Plugin<Options = unknown> extends PluginBase<Options> {
  /** Limits `adapt` and `judge` to these providers/models. */
  match?: TargetMatch;
  /** Classifier: the first answer that is not undefined wins; a throw counts as no answer. */
  classify?(ctx: RequestContext): MaybePromise<Verdict | undefined | void>;
  /**
   * After classification (auto requests only): may change the tier, e.g. back to the one that made a
   * tool call, or never lower within a conversation; a waterfall over all plugins that have it.
   */
  refineTier?(chosen: TierChoice, ctx: RequestContext): MaybePromise<TierChoice | undefined | void>;
  /**
   * Strategy: reorders (or filters) candidate targets; a waterfall over all plugins that have it. A
   * `{ reject }` ends the request with that refusal (an API key that may not use any of them).
   */
  orderTargets?(targets: Target[], ctx: RequestContext): MaybePromise<Target[] | Rejection>;
  /** Parameter adapter: returns a patch for this attempt's body (or a promise of one); a waterfall. */
  adapt?(body: ChatRequest, attempt: AttemptInfo): MaybePromise<BodyPatch | undefined | void>;
  /** Retry rule: the first decision wins; none gives the default semantics. */
  judge?(outcome: AttemptOutcome, attempt: AttemptInfo): Decision | undefined | void;
  /** Guard/observer at the start of a request; may reject it. */
  onRequest?(ctx: RequestContext): MaybePromise<Rejection | undefined | void>;
  /** Observer after every attempt; cannot change the outcome, its errors are only logged. */
  onAttempt?(outcome: AttemptOutcome, attempt: AttemptInfo): void;
  /** Observer when a request ends; cannot change anything, its errors are only logged. */
  onComplete?(summary: CompletionSummary): void;
}

export type Classifier<O = unknown> = Plugin<O> & Required<Pick<Plugin<O>, "classify">>;
export type RetryRule<O = unknown> = Plugin<O> & Required<Pick<Plugin<O>, "judge">>;
export type ParamAdapter<O = unknown> = Plugin<O> & Required<Pick<Plugin<O>, "adapt">>;
export type Strategy<O = unknown> = Plugin<O> & Required<Pick<Plugin<O>, "orderTargets">>;
export type TierRefiner<O = unknown> = Plugin<O> & Required<Pick<Plugin<O>, "refineTier">>;

/** An embeddings request, OpenAI's shape (`POST /v1/embeddings`). */
export interface EmbeddingsRequest {
  model: string;
  /** One text, a batch of texts, or token arrays. */
  input: string | string[] | number[] | number[][];
  dimensions?: number;
  encoding_format?: "float" | "base64";
  user?: string;
  [field: string]: unknown;
}

/** The request a provider asks the gateway to send upstream. */
export interface UpstreamRequest {
  url: string;
  method?: string;
  headers: Record<string, string>;
  body: string;
}

/** One server-sent event as read from an upstream stream. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Translates one upstream stream, event by event, into chat.completion.chunk objects; may keep state. */
export type StreamParser = (event: SseEvent) => unknown[];

/** What the gateway hands a provider's `send` besides the request. */
export interface SendContext {
  /** The gateway's clock (virtual in tests). */
  clock: Clock;
}

/** A provider: translates to and from an upstream's protocol. It gets no plugin hooks (see `Plugin`). */
export interface Provider<O = unknown> extends PluginBase<O> {
  kind: "provider";
  /** "live" for a real upstream, "simulated" for the local stand-in; shown in the start banner. */
  mode: "live" | "simulated";
  /** Builds the upstream HTTP request for this target from the (adapted) OpenAI-shaped body. */
  buildRequest(body: ChatRequest, target: Target): UpstreamRequest;
  /** Builds an embeddings request (OpenAI's `/embeddings` shape); a provider without it serves no embeddings tier. */
  buildEmbeddingsRequest?(body: EmbeddingsRequest, target: Target): UpstreamRequest;
  /**
   * The native API this provider speaks, when it is not chat completions: a front door's fields that only
   * that API understands (Anthropic's `top_k` and `thinking`, carried in the body's `native.anthropic`)
   * are given to it, and dropped (noted in the log) for any other upstream.
   */
  native?: "anthropic" | "responses";
  /**
   * Sends the request itself instead of `fetch` (a local simulator, a custom transport). `context.clock`
   * is the gateway's clock: a provider that waits (a simulator, a scripted test upstream) waits on it, so
   * virtual time in tests moves its delays too.
   */
  send?(request: UpstreamRequest, signal: AbortSignal, context: SendContext): Promise<Response>;
  /**
   * Turns a non-stream response body into OpenAI's chat.completion shape (identity when absent).
   * `request` is the (adapted) body the upstream request was built from.
   */
  parseResponse?(body: unknown, target: Target, request: ChatRequest): unknown;
  /**
   * Turns one upstream stream event into OpenAI chat.completion.chunk objects (raw passthrough when
   * absent). Return an empty array to drop the event.
   */
  parseStream?(event: SseEvent, target: Target): unknown[];
  /**
   * Creates the translator of one upstream stream (one per attempt), for protocols whose events only
   * make sense together (ids, usage and block indexes spread over several events): the provider object
   * is shared by concurrent streams, so that state cannot live on it. Takes precedence over `parseStream`.
   */
  createStreamParser?(body: ChatRequest, target: Target): StreamParser;
}
