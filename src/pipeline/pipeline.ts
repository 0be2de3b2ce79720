/**
 * The request pipeline (DESIGN §3). One chat completion walks these stages:
 *   1. accept     parse and loosely validate the body, run guards
 *   2-4. plan     from the client's `model` (auto, a tier, a configured model), classify auto requests,
 *                 order the candidates by strategy, strategy plugins and health: `planRoute`, which
 *                 POST /api/explain runs too
 *   5. attempt    adapt, call, judge: accept / retry / failover / fail
 *   6. respond    JSON or a relayed stream, with the gateway's headers; the record goes to the log
 */

import type { ResolvedConfig } from "../config/types.ts";
import { toGatewayError } from "../error-response.ts";
import { GatewayError } from "../errors.ts";
import { notifyAll } from "../plugin/runner.ts";
import type { ChatRequest, CompletionSummary, Plugin, RequestContext } from "../plugin/types.ts";
import { parseChatRequest } from "./accept.ts";
import { StreamAssembler } from "./assemble.ts";
import { ClientGoneError, type HeldStream } from "./attempt.ts";
import { type Accepted, attemptInfo, attemptLimit, attemptLoop, attemptOnce } from "./attempt-loop.ts";
import { requestContext } from "./context.ts";
import { callDirect } from "./direct-call.ts";
import { streamFailureEffect } from "./health-effect.ts";
import { planRoute } from "./plan.ts";
import { type RelayEnd, relayStream } from "./relay.ts";
import { errorResponse, gatewayHeaders, jsonResponse, streamResponse } from "./respond.ts";
import { runGuards } from "./stages.ts";
import { overheadMs, type PipelineDeps, type RequestState } from "./state.ts";

export interface ChatCall {
  /** The raw request body text (the HTTP layer has already enforced the size limit). */
  body: string;
  /** Aborts when the client disconnects. */
  signal: AbortSignal;
  /** The client's address, its gateway key id (for the request log) and that key's limits. */
  client?: { ip?: string; apiKeyId?: string; limits?: { tiers?: string[]; models?: string[] } };
}

/** How a request ended, for its summary: the status, the error if any, and the answer to log. */
interface Ending {
  status: number;
  error?: { code: string; message: string };
  /** The gateway's own time; measured now when absent. */
  overhead?: number;
  response?: CompletionSummary["response"];
}

export class Pipeline {
  constructor(readonly deps: PipelineDeps) {}

  /** Per config: the gateway's own observers (the request log, the metrics), then the config's. */
  private readonly observerLists = new WeakMap<ResolvedConfig, readonly Plugin[]>();
  private observers(config: ResolvedConfig): readonly Plugin[] {
    let list = this.observerLists.get(config);
    if (!list) {
      list = [...(this.deps.observers?.(config) ?? []), ...config.hooks.observers];
      this.observerLists.set(config, list);
    }
    return list;
  }

  /** Handles one chat completion on `config` (the snapshot this request keeps to its end). */
  async handle(call: ChatCall, config: ResolvedConfig): Promise<Response> {
    const id = this.deps.newId();
    let state: RequestState | undefined;
    try {
      const body = parseChatRequest(call.body, config.limits);
      const ctx = this.context(id, body, call, config);
      state = await this.route(ctx, body, config);
      state.rawBody = call.body;
      const accepted = await attemptLoop(state);
      return this.respond(state, accepted);
    } catch (error) {
      return this.fail(error, id, state, call.signal);
    }
  }

  private context(id: string, body: ChatRequest, call: ChatCall, config: ResolvedConfig): RequestContext {
    const { signal } = call;
    const complete: RequestContext["complete"] = (request, options) =>
      callDirect(config, this.deps, request, { ...options, signal });
    return requestContext({ id, body, signal, config, complete, client: call.client }, this.deps);
  }

  /** Stages 1 (guards) to 4: which tier, and which targets in which order. */
  private async route(ctx: RequestContext, body: ChatRequest, config: ResolvedConfig): Promise<RequestState> {
    const { deps } = this;
    const startedAt = deps.clock.now();
    await runGuards(ctx, config);
    const plan = await planRoute(ctx, config);
    const timeouts = plan.timeouts;
    return {
      ctx,
      config,
      client: { ip: ctx.client.ip, apiKeyId: ctx.client.apiKeyId },
      deps,
      body,
      candidates: plan.candidates,
      timeouts,
      startedAt,
      rawBody: "",
      stream: body.stream === true,
      deadline: startedAt + timeouts.totalMs,
      tier: plan.tier,
      tierReason: plan.reason,
      attempts: [],
      waitedMs: 0,
    };
  }

