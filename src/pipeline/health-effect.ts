/**
 * What an attempt does to its target's health (DESIGN §5): the one penalty policy, for attempts judged
 * by the retry rules and for committed streams that failed afterwards.
 */
import type { AttemptOutcome, Decision } from "../plugin/types.ts";
import type { AttemptEffect } from "../routing/health.ts";

/**
 * What an attempt does to its target's health: a success with its latency, or a failure penalty by
 * kind (silence weighs most, a rate limit least). A request refused for its own content (`fail`, or a
 * context-length failover) is not the target's fault and costs nothing.
 */
export function healthEffect(outcome: AttemptOutcome, decision: Decision, stream: boolean): AttemptEffect {
  if (decision.action === "accept") {
    const { totalMs, firstTokenMs } = outcome.timings;
    return {
      ok: true,
      penalty: 0,
      reason: decision.reason,
      latencyMs: stream ? undefined : totalMs,
      ttftMs: firstTokenMs,
    };
  }
  if (decision.action === "fail" || decision.onlyTo)
    return { ok: false, penalty: 0, reason: decision.reason, cooldownMs: decision.cooldownMs };
  const penalty =
    outcome.errorClass === "timeout_connect" ||
    outcome.errorClass === "timeout_first_token" ||
    outcome.errorClass === "stall"
      ? 3
      : outcome.status === 429
        ? 1
        : outcome.status === 401 || outcome.status === 403
          ? 5
          : 2;
  return { ok: false, penalty, reason: decision.reason, cooldownMs: decision.cooldownMs };
}

/** A committed stream that stalled or was cut: a stall weighs like silence, a cut like a transient error. */
export function streamFailureEffect(failure: { code: string; message: string }): AttemptEffect {
  return { ok: false, penalty: failure.code === "stream_stalled" ? 3 : 2, reason: failure.message };
}
