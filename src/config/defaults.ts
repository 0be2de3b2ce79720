/**
 * Every default of the config, once. Resolution applies them (`resolve.ts`), the schema carries them as
 * `default` for the admin UI (`schema.ts`), and the JSDoc on each field in `types.ts` states them for
 * editors' hovers; `tests/config/defaults-docs.test.ts` fails when a JSDoc and a value here disagree.
 * Typed by the input's own types, so a key misspelt or missing here does not compile.
 */
import type { GatewayConfigInput, ModelEntry, TierInput, Timeouts } from "./types.ts";

type Settings<K extends keyof GatewayConfigInput> = Required<NonNullable<GatewayConfigInput[K]>>;

export const DEFAULTS = {
  server: { port: 6688, host: "0.0.0.0" } satisfies Settings<"server">,
  auth: { open: false } satisfies Omit<Settings<"auth">, "apiKeys">,
  timeouts: { connectMs: 10_000, firstTokenMs: 30_000, idleMs: 30_000, totalMs: 600_000 } satisfies Timeouts,
  /** `defaultTier` is "t1" when there is such a tier, else the first tier. */
  routing: { defaultTier: "t1", unknownModel: "classify", sticky: false, toolTurns: true } satisfies Omit<
    Settings<"routing">,
    "aliases"
  >,
  tier: { strategy: "sequential" } satisfies Pick<Required<TierInput>, "strategy">,
  model: { weight: 1, vision: true, prefill: false } satisfies Required<
    Omit<ModelEntry, "model" | "contextWindow" | "catalog">
  >,
  retry: {
    maxAttempts: 6,
    perTarget: 2,
    backoff: { baseMs: 200, maxMs: 5_000, maxRetryAfterMs: 10_000 },
  } satisfies Omit<Settings<"retry">, "rules">,
  health: {
    rateLimitCooldownMs: 60_000,
    authCooldownMs: 300_000,
    failureCooldownMs: 0,
    decayHalfLifeMs: 300_000,
    windowMs: 300_000,
    openAfterFailures: 5,
    openCooldownMs: 10_000,
    maxCooldownMs: 20_000,
  } satisfies Settings<"health">,
  logging: {
    bodies: "full",
    retentionDays: 7,
    maxDbMb: 1024,
    flushIntervalMs: 20,
    maxBodyBytes: 1024 * 1024,
  } satisfies Settings<"logging">,
  /** `maxInFlight` has no fixed default: the server derives it from the open-file limit. */
  limits: {
    maxBodyBytes: 10 * 1024 * 1024,
    bodyTimeoutMs: 30_000,
    maxRequestsPerClient: 256,
    maxJsonDepth: 64,
    maxUpstreamBodyBytes: 32 * 1024 * 1024,
    maxSseLineBytes: 1024 * 1024,
  } satisfies Omit<Settings<"limits">, "maxInFlight">,
} as const;