  private respond(state: RequestState, accepted: Accepted): Response {
    state.target = accepted.target;
    state.firstTokenAt = this.deps.clock.now();
    const headers = gatewayHeaders(state, state.ctx.id);
    const { run } = accepted;
    if (!run.stream) {
      state.usage = run.usage;
      state.toolCalls = run.toolCalls;
      this.complete(state, { status: 200, response: run.json });
      return jsonResponse(run.json ?? "", 200, headers);
    }
    const overhead = overheadMs(state);
    const relay = relayStream({
      stream: run.stream,
      clientWantsUsage: (state.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true,
      idleMs: state.timeouts.idleMs,
      deadline: state.deadline,
      now: () => this.deps.clock.now(),
      onFailure: (failure) => this.streamFailed(state, failure),
      continueAfter: (content) => this.continueStream(state, accepted.index, content),
      onEnd: (end) => this.completeStream(state, end, overhead),
      assembler: state.config.logging.bodies === "none" ? undefined : new StreamAssembler(),
    });
    return streamResponse(relay, headers);
  }

  /**
   * Mid-stream failover: the next candidate that declares `prefill: true` continues the answer from the
   * text already sent (a trailing assistant message), within the attempt limit and deadline.
   */
  private async continueStream(state: RequestState, index: number, content: string): Promise<HeldStream | undefined> {
    const limit = attemptLimit(state);
    const body: ChatRequest = { ...state.body, messages: [...state.body.messages, { role: "assistant", content }] };
    for (const target of state.candidates.slice(index + 1)) {
      if (!target.prefill) continue;
      if (state.attempts.length >= limit || this.deps.clock.now() >= state.deadline) return undefined;
      const { run, decision } = await attemptOnce(state, target, attemptInfo(state, target, 1), body);
      if (decision.action === "accept" && run.stream) {
        state.target = target;
        return run.stream;
      }
      run.discard();
    }
    return undefined;
  }

  /** A committed stream failed: its attempt is marked cut and its target pays for it in health. */
  private streamFailed(state: RequestState, failure: { code: string; message: string }): void {
    const last = state.attempts[state.attempts.length - 1];
    if (last) {
      last.outcome = "cut";
      last.reason = failure.message;
    }
    if (state.target) this.deps.health.record(state.target.ref, this.deps.clock.now(), streamFailureEffect(failure));
  }

  private completeStream(state: RequestState, end: RelayEnd, overhead: number): void {
    state.usage = end.usage;
    state.toolCalls = end.toolCalls;
    if (end.malformed > 0)
      this.deps.log.warn("dropped malformed stream events", { requestId: state.ctx.id, count: end.malformed });
    const status = end.result === "complete" ? 200 : end.result === "client_gone" ? 499 : 502;
    const error =
      end.error ??
      (end.result === "client_gone"
        ? { code: "client_closed", message: "the client disconnected during the stream" }
        : undefined);
    this.complete(state, { status, error, overhead, response: end.response });
  }

  private complete(state: RequestState, ending: Ending): void {
    const { status, error, overhead = overheadMs(state), response } = ending;
    const summary: CompletionSummary = {
      request: state.ctx,
      tier: state.tier,
      tierReason: state.tierReason,
      client: state.client,
      requestText: state.rawBody || undefined,
      response,
      target: state.target,
      status,
      attempts: state.attempts,
      stream: state.stream,
      usage: state.usage,
      toolCalls: state.toolCalls,
      errorCode: error?.code,
      errorMessage: error?.message,
      startedAt: state.startedAt,
      finishedAt: this.deps.clock.now(),
      firstTokenAt: state.firstTokenAt,
      overheadMs: overhead,
    };
    notifyAll(this.observers(state.config), "onComplete", (p) => p.onComplete?.(summary), this.deps.log);
  }

  private fail(error: unknown, id: string, state: RequestState | undefined, signal: AbortSignal): Response {
    const gone = error instanceof ClientGoneError || signal.aborted;
    const gatewayError =
      gone && !(error instanceof GatewayError)
        ? new GatewayError("client_closed", "the client disconnected before the answer was sent")
        : toGatewayError(error, this.deps.log, `unexpected pipeline error (request ${id})`);
    if (state)
      this.complete(state, {
        status: gone ? 499 : gatewayError.status,
        error: { code: gatewayError.code, message: gatewayError.message },
      });
    return errorResponse(gatewayError, gatewayHeaders(state, id));
  }
}
