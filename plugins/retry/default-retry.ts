/**
 * The default failure semantics (DESIGN §5) as a retry rule like any other: the gateway puts it last in
 * every request's rules, so it decides what no rule of the config did, and any rule before it can
 * override a branch. Each branch says what a serious gateway does with that kind of failure.
 */
import {
  type AttemptInfo,
  type AttemptOutcome,
  type Decision,
  definePlugin,
  type RetryRule,
  type Static,
  Type,
} from "../../src/index.ts";

const Options = Type.Object({
  perTarget: Type.Integer({ minimum: 1, description: "attempts per target (retry.perTarget)" }),
  maxRetryAfterMs: Type.Number({
    minimum: 0,
    description: "longest Retry-After waited for on the same target (retry.backoff.maxRetryAfterMs)",
  }),
  failureCooldownMs: Type.Number({
    minimum: 0,
    description: "cooldown after other failures, 0 for none (health.failureCooldownMs)",
  }),
  rateLimitCooldownMs: Type.Number({
    minimum: 0,
    description: "cooldown after a 429 without Retry-After (health.rateLimitCooldownMs)",
  }),
  authCooldownMs: Type.Number({ minimum: 0, description: "cooldown after a 401/403 (health.authCooldownMs)" }),
});

/** What the default semantics read: from `retry` and `health` of the config. */
export type DefaultRetryOptions = Static<typeof Options>;

/** The default judgement, for the config's values (the gateway makes one per config). */
export function defaultRetry(options: DefaultRetryOptions): RetryRule<DefaultRetryOptions> {
  return definePlugin({
    name: "builtin:default-retry",
    options,
    schema: Options,
    judge: (outcome, attempt) => defaultDecision(outcome, attempt, options, attempt.request.clock.now()),
  });
}

const CONTEXT_LENGTH = /context[_ ]length|maximum context|context window|too many tokens|prompt is too long/i;
const CONTENT_POLICY = /content[_ ]policy|content[_ ]filter|safety system|responsibleai/i;
const TRANSIENT_STATUS = new Set([408, 409, 500, 502, 503, 504, 520, 522, 524, 529]);

function isContextLengthError(outcome: AttemptOutcome): boolean {
  return (
    outcome.status === 400 &&
    (outcome.errorCode === "context_length_exceeded" || CONTEXT_LENGTH.test(outcome.errorText ?? ""))
  );
}

/** A retry on the same target after `delayMs`, or a failover when the wait would pass the deadline. */
function retryOrFailover(
  attempt: AttemptInfo,
  now: number,
  retry: { delayMs: number; reason: string; cooldownMs?: number },
): Decision {
  const { delayMs, reason, cooldownMs } = retry;
  if (now + delayMs >= attempt.deadline)
    return { action: "failover", reason: `${reason}; no time left to retry`, cooldownMs };
  return { action: "retry", delayMs, reason, cooldownMs };
}

function transient(attempt: AttemptInfo, config: DefaultRetryOptions, now: number, what: string): Decision {
  const cooldownMs = config.failureCooldownMs || undefined;
  if (attempt.onTarget < config.perTarget)
    return retryOrFailover(attempt, now, { delayMs: attempt.backoffMs(), reason: `${what}: retry` });
  return { action: "failover", reason: `${what}: failover`, cooldownMs };
}

export function defaultDecision(
  outcome: AttemptOutcome,
  attempt: AttemptInfo,
  config: DefaultRetryOptions,
  now: number,
): Decision {
  if (outcome.ok) return { action: "accept", reason: "healthy answer" };
  const status = outcome.status;
  switch (outcome.errorClass) {
    case "timeout_connect":
    case "timeout_first_token":
    case "stall":
      // A silent upstream is likely to stay silent: waiting on it again would burn the budget twice.
      return {
        action: "failover",
        reason: outcome.errorText ?? outcome.errorClass,
        cooldownMs: config.failureCooldownMs || undefined,
      };
    case "connection":
    case "cut":
      return transient(attempt, config, now, outcome.errorClass);
    case "error_body":
    case "empty":
      return transient(
        attempt,
        config,
        now,
        outcome.errorClass === "empty" ? "empty completion" : `error in a ${status} body`,
      );
    case "bad_response":
      return { action: "failover", reason: outcome.errorText ?? "bad response" };
  }
  if (status === 429) {
    const wait = outcome.retryAfterMs;
    const cooldownMs = wait ?? config.rateLimitCooldownMs;
    const fits = wait !== undefined && wait <= config.maxRetryAfterMs && attempt.onTarget < config.perTarget;
    if (fits)
      return retryOrFailover(attempt, now, { delayMs: wait, reason: `429: retry after ${wait} ms`, cooldownMs });
    return {
      action: "failover",
      reason: `429 rate limited${wait !== undefined ? ` (retry after ${wait} ms)` : ""}`,
      cooldownMs,
    };
  }
  if (status === 401 || status === 403) {
    return {
      action: "failover",
      reason: `${status}: upstream refused the credentials`,
      cooldownMs: config.authCooldownMs,
    };
  }
  if (isContextLengthError(outcome)) {
    const window = attempt.target.contextWindow ?? 0;
    return {
      action: "failover",
      reason: "context length exceeded: only a larger context window can help",
      onlyTo: (target) => (target.contextWindow ?? 0) > window,
    };
  }
  if (status === 404) {
    // The gateway chose this model, not the client: a model missing upstream is a config problem.
    return {
      action: "failover",
      reason: "404: model not found upstream",
      cooldownMs: config.failureCooldownMs || undefined,
    };
  }
  if (TRANSIENT_STATUS.has(status) || status >= 500) return transient(attempt, config, now, `${status}`);
  if (
    status === 400 &&
    (outcome.errorCode === "content_policy_violation" || CONTENT_POLICY.test(outcome.errorText ?? ""))
  ) {
    return { action: "fail", reason: "content policy: the request itself was refused" };
  }
  return { action: "fail", reason: `${status}: the upstream refused the request` };
}
