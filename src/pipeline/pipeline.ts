/**
 * The request pipeline (DESIGN §3). One chat completion walks these stages, each in its own file:
 *   1. accept     parse and loosely validate the body (`accept.ts`), run guards (`guards.ts`)
 *   2-4. plan     from the client's `model` (auto, a tier, a configured model), classify auto requests,
 *                 refine the tier, order the candidates: `planRoute` (`plan.ts`), which POST /api/explain
 *                 runs too
 *   5. attempt    adapt (`adapt.ts`), call (`attempt.ts`), judge (`judge.ts`): accept / retry / failover /
 *                 fail, in the attempt loop (`attempt-loop.ts`)
 *   6. respond    JSON, or a committed stream (`stream-session.ts`), with the gateway's headers
 *                 (`respond.ts`); the summary goes to the observers (the request log, the metrics, the
 *                 config's)
 */

import type { ResolvedConfig } from "../config/types.ts";
import { toGatewayError } from "../error-response.ts";
import { GatewayError } from "../errors.ts";
import { notifyAll } from "../plugin/runner.ts";
import type { ChatRequest, CompletionSummary, EmbeddingsRequest, Plugin, RequestContext } from "../plugin/types.ts";
import { parseChatRequest } from "./accept.ts";
import { ClientGoneError } from "./attempt.ts";
import { type Accepted, attemptLoop } from "./attempt-loop.ts";
import { requestContext } from "./context.ts";
import { callDirect } from "./direct-call.ts";
import { embeddingsView, parseEmbeddingsRequest, planEmbeddings } from "./embeddings.ts";
import { runGuards } from "./guards.ts";
import { type NativeApi, onlyNative } from "./pass-through.ts";
import { planRoute } from "./plan.ts";
import { type Refusal, refusalOf } from "./refusal.ts";
import { errorResponse, gatewayHeaders, jsonResponse, markPassedThrough, streamResponse } from "./respond.ts";
import { AttemptLog, type Ending, overheadMs, type PipelineDeps, type RequestState } from "./state.ts";
import { StreamSession } from "./stream-session.ts";

export interface ChatCall {
  /** The raw request body text (the HTTP layer has already enforced the size limit). */
  body: string;
  /** Aborts when the client disconnects. */
  signal: AbortSignal;
  /** The client's address, its gateway key id (for the request log) and that key's limits. */
  client?: RequestContext["client"];
  /** The front door the request came through, when it is not chat completions (`src/front-doors`). */
  door?: DoorCall;
}

/** What a front door tells the pipeline: its name and the client's own request, for the log. */
export interface DoorCall {
  name: "messages" | "responses";
  /** The API the door speaks: an attempt on a provider whose `native` is this one is passed through. */
  api: NativeApi;
  /**
   * The body as the client sent it, in the door's format: what the log keeps, and the upstream body of
   * a passed-through attempt (`pass-through.ts`).
   */
  requestText: string;
  /** A passed-through stream's in-band error after commit, in the door's own event format. */
  streamError(failure: { code: string; message: string }): string;
  /** The request can only be passed through: candidates of another API are left out (`DoorRequest.nativeOnly`). */
  nativeOnly?: { param: string; message: string };
  /** What the translation left out or changed: logged once, with the request id. */
  notes: string[];
  /** The answer as the door's client received it, for the log. */
  answerForLog(completion: Record<string, unknown>): unknown;
}

