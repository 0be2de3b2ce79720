import type { Timeouts } from "./types.ts";

/** Defaults of every optional config value (documented on the fields in `types.ts`). */
export const DEFAULTS = {
  server: { port: 6688, host: "0.0.0.0" },
  timeouts: { connectMs: 10_000, firstTokenMs: 30_000, idleMs: 30_000, totalMs: 600_000 } satisfies Timeouts,
  retry: { maxAttempts: 6, perTarget: 2, backoff: { baseMs: 200, maxMs: 5_000, maxRetryAfterMs: 10_000 } },
  health: { rateLimitCooldownMs: 60_000, authCooldownMs: 300_000, failureCooldownMs: 0, decayHalfLifeMs: 300_000, windowMs: 300_000, openAfterFailures: 5, openCooldownMs: 10_000, maxCooldownMs: 20_000 },
  logging: { bodies: "full" as const, retentionDays: 7, maxDbMb: 1024, flushIntervalMs: 20, maxBodyBytes: 1024 * 1024 },
  limits: {
    maxBodyBytes: 10 * 1024 * 1024,
    bodyTimeoutMs: 30_000,
    maxRequestsPerClient: 256,
    maxJsonDepth: 64,
    maxUpstreamBodyBytes: 32 * 1024 * 1024,
    maxSseLineBytes: 1024 * 1024,
  },
  defaultTier: "t1",
};
