import { definePlugin, type RetryRule, type Static, Type } from "../../src/index.ts";

const Options = Type.Object(
  {
    codes: Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), {
      minItems: 1,
      description: "upstream HTTP statuses this rule handles",
    }),
    sameTarget: Type.Optional(
      Type.Integer({ minimum: 0, description: "retries on the same target before failing over (default 1)" }),
    ),
    cooldownMs: Type.Optional(
      Type.Number({ minimum: 0, description: "cooldown put on a target that exhausted its retries (default 0)" }),
    ),
    maxRetryAfterMs: Type.Optional(
      Type.Number({
        minimum: 0,
        description: "longest Retry-After waited for on the same target; longer fails over (default 10 000)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type StatusCodeRetryOptions = Static<typeof Options>;

/**
 * Retries the listed upstream statuses on the same target (`sameTarget` times, with the configured
 * jittered backoff, or the upstream's `Retry-After` when it sent one, it is at most `maxRetryAfterMs`
 * and it fits the deadline), then fails over. Statuses not listed are left to the next rule and the defaults.
 */
export function statusCodeRetry(options: StatusCodeRetryOptions): RetryRule<StatusCodeRetryOptions> {
  const codes = new Set(options.codes);
  const sameTarget = options.sameTarget ?? 1;
  return definePlugin({
    name: "builtin:status-code-retry",
    options,
    schema: Options,
    judge(outcome, attempt) {
      if (outcome.ok || !codes.has(outcome.status)) return undefined;
      const cooldownMs = outcome.retryAfterMs ?? options.cooldownMs;
      if (attempt.onTarget > sameTarget)
        return {
          action: "failover",
          reason: `${outcome.status}: retries on ${attempt.target.ref} used up`,
          cooldownMs,
        };
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > (options.maxRetryAfterMs ?? 10_000)) {
        return {
          action: "failover",
          reason: `${outcome.status}: asked to wait ${outcome.retryAfterMs} ms, too long`,
          cooldownMs,
        };
      }
      const delayMs = outcome.retryAfterMs ?? attempt.backoffMs();
      if (attempt.request.clock.now() + delayMs >= attempt.deadline)
        return { action: "failover", reason: `${outcome.status}: no time left to retry`, cooldownMs };
      return { action: "retry", delayMs, reason: `${outcome.status}: retry ${attempt.onTarget} of ${sameTarget}` };
    },
  });
}
