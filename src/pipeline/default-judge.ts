/**
 * The default failure semantics (DESIGN §5), applied when no retry rule decided. Each branch says what
 * a serious gateway does with that kind of failure; retry rules in the config can override any of them.
 */
import type { AttemptInfo, AttemptOutcome, Decision } from "../plugin/types.ts";
import type { AttemptEffect } from "../routing/health.ts";
import type { ResolvedConfig } from "../config/types.ts";

/** The parts of the config the default semantics read. */
type JudgeConfig = Pick<ResolvedConfig, "retry" | "health">;

const CONTEXT_LENGTH = /context[_ ]length|maximum context|context window|too many tokens|prompt is too long/i;
const CONTENT_POLICY = /content[_ ]policy|content[_ ]filter|safety system|responsibleai/i;
const TRANSIENT_STATUS = new Set([408, 409, 500, 502, 503, 504, 520, 522, 524, 529]);

function isContextLengthError(outcome: AttemptOutcome): boolean {
  return outcome.status === 400 && (outcome.errorCode === "context_length_exceeded" || CONTEXT_LENGTH.test(outcome.errorText ?? ""));
}

/** A retry on the same target after `delayMs`, or a failover when the wait would pass the deadline. */
function retryOrFailover(attempt: AttemptInfo, delayMs: number, reason: string, now: number, cooldownMs?: number): Decision {
  if (now + delayMs >= attempt.deadline) return { action: "failover", reason: `${reason}; no time left to retry`, cooldownMs };
  return { action: "retry", delayMs, reason, cooldownMs };
}

function transient(outcome: AttemptOutcome, attempt: AttemptInfo, config: JudgeConfig, now: number, what: string): Decision {
  const cooldownMs = config.health.failureCooldownMs || undefined;
  if (attempt.onTarget < config.retry.perTarget) return retryOrFailover(attempt, attempt.backoffMs(), `${what}: retry`, now);
  return { action: "failover", reason: `${what}: failover`, cooldownMs };
}

/**
 * What an attempt does to its target's health: a success with its latency, or a failure penalty by
 * kind (silence weighs most, a rate limit least). A request refused for its own content (`fail`, or a
 * context-length failover) is not the target's fault and costs nothing.
 */
export function healthEffect(outcome: AttemptOutcome, decision: Decision, stream: boolean): AttemptEffect {
  if (decision.action === "accept") {
    const { totalMs, firstTokenMs } = outcome.timings;
    return { ok: true, penalty: 0, reason: decision.reason, latencyMs: stream ? undefined : totalMs, ttftMs: firstTokenMs };
  }
  if (decision.action === "fail" || decision.onlyTo) return { ok: false, penalty: 0, reason: decision.reason, cooldownMs: decision.cooldownMs };
  const penalty =
    outcome.errorClass === "timeout_connect" || outcome.errorClass === "timeout_first_token" || outcome.errorClass === "stall"
      ? 3
      : outcome.status === 429
        ? 1
        : outcome.status === 401 || outcome.status === 403
          ? 5
          : 2;
  return { ok: false, penalty, reason: decision.reason, cooldownMs: decision.cooldownMs };
}

export function defaultDecision(outcome: AttemptOutcome, attempt: AttemptInfo, config: JudgeConfig, now: number): Decision {
  if (outcome.ok) return { action: "accept", reason: "healthy answer" };
  const status = outcome.status;
  switch (outcome.errorClass) {
    case "timeout_connect":
    case "timeout_first_token":
    case "stall":
      // A silent upstream is likely to stay silent: waiting on it again would burn the budget twice.
      return { action: "failover", reason: outcome.errorText ?? outcome.errorClass, cooldownMs: config.health.failureCooldownMs || undefined };
    case "connection":
    case "cut":
      return transient(outcome, attempt, config, now, outcome.errorClass);
    case "error_body":
    case "empty":
      return transient(outcome, attempt, config, now, outcome.errorClass === "empty" ? "empty completion" : `error in a ${status} body`);
    case "bad_response":
      return { action: "failover", reason: outcome.errorText ?? "bad response" };
  }
  if (status === 429) {
    const wait = outcome.retryAfterMs;
    const cooldownMs = wait ?? config.health.rateLimitCooldownMs;
    const fits = wait !== undefined && wait <= config.retry.backoff.maxRetryAfterMs && attempt.onTarget < config.retry.perTarget;
    if (fits) return retryOrFailover(attempt, wait, `429: retry after ${wait} ms`, now, cooldownMs);
    return { action: "failover", reason: `429 rate limited${wait !== undefined ? ` (retry after ${wait} ms)` : ""}`, cooldownMs };
  }
  if (status === 401 || status === 403) {
    return { action: "failover", reason: `${status}: upstream refused the credentials`, cooldownMs: config.health.authCooldownMs };
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
    return { action: "failover", reason: "404: model not found upstream", cooldownMs: config.health.failureCooldownMs || undefined };
  }
  if (TRANSIENT_STATUS.has(status) || status >= 500) return transient(outcome, attempt, config, now, `${status}`);
  if (status === 400 && (outcome.errorCode === "content_policy_violation" || CONTENT_POLICY.test(outcome.errorText ?? ""))) {
    return { action: "fail", reason: "content policy: the request itself was refused" };
  }
  return { action: "fail", reason: `${status}: the upstream refused the request` };
}
