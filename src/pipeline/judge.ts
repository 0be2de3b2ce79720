/**
 * Stage 5c, judge: the config's retry rules that match the target, then the built-in default judgement
 * (`plugins/retry/default-retry.ts`, placed last, a plugin like theirs): the first decision wins. And
 * the error the client gets when no attempt was accepted.
 */
import { defaultRetry } from "../../plugins/retry/default-retry.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { GatewayError } from "../errors.ts";
import { matchesTarget } from "../plugin/match.ts";
import { firstAnswer } from "../plugin/runner.ts";
import type { AttemptInfo, AttemptOutcome, Decision, RetryRule } from "../plugin/types.ts";
import type { RequestState } from "./state.ts";

/** The built-in default judgement of each config, made once (it carries the config's values). */
const defaults = new WeakMap<ResolvedConfig, RetryRule>();

function defaultRuleOf(config: ResolvedConfig): RetryRule {
  let rule = defaults.get(config);
  if (!rule) {
    const { retry, health } = config;
    rule = defaultRetry({
      perTarget: retry.perTarget,
      maxRetryAfterMs: retry.backoff.maxRetryAfterMs,
      failureCooldownMs: health.failureCooldownMs,
      rateLimitCooldownMs: health.rateLimitCooldownMs,
      authCooldownMs: health.authCooldownMs,
    });
    defaults.set(config, rule);
  }
  return rule;
}

/** The config's rules that match the target, then the built-in default: the first decision wins. */
export function judge(state: RequestState, outcome: AttemptOutcome, info: AttemptInfo): Decision {
  const rules = [
    ...state.config.hooks.rules.filter((rule) => matchesTarget(rule.match, info.target)),
    defaultRuleOf(state.config),
  ];
  const answer = firstAnswer(rules, "judge", (rule) => rule.judge(outcome, info), state.deps.log);
  // Only a default that threw leaves no decision: fail rather than guess.
  return answer?.value ?? { action: "fail", reason: "no retry rule decided" };
}

/** The error the client gets when no attempt was accepted. */
export function finalError(
  state: RequestState,
  last: { outcome: AttemptOutcome; decision: Decision } | undefined,
): GatewayError {
  if (!last) {
    return new GatewayError(
      "no_available_target",
      `No model of tier ${state.tier} could be tried (attempt limit or deadline reached before the first attempt).`,
    );
  }
  const { outcome, decision } = last;
  if (outcome.status >= 400 && outcome.status < 500 && (decision.action === "fail" || decision.onlyTo)) {
    return new GatewayError(
      "upstream_client_error",
      outcome.errorText || `The upstream refused the request (${outcome.status}).`,
      {
        upstreamStatus: outcome.status,
        upstreamCode: outcome.errorCode,
      },
    );
  }
  const message = `All ${state.attempts.count} upstream attempt(s) failed. ${state.attempts.trail()}`;
  const timedOut =
    outcome.errorClass === "timeout_connect" ||
    outcome.errorClass === "timeout_first_token" ||
    state.deps.clock.now() >= state.deadline;
  return new GatewayError(timedOut ? "upstream_timeout" : "upstream_error", message);
}