/** One request as the pipeline took it: what a refusal before the plan is logged with. */
interface Attempted {
  id: string;
  startedAt: number;
  call: ChatCall;
  config: ResolvedConfig;
  /** Set once the body is parsed. */
  ctx?: RequestContext;
  embeddings?: boolean;
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
    const at: Attempted = { id: this.deps.newId(), startedAt: this.deps.clock.now(), call, config };
    const { id } = at;
    let state: RequestState | undefined;
    try {
      const body = parseChatRequest(call.body, config.limits);
      const ctx = this.context(id, body, call, config);
      at.ctx = ctx;
      if (call.door?.notes.length)
        // Said before routing: the notes hold for attempts that are translated, not for a passed-through one.
        this.deps.log.info(`${call.door.name}: translated with changes (unless passed through)`, {
          requestId: id,
          notes: call.door.notes,
        });
      state = await this.plan(ctx, call, config);
      return this.respond(state, await attemptLoop(state));
    } catch (error) {
      return this.fail(error, at, state);
    }
  }

  /**
   * Handles one embeddings request (`POST /v1/embeddings`): guards, an embeddings tier's candidates, the
   * same attempt loop, health and log; plugins see its inputs as user messages (`embeddingsView`).
   */
  async handleEmbeddings(call: ChatCall, config: ResolvedConfig): Promise<Response> {
    const at: Attempted = { id: this.deps.newId(), startedAt: this.deps.clock.now(), call, config, embeddings: true };
    let state: RequestState | undefined;
    try {
      const request = parseEmbeddingsRequest(call.body, config.limits);
      const ctx = this.context(at.id, embeddingsView(request), call, config);
      at.ctx = ctx;
      state = await this.plan(ctx, call, config, request);
      return this.respond(state, await attemptLoop(state));
    } catch (error) {
      return this.fail(error, at, state);
    }
  }

  private context(id: string, body: ChatRequest, call: ChatCall, config: ResolvedConfig): RequestContext {
    const { signal } = call;
    const complete: RequestContext["complete"] = (request, options) =>
      callDirect(config, this.deps, request, { ...options, signal });
    return requestContext({ id, body, signal, config, complete, client: call.client }, this.deps);
  }

  /** Stages 1 (guards) to 4: which tier, and which targets in which order; fixed from here on. */
  private async plan(
    ctx: RequestContext,
    call: ChatCall,
    config: ResolvedConfig,
    embeddings?: EmbeddingsRequest,
  ): Promise<RequestState> {
    const { deps } = this;
    const startedAt = deps.clock.now();
    await runGuards(ctx, config);
    const planned = embeddings ? await planEmbeddings(ctx, config) : await planRoute(ctx, config);
    const plan = call.door?.nativeOnly
      ? { ...planned, candidates: onlyNative(planned.candidates, config, call.door) }
      : planned;
    // Last of the plan: a refusal here holds nothing, and from here on every request completes and settles.
    const hold = await deps.spend?.admit(ctx, plan.candidates, config);
    return {
      hold,
      ctx,
      config,
      client: { ip: ctx.client.ip, apiKeyId: ctx.client.apiKeyId },
      deps,
      body: ctx.body,
      rawBody: call.door?.requestText ?? call.body,
      door: call.door,
      embeddings,
      candidates: plan.candidates,
      timeouts: plan.timeouts,
      startedAt,
      stream: ctx.body.stream === true,
      deadline: startedAt + plan.timeouts.totalMs,
      tier: plan.tier,
      tierReason: plan.reason,
      attempts: new AttemptLog(),
      waitedMs: 0,
    };
  }

  /** Stage 6: the accepted answer as JSON, or its stream committed to the client. */
  private respond(state: RequestState, accepted: Accepted): Response {
    const { run, target } = accepted;
    state.answered = { target, firstTokenAt: this.deps.clock.now(), usage: run.usage, toolCalls: run.toolCalls };
    const headers = gatewayHeaders(state, state.ctx.id);
    const passedThrough = run.passedThrough === true;
    if (!run.stream) {
      this.complete(state, { status: 200, response: run.json, passedThrough });
      return markPassedThrough(jsonResponse(run.json ?? "", 200, headers), passedThrough);
    }
    const session = new StreamSession(state, accepted, (ending) => this.complete(state, ending));
    return markPassedThrough(streamResponse(session.body(), headers), passedThrough);
  }

  private complete(state: RequestState, ending: Ending): void {
    const { status, error, overhead = overheadMs(state), response, passedThrough } = ending;
    const answered = state.answered;
    const summary: CompletionSummary = {
      request: state.ctx,
      tier: state.tier,
      tierReason: state.tierReason,
      client: state.client,
      requestText: state.rawBody || undefined,
      response,
      door: state.door?.name ?? (state.embeddings ? "embeddings" : undefined),
      target: answered?.target,
      status,
      attempts: state.attempts.entries(),
      stream: state.stream,
      usage: answered?.usage,
      toolCalls: answered?.toolCalls,
      errorCode: error?.code,
      errorMessage: error?.message,
      startedAt: state.startedAt,
      finishedAt: this.deps.clock.now(),
      firstTokenAt: answered?.firstTokenAt,
      overheadMs: overhead,
    };
    this.deps.spend?.settle(state.hold, summary, state.config);
    // A passed-through JSON answer is in the door's format already; a stream's log answer is assembled as chat.
    if (state.door && response !== undefined && !passedThrough) translateOnRead(summary, state.door, response);
    notifyAll(this.observers(state.config), "onComplete", (p) => p.onComplete?.(summary), this.deps.log);
  }

  private fail(error: unknown, at: Attempted, state: RequestState | undefined): Response {
    const { id, call } = at;
    const gone = error instanceof ClientGoneError || call.signal.aborted;
    const gatewayError =
      gone && !(error instanceof GatewayError)
        ? new GatewayError("client_closed", "the client disconnected before the answer was sent")
        : toGatewayError(error, this.deps.log, `unexpected pipeline error (request ${id})`);
    const status = gone ? 499 : gatewayError.status;
    if (state) {
      const failure = { code: gatewayError.code, message: gatewayError.message };
      this.complete(state, { status, error: failure });
    } else this.refused(at, { ...refusalOf(gatewayError), status });
    return errorResponse(gatewayError, gatewayHeaders(state, id));
  }

  /** A request that ended before its route was planned: a refusal row, not a completion (no observer sees it). */
  private refused(at: Attempted, how: Pick<Refusal, "status" | "code" | "message">): void {
    const { call, ctx } = at;
    this.deps.refused?.(
      {
        id: at.id,
        startedAt: at.startedAt,
        finishedAt: this.deps.clock.now(),
        door: call.door?.name ?? (at.embeddings ? "embeddings" : "chat"),
        client: { ip: call.client?.ip, apiKeyId: call.client?.apiKeyId },
        ...how,
        requestedModel: ctx?.requestedModel,
        tier: ctx?.tier,
        stream: ctx?.body.stream === true,
        text: ctx?.text,
        body: call.door?.requestText ?? call.body,
      },
      at.config,
    );
  }
}

/**
 * The summary's answer in the door's format, translated when first read (by the log writer, off the
 * request path, or an observer) rather than on every request: parsing a long answer costs what it costs.
 */
function translateOnRead(
  summary: CompletionSummary,
  door: DoorCall,
  response: NonNullable<CompletionSummary["response"]>,
): void {
  let translated: CompletionSummary["response"] | undefined;
  Object.defineProperty(summary, "response", {
    enumerable: true,
    get: () => {
      translated ??= doorAnswer(door, response);
      return translated;
    },
  });
}

/** The logged answer in the door's format; the chat answer when it cannot be read as one. */
function doorAnswer(
  door: DoorCall,
  response: NonNullable<CompletionSummary["response"]>,
): CompletionSummary["response"] {
  try {
    const completion = typeof response === "string" ? (JSON.parse(response) as Record<string, unknown>) : response;
    return door.answerForLog(completion) as Record<string, unknown>;
  } catch {
    return response;
  }
}
