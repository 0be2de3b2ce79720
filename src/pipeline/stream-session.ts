/**
 * A committed stream's story, owned in one place: relaying it to the client (`relay.ts`), what a failure
 * after commit does (the committed attempt ends "cut", its target pays in health), the continuation onto
 * the next `prefill: true` candidate, and how the request ends (its status and error for the summary).
 * The relay only reports what happened on the wire; this object decides what it means.
 */
import { StreamAssembler } from "./assemble.ts";
import type { HeldStream } from "./attempt.ts";
import { type Accepted, attemptInfo, attemptLimit, attemptOnce } from "./attempt-loop.ts";
import { streamFailureEffect } from "./health-effect.ts";
import { type RelayEnd, relayStream, type StreamFailure } from "./relay.ts";
import { type Ending, overheadMs, type RequestState } from "./state.ts";

export class StreamSession {
  /** The gateway's own time up to commit: what follows is the upstream's pace, not ours. */
  private readonly overhead: number;
  /** The candidate whose stream reaches the client now (continuations move it along). */
  private index: number;

  constructor(
    private readonly state: RequestState,
    private readonly accepted: Accepted,
    private readonly finish: (ending: Ending) => void,
  ) {
    this.overhead = overheadMs(state);
    this.index = accepted.index;
    state.attempts.commitLast();
  }

  /** The client's body: the relayed stream. */
  body(): ReadableStream<Uint8Array> {
    const { state } = this;
    const options = state.body.stream_options as { include_usage?: boolean } | undefined;
    const door = state.door;
    const passThrough = this.accepted.run.passedThrough && door ? { error: door.streamError } : undefined;
    return relayStream({
      passThrough,
      stream: this.accepted.run.stream!,
      clientWantsUsage: options?.include_usage === true,
      idleMs: state.timeouts.idleMs,
      deadline: state.deadline,
      now: () => state.deps.clock.now(),
      onFailure: (failure) => this.failed(failure),
      continueAfter: (content) => this.continueAfter(content),
      onEnd: (end) => this.ended(end),
      assembler: state.config.logging.bodies === "none" ? undefined : new StreamAssembler(),
    });
  }

  /** A committed stream failed: its attempt ends "cut" and its target pays for it in health. */
  private failed(failure: StreamFailure): void {
    const { state } = this;
    state.attempts.cutCommitted(failure.message);
    const target = state.answered?.target;
    if (target) state.deps.health.record(target.ref, state.deps.clock.now(), streamFailureEffect(failure));
  }

  /**
   * Mid-stream failover: the next candidate that declares `prefill: true` continues the answer from the
   * text already sent (a trailing assistant message), within the attempt limit and deadline.
   */
  private async continueAfter(content: string): Promise<HeldStream | undefined> {
    const { state } = this;
    // The client reads the upstream's own events: another target's chat chunks cannot follow them.
    if (this.accepted.run.passedThrough) return undefined;
    const limit = attemptLimit(state);
    const body = { ...state.body, messages: [...state.body.messages, { role: "assistant" as const, content }] };
    const before = state.attempts.count;
    // A continuation that failed over to nothing ends "fail", as in the attempt loop.
    const none = (why: string) => (state.attempts.count > before && state.attempts.noneFollowed(why), undefined);
    for (let i = this.index + 1; i < state.candidates.length; i++) {
      const target = state.candidates[i];
      if (!target.prefill) continue;
      if (state.attempts.count >= limit) return none(`attempt limit (${limit}) reached`);
      if (state.deps.clock.now() >= state.deadline) return none("the request's deadline (timeouts.totalMs) passed");
      const { run, decision } = await attemptOnce(state, attemptInfo(state, target, 1), body);
      if (decision.action === "accept" && run.stream) {
        this.index = i;
        if (state.answered) state.answered.target = target;
        state.attempts.commitLast();
        return run.stream;
      }
      run.discard();
    }
    return none("no other target could continue the stream");
  }

  private ended(end: RelayEnd): void {
    const { state } = this;
    if (state.answered) {
      state.answered.usage = end.usage;
      state.answered.toolCalls = end.toolCalls;
    }
    if (end.malformed > 0)
      state.deps.log.warn("dropped malformed stream events", { requestId: state.ctx.id, count: end.malformed });
    const status = end.result === "complete" ? 200 : end.result === "client_gone" ? 499 : 502;
    const error =
      end.error ??
      (end.result === "client_gone"
        ? { code: "client_closed", message: "the client disconnected during the stream" }
        : undefined);
    this.finish({ status, error, overhead: this.overhead, response: end.response });
  }
}
