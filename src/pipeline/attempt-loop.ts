/**
 * Stage 5, the attempt loop: for each candidate, adapt the body, run the attempt under its budgets, let
 * the retry rules judge the outcome, and act on the decision (accept / retry / failover / fail), within
 * the per-request attempt limit and total deadline.
 */

import { defaultRetry } from "../../plugins/retry/default-retry.ts";
import { tierPolicy } from "../config/resolve.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { GatewayError } from "../errors.ts";
import { matchesTarget } from "../plugin/match.ts";
import { firstAnswer, notifyAll } from "../plugin/runner.ts";
import type {
  AttemptInfo,
  AttemptOutcome,
  BodyPatch,
  ChatRequest,
  Decision,
  RetryRule,
  Target,
} from "../plugin/types.ts";
import { type AttemptRun, runAttempt } from "./attempt.ts";
import { attemptBody } from "./attempt-body.ts";
import { healthEffect } from "./health-effect.ts";
import { followSignal, pendingProbeRun, withinBudget } from "./probe.ts";
import type { RequestState } from "./state.ts";
import { stoppableUpstream } from "./stopping.ts";

export interface Accepted {
  run: AttemptRun;
  target: Target;
  /** Index of the target in `state.candidates`, for continuations. */
  index: number;
}

/** A body with a patch applied: each key set, a key set to `undefined` removed. */
export function applyPatch(body: ChatRequest, patch: BodyPatch): ChatRequest {
  const next: ChatRequest = { ...body };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** The attempt's body: the client's, with each matching adapter's patch applied in order. */
async function adaptBody(state: RequestState, body: ChatRequest, attempt: AttemptInfo): Promise<ChatRequest> {
  let current: ChatRequest = { ...body, model: attempt.target.model };
  for (const adapter of state.config.hooks.adapters) {
    if (!matchesTarget(adapter.match, attempt.target)) continue;
    try {
      const result = adapter.adapt(current, attempt);
      // Most adapters are synchronous: await only the ones that are not.
      const patch = result instanceof Promise ? await result : result;
      if (patch) current = applyPatch(current, patch);
    } catch (error) {
      state.deps.log.warn(`adapter ${adapter.name} threw; its patch is skipped`, { error: String(error) });
    }
  }
  return current;
}

export function attemptInfo(state: RequestState, target: Target, onTarget: number): AttemptInfo {
  const { baseMs, maxMs } = state.config.retry.backoff;
  return {
    target,
    number: state.attempts.length + 1,
    onTarget,
    stream: state.stream,
    request: state.ctx,
    deadline: state.deadline,
    backoffMs: () => Math.min(maxMs, baseMs * 2 ** (onTarget - 1)) * (0.5 + 0.5 * state.deps.random()),
  };
}

/** Attempts one request may make in all (its tier's limit, else the config's). */
export function attemptLimit(state: RequestState): number {
  return tierPolicy(state.config, state.tier).maxAttempts;
}

/** True when another candidate could still take the request after `target` (within the attempt limit). */
function hasFallback(state: RequestState, target: Target): boolean {
  return (
    state.candidates.indexOf(target) < state.candidates.length - 1 && state.attempts.length + 1 < attemptLimit(state)
  );
}

/**
 * Runs one attempt and judges it; records it in the state and the target's health. A half-open
 * target's probe, when another candidate can take over, gets one attempt (a failed probe is not
 * retried) and the request waits for it at most `connectMs` (`probe.ts`).
 */
export async function attemptOnce(
  state: RequestState,
  target: Target,
  info: AttemptInfo,
  body: ChatRequest,
): Promise<{ run: AttemptRun; decision: Decision }> {
  const { deps } = state;
  const startedAt = deps.clock.now();
  const probe = deps.health.beginAttempt(target.ref, startedAt);
  try {
    return await attemptAndJudge(state, info, body, {
      startedAt,
      probe,
      bounded: probe && hasFallback(state, target),
    });
  } catch (error) {
    // A probe that ends without a verdict (the client left) frees its slot: the next request probes.
    if (probe)
      deps.health.record(target.ref, deps.clock.now(), {
        ok: false,
        penalty: 0,
        reason: "probe abandoned: the client went away",
      });
    throw error;
  }
}

/** `probe`: the attempt is the half-open target's probe; `bounded`: another candidate can take over from it. */
interface AttemptKind {
  startedAt: number;
  probe: boolean;
  bounded: boolean;
}

async function attemptAndJudge(
  state: RequestState,
  info: AttemptInfo,
  body: ChatRequest,
  at: AttemptKind,
): Promise<{ run: AttemptRun; decision: Decision }> {
  const { deps, config } = state;
  const target = info.target;
  info.body = await adaptBody(state, body, info);
  const follower = at.bounded ? followSignal(state.ctx.signal) : undefined;
  const upstream = stoppableUpstream(config.providers[target.provider], deps.fetch, deps.stopping);
  const attempt = runAttempt({
    provider: upstream.provider,
    target,
    body: info.body,
    stream: state.stream,
    timeouts: state.timeouts,
    deadline: state.deadline,
    clientSignal: follower?.signal ?? state.ctx.signal,
    clock: deps.clock,
    fetch: upstream.fetch,
    maxSseLineBytes: config.limits.maxSseLineBytes,
    maxBodyBytes: config.limits.maxUpstreamBodyBytes,
  });
  const settled = follower ? await withinBudget(attempt, state.timeouts.connectMs, deps.clock) : await attempt;
  if (!settled) {
    follower?.detach();
    settleInBackground(state, target, info, attempt);
    const run = pendingProbeRun(target.ref, state.timeouts.connectMs, deps.clock.now() - at.startedAt);
    return {
      run,
      decision: trace(state, { target, startedAt: at.startedAt }, run, {
        action: "failover",
        reason: run.outcome.errorText ?? "probe pending",
      }),
    };
  }
  const run = settled;
  let decision = judge(state, run.outcome, info);
  if (at.bounded && decision.action === "retry")
    decision = {
      ...decision,
      action: "failover",
      reason: `${decision.reason}; not retried: it was the half-open probe`,
    };
  trace(state, { target, startedAt: at.startedAt }, run, decision);
  const now = deps.clock.now();
  deps.health.record(target.ref, now, healthEffect(run.outcome, decision, state.stream));
  if (decision.action === "accept") deps.usage.record(state.tier, target.ref, now);
  notifyAll(config.hooks.observers, "onAttempt", (p) => p.onAttempt?.(run.outcome, info), deps.log);
  return { run, decision };
}

/** Adds the attempt to the request's trace; returns the decision. */
function trace(
  state: RequestState,
  at: { target: Target; startedAt: number },
  run: AttemptRun,
  decision: Decision,
): Decision {
  const { target, startedAt } = at;
  state.waitedMs += run.outcome.timings.totalMs;
  state.attempts.push({
    target: target.ref,
    startedAt,
    durationMs: run.outcome.timings.totalMs,
    outcome: decision.action === "accept" ? "accepted" : decision.action,
    status: run.outcome.status,
    errorClass: run.outcome.errorClass,
    reason: decision.reason,
    body: decision.action === "accept" ? undefined : attemptBody(run),
  });
  return decision;
}

/** A probe the request stopped waiting for: its outcome, when it comes, decides the circuit. */
function settleInBackground(
  state: RequestState,
  target: Target,
  info: AttemptInfo,
  attempt: Promise<AttemptRun>,
): void {
  const { deps } = state;
  attempt.then(
    (run) => {
      const decision = judge(state, run.outcome, info);
      run.discard();
      deps.health.record(target.ref, deps.clock.now(), healthEffect(run.outcome, decision, state.stream));
    },
    () => deps.health.record(target.ref, deps.clock.now(), { ok: false, penalty: 0, reason: "probe abandoned" }),
  );
}

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
function judge(state: RequestState, outcome: AttemptOutcome, info: AttemptInfo): Decision {
  const rules = [
    ...state.config.hooks.rules.filter((rule) => matchesTarget(rule.match, info.target)),
    defaultRuleOf(state.config),
  ];
  const answer = firstAnswer(rules, "judge", (rule) => rule.judge(outcome, info), state.deps.log);
  // Only a default that threw leaves no decision: fail rather than guess.
  return answer?.value ?? { action: "fail", reason: "no retry rule decided" };
}

/** The error the client gets when no attempt was accepted. */
function finalError(
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
  const trail = state.attempts.map((a) => `${a.target}: ${a.reason}`).join("; ");
  const message = `All ${state.attempts.length} upstream attempt(s) failed. ${trail}`;
  const timedOut =
    outcome.errorClass === "timeout_connect" ||
    outcome.errorClass === "timeout_first_token" ||
    state.deps.clock.now() >= state.deadline;
  return new GatewayError(timedOut ? "upstream_timeout" : "upstream_error", message);
}

export async function attemptLoop(state: RequestState): Promise<Accepted> {
  const { deps } = state;
  const limit = attemptLimit(state);
  let allowed: ((t: Target) => boolean) | undefined;
  let last: { outcome: AttemptOutcome; decision: Decision } | undefined;
  for (let index = 0; index < state.candidates.length; index++) {
    const target = state.candidates[index];
    if (allowed && !allowed(target)) continue;
    for (let onTarget = 1; ; onTarget++) {
      if (state.attempts.length >= limit || deps.clock.now() >= state.deadline) throw finalError(state, last);
      const info = attemptInfo(state, target, onTarget);
      const { run, decision } = await attemptOnce(state, target, info, state.body);
      if (decision.action === "accept") return { run, target, index };
      run.discard();
      last = { outcome: run.outcome, decision };
      if (decision.action === "fail") throw finalError(state, last);
      if (decision.action === "retry" && deps.clock.now() + (decision.delayMs ?? 0) < state.deadline) {
        const before = deps.clock.now();
        await deps.clock.sleep(decision.delayMs ?? 0, state.ctx.signal);
        state.waitedMs += deps.clock.now() - before;
        continue;
      }
      if (decision.onlyTo) allowed = decision.onlyTo;
      break;
    }
  }
  throw finalError(state, last);
}
