/**
 * Stage 5, the attempt loop: for each candidate, adapt the body (`adapt.ts`), run the attempt under its
 * budgets (`attempt.ts`), let the retry rules judge the outcome (`judge.ts`), and act on the decision
 * (accept / retry / failover / fail), within the per-request attempt limit and total deadline. Each
 * attempt is appended to the request's `AttemptLog` and recorded in its target's health.
 */

import { tierPolicy } from "../config/resolve.ts";
import { notifyAll } from "../plugin/runner.ts";
import type { AttemptInfo, AttemptOutcome, ChatRequest, Decision, Target } from "../plugin/types.ts";
import { adaptBody } from "./adapt.ts";
import { type AttemptRun, runAttempt } from "./attempt.ts";
import { attemptBody } from "./attempt-body.ts";
import { healthEffect } from "./health-effect.ts";
import { finalError, judge } from "./judge.ts";
import { followSignal, pendingProbeRun, withinBudget } from "./probe.ts";
import type { RequestState } from "./state.ts";

export interface Accepted {
  run: AttemptRun;
  target: Target;
  /** Index of the target in `state.candidates`, for continuations. */
  index: number;
}

export function attemptInfo(state: RequestState, target: Target, onTarget: number): AttemptInfo {
  const { baseMs, maxMs } = state.config.retry.backoff;
  return {
    target,
    number: state.attempts.count + 1,
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
    state.candidates.indexOf(target) < state.candidates.length - 1 && state.attempts.count + 1 < attemptLimit(state)
  );
}

/**
 * Runs one attempt and judges it; records it in the state and the target's health. A half-open
 * target's probe, when another candidate can take over, gets one attempt (a failed probe is not
 * retried) and the request waits for it at most `connectMs` (`probe.ts`).
 */
export async function attemptOnce(
  state: RequestState,
  info: AttemptInfo,
  body: ChatRequest,
  mayPassThrough = false,
): Promise<{ run: AttemptRun; decision: Decision }> {
  const { deps } = state;
  const target = info.target;
  const startedAt = deps.clock.now();
  const began = deps.health.beginAttempt(target.ref, startedAt);
  // Only a cluster's registry answers later (its probe lock is in Redis): no extra turn for the others.
  const probe = typeof began === "boolean" ? began : await began;
  try {
    return await attemptAndJudge(state, info, body, {
      startedAt,
      probe,
      bounded: probe && hasFallback(state, target),
      mayPassThrough,
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

/**
 * `probe`: the attempt is the half-open target's probe; `bounded`: another candidate can take over from it;
 * `mayPassThrough`: the body is the client's request as it came (not a continuation's), so it may be sent
 * as the client wrote it to a provider of the door's API.
 */
interface AttemptKind {
  startedAt: number;
  probe: boolean;
  bounded: boolean;
  mayPassThrough: boolean;
}

/** The client's own body, when this attempt passes it through (`pass-through.ts`). */
function passThroughBody(state: RequestState, target: Target, at: AttemptKind): string | undefined {
  const door = state.door;
  if (!door || !at.mayPassThrough || state.embeddings) return undefined;
  return state.config.providers[target.provider]?.native === door.api ? door.requestText : undefined;
}

async function attemptAndJudge(
  state: RequestState,
  info: AttemptInfo,
  body: ChatRequest,
  at: AttemptKind,
): Promise<{ run: AttemptRun; decision: Decision }> {
  const { deps, config } = state;
  const target = info.target;
  // Adapters patch chat bodies: an embeddings request goes as the client sent it, with the target's model.
  info.body = state.embeddings ? { ...body, model: target.model } : await adaptBody(state, body, info);
  const follower = at.bounded ? followSignal(state.ctx.signal) : undefined;
  const passThrough = passThroughBody(state, target, at);
  const attempt = runAttempt({
    passThrough,
    provider: config.providers[target.provider],
    target,
    body: info.body,
    stream: state.stream,
    timeouts: state.timeouts,
    deadline: state.deadline,
    clientSignal: follower?.signal ?? state.ctx.signal,
    stopping: deps.stopping,
    clock: deps.clock,
    fetch: deps.fetch,
    maxSseLineBytes: config.limits.maxSseLineBytes,
    maxBodyBytes: config.limits.maxUpstreamBodyBytes,
    embeddings: state.embeddings,
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
  trace(state, { target, startedAt: at.startedAt, passedThrough: passThrough !== undefined }, run, decision);
  const now = deps.clock.now();
  deps.health.record(target.ref, now, healthEffect(run.outcome, decision, state.stream));
  if (decision.action === "accept") deps.usage.record(state.tier, target.ref, now);
  notifyAll(config.hooks.observers, "onAttempt", (p) => p.onAttempt?.(run.outcome, info), deps.log);
  return { run, decision };
}

/** Adds the attempt to the request's trace; returns the decision. */
function trace(
  state: RequestState,
  at: { target: Target; startedAt: number; passedThrough?: boolean },
  run: AttemptRun,
  decision: Decision,
): Decision {
  const { target, startedAt } = at;
  // The log row says when the upstream got the client's own body, not a translation.
  const reason = at.passedThrough ? `${decision.reason}; passed through: the client's own body` : decision.reason;
  state.waitedMs += run.outcome.timings.totalMs;
  state.attempts.append({
    target: target.ref,
    startedAt,
    durationMs: run.outcome.timings.totalMs,
    outcome: decision.action === "accept" ? "accepted" : decision.action,
    status: run.outcome.status,
    errorClass: run.outcome.errorClass,
    reason,
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

export async function attemptLoop(state: RequestState): Promise<Accepted> {
  const { deps } = state;
  const limit = attemptLimit(state);
  let allowed: ((t: Target) => boolean) | undefined;
  let last: { outcome: AttemptOutcome; decision: Decision } | undefined;
  for (let index = 0; index < state.candidates.length; index++) {
    const target = state.candidates[index];
    if (allowed && !allowed(target)) continue;
    for (let onTarget = 1; ; onTarget++) {
      if (state.attempts.count >= limit || deps.clock.now() >= state.deadline) {
        state.attempts.noneFollowed(
          state.attempts.count >= limit
            ? `attempt limit (${limit}) reached`
            : "the request's deadline (timeouts.totalMs) passed",
        );
        throw finalError(state, last);
      }
      const info = attemptInfo(state, target, onTarget);
      const { run, decision } = await attemptOnce(state, info, state.body, true);
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
  state.attempts.noneFollowed(
    allowed ? "no other target the rule allows to fail over to" : "no other target to fail over to",
  );
  throw finalError(state, last);
}
