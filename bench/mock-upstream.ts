/**
 * OpenAI-compatible mock upstream LLM server with per-request fault injection,
 * shared by the gateway's tests and benchmarks.
 *
 * The behaviour of each request is chosen by its `model` (`name?key=value&...`)
 * and an optional `x-mock` header: see bench/mock-upstream/params.ts and the
 * fault handlers below. Routes: POST /v1/chat/completions, POST /v1/messages
 * (Anthropic, see mock-upstream/anthropic.ts), POST /v1/responses (OpenAI
 * Responses, see mock-upstream/responses.ts), GET /v1/models (a fixed list; 401 for the key
 * "invalid-key", as a wrong key gets upstream), GET /__stats, POST /__reset,
 * /__redirected/* (where the `redirect` fault points); anything else is a
 * 404 OpenAI-shaped error. Body faults (huge, endless and gzip-bomb bodies,
 * redirects, a long answer full of retry keywords): mock-upstream/body-faults.ts.
 *
 * Stream faults besides those below: `longLine` (an event line that never ends, after `afterChunks`
 * deltas, `size` bytes long), `holdPingMs` (a stalled stream keeps sending keep-alives). How events
 * reach the socket (`wire=split|drip|events`, `pings=N`: halves, drips, events alone, keep-alives) is
 * chosen per request too, on every route: see mock-upstream/wire-shape.ts. bench/split-proxy.ts does the
 * same to any upstream at the TCP level.
 *
 * Run as a script: `bun bench/mock-upstream.ts` (listens on $PORT or 8900).
 */

import { anthropicMessages } from "./mock-upstream/anthropic.ts";
import { bodyFault, isBodyFault, REDIRECT_TARGET, redirectTarget } from "./mock-upstream/body-faults.ts";
import { embeddingsApi } from "./mock-upstream/embeddings.ts";
import { type Behaviour, type Fault, isFault, num, parseBehaviour } from "./mock-upstream/params.ts";
import { responsesApi } from "./mock-upstream/responses.ts";
import { event, planStream, type StreamLifecycle, sleep, sseResponse, untilAborted } from "./mock-upstream/stream.ts";
import {
  chunk,
  completion,
  contentChunks,
  continueAfter,
  errorPayload,
  errorResponse,
  statusError,
  trailingAssistant,
  usageFor,
} from "./mock-upstream/wire.ts";

export { mockReply } from "./mock-upstream/wire.ts";

export interface MockStats {
  /** Requests by model string as received (including its `?params`). */
  requests: Record<string, number>;
  /** Last 20 JSON bodies per model string. */
  bodies: Record<string, unknown[]>;
  /** Requests being answered right now: waiting, hanging or streaming. Survives reset(). */
  open: number;
  /** Streams (and hanging/delayed requests) the client gave up on before the mock finished them. */
  aborted: number;
}

export interface MockUpstream {
  /** Base URL to give an OpenAI client, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  port: number;
  stats: MockStats;
  reset(): void;
  stop(): Promise<void>;
}

export interface MockUpstreamOptions {
  /** Default 0: a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  hostname?: string;
  /** Clock used by the `flap` fault (ms), injectable for tests. Default Date.now. */
  now?: () => number;
}

const BODIES_KEPT = 20;

/** What a fault handler gets to work with. */
interface Call {
  req: Request;
  body: Record<string, unknown>;
  model: string;
  b: Behaviour;
  fault: Fault | undefined;
  life: StreamLifecycle;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalidRequest(message: string, code: string | null = null, param: string | null = null): Response {
  return errorResponse(400, errorPayload(message, "invalid_request_error", code, param));
}

/**
 * A connection reset before any response byte. Bun writes the status line and
 * headers lazily, together with the first body chunk; when the body stream errors
 * before producing one, Bun closes the socket having sent nothing at all, and the
 * client's fetch rejects (Bun: ECONNRESET "The socket connection was closed
 * unexpectedly"). Throwing from the handler would not do: Bun turns that into a 500.
 * The error has no reason because Bun logs Error reasons to stderr.
 */
function connectionReset(): Response {
  return new Response(new ReadableStream({ start: (controller) => controller.error() }));
}

export function startMockUpstream(options: MockUpstreamOptions = {}): MockUpstream {
  const now = options.now ?? Date.now;
  const hostname = options.hostname ?? "127.0.0.1";
  const stats: MockStats = { requests: {}, bodies: {}, open: 0, aborted: 0 };
  /** First request time (by `now`) per model string, for `flap`. */
  const firstSeen = new Map<string, number>();
  let nextId = 0;

  function reset(): void {
    stats.requests = {};
    stats.bodies = {};
    stats.aborted = 0;
    firstSeen.clear();
  }

  /** Counts the request in stats; returns how many times this model string was seen. */
  function record(model: string, body: Record<string, unknown>): number {
    const count = (stats.requests[model] ?? 0) + 1;
    stats.requests[model] = count;
    const bodies = (stats.bodies[model] ??= []);
    bodies.push(body);
    if (bodies.length > BODIES_KEPT) bodies.shift();
    return count;
  }

  /** Counts the request as open until onEnd, which may be called any number of times. */
  function track(req: Request): StreamLifecycle {
    stats.open++;
    let ended = false;
    return {
      get signal() {
        return req.signal;
      }, // lazy: creating req.signal has a cost on the hot path
      onEnd(cancelled) {
        if (ended) return;
        ended = true;
        stats.open--;
        if (cancelled) stats.aborted++;
      },
    };
  }

  /** A normal answer (possibly altered by a streaming fault), continuing any assistant prefill. */
  function answer(call: Call, content: string[] = contentChunks(call.b.tokens, call.b.text)): Response {
    const { body, b, fault, life } = call;
    const prefill = trailingAssistant(body)?.content;
    const chunks = (typeof prefill === "string" && continueAfter(content, prefill)) || content;
    const meta = { id: `chatcmpl-mock-${++nextId}`, created: Math.floor(Date.now() / 1000), model: b.name };
    const usage = usageFor(body, chunks.length);
    if (body.stream === true) {
      const options = body.stream_options;
      const withUsage = isRecord(options) && options.include_usage === true;
      return sseResponse(planStream(meta, chunks, b, fault, withUsage ? usage : undefined), life, b);
    }
    life.onEnd(false);
    return completion(meta, chunks.join(""), usage);
  }

  function done(call: Call, response: Response): Response {
    call.life.onEnd(false);
    return response;
  }

  async function respond(call: Call): Promise<Response> {
    const { req, body, b, model, life } = call;
    const p = b.params;
    if (isBodyFault(call.fault)) return bodyFault({ req, body, b, fault: call.fault, life });
    switch (call.fault) {
      case "status": {
        const status = num(p, "status", 503);
        const headers: Record<string, string> = {};
        if (p.has("retryAfter")) headers["retry-after"] = p.get("retryAfter") ?? "";
        if (p.has("retryAfterMs")) headers["retry-after-ms"] = p.get("retryAfterMs") ?? "";
        return done(call, errorResponse(status, statusError(status, p.get("message") ?? undefined), headers));
      }
      case "reset":
        return done(call, connectionReset());
      case "hang":
        await untilAborted(req.signal);
        life.onEnd(true);
        return new Response(null); // nobody is listening any more
      case "slowFirstToken":
        if (body.stream === true) return answer(call); // the delay is planned into the stream
        if (await sleep(num(p, "delayMs", 1000), req.signal)) return answer(call);
        life.onEnd(true);
        return new Response(null);
      case "errorBody": {
        const payload = errorPayload(
          p.get("message") ?? "The server is overloaded, please try again later",
          "server_error",
          "overloaded",
        );
        if (body.stream === true && p.get("asEvent") === "1") {
          // `afterChunks=N`: the error event comes mid-answer, after N content deltas.
          const meta = { id: `chatcmpl-mock-${++nextId}`, created: Math.floor(Date.now() / 1000), model: b.name };
          const before = contentChunks(b.tokens, b.text)
            .slice(0, num(p, "afterChunks", 0))
            .map((content) => event(chunk(meta, { content }, null)));
          const steps = [...before, `data: ${JSON.stringify(payload)}\n\n`, "data: [DONE]\n\n"].map((data) => ({
            delayMs: before.length > 0 ? b.chunkDelayMs : 0,
            data,
          }));
          return sseResponse({ steps, end: "close" }, life, b);
        }
        return done(call, errorResponse(200, payload));
      }
      case "keywordText":
        return answer(call, contentChunks(0, p.get("message") ?? "Upstream overloaded, rate limit reached"));
      case "empty":
        return answer(call, []);
      case "contextLength":
        return done(
          call,
          invalidRequest(
            "This model's maximum context length is 8192 tokens. However, your messages resulted in more tokens. Please reduce the length of the messages.",
            "context_length_exceeded",
            "messages",
          ),
        );
      case "contentPolicy":
        return done(
          call,
          invalidRequest(
            "Your request was rejected as a result of our safety system: it violates our content policy",
            "content_policy_violation",
          ),
        );
      case "rejectPrefill":
        if (trailingAssistant(body))
          return done(call, invalidRequest("assistant prefill is not supported", null, "messages"));
        return answer(call);
      case "flap": {
        const at = now();
        const first = firstSeen.get(model) ?? at;
        firstSeen.set(model, first);
        if (at - first < num(p, "downMs", 1000)) return done(call, errorResponse(503, statusError(503)));
        return answer(call);
      }
      default: // no fault, or a streaming-only fault (cut, stall, ...) that planStream applies
        return answer(call);
    }
  }

  async function chatCompletions(req: Request): Promise<Response> {
    let body: unknown;
    try {
      body = await req.json();
    } catch {
      return invalidRequest("We could not parse the JSON body of your request.");
    }
    if (!isRecord(body)) return invalidRequest("The request body must be a JSON object.");
    if (typeof body.model !== "string") return invalidRequest("you must provide a model parameter", null, "model");

    const model = body.model;
    const count = record(model, body);
    const b = parseBehaviour(model, req.headers.get("x-mock"));
    if (b.fault !== undefined && !isFault(b.fault))
      return invalidRequest(`Unknown mock fault: ${b.fault}`, "mock_unknown_fault", "model");
    const applies = b.failTimes === undefined || count <= b.failTimes;
    const call: Call = { req, body, model, b, fault: applies ? b.fault : undefined, life: track(req) };

    if (b.latencyMs > 0 && !(await sleep(b.latencyMs, req.signal))) {
      call.life.onEnd(true);
      return new Response(null);
    }
    return respond(call);
  }

  /** The model list the admin's connection test and tier picker read. Any model name works for requests. */
  function modelList(req: Request): Response {
    const key = (req.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "") || req.headers.get("x-api-key");
    if (key === "invalid-key")
      return errorResponse(
        401,
        errorPayload("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
      );
    // One the bundled price catalog knows, so the admin's model picker shows a price and a context window.
    const ids = ["mock-large", "mock-small", "mock-embed", "gpt-4o-mini"];
    return Response.json({ object: "list", data: ids.map((id) => ({ id, object: "model", owned_by: "mock" })) });
  }

  function route(req: Request): Response | Promise<Response> {
    const path = new URL(req.url).pathname;
    if (req.method === "POST" && path === "/v1/chat/completions") return chatCompletions(req);
    if (req.method === "POST" && path === "/v1/embeddings") return embeddingsApi(req, { record });
    if (req.method === "POST" && (path === "/v1/messages" || path === "/v1/responses")) {
      const server = { record, track, nextId: () => ++nextId };
      return path === "/v1/messages" ? anthropicMessages(req, server) : responsesApi(req, server);
    }
    if (req.method === "GET" && path === "/v1/models") return modelList(req);
    if (path.startsWith(REDIRECT_TARGET)) return redirectTarget(req, record);
    if (req.method === "GET" && path === "/__stats") return Response.json(stats);
    if (req.method === "POST" && path === "/__reset") {
      reset();
      return Response.json({ ok: true });
    }
    return errorResponse(
      404,
      errorPayload(`Unknown request URL: ${req.method} ${path}`, "invalid_request_error", "unknown_url"),
    );
  }

  const server = Bun.serve({
    port: options.port ?? 0,
    hostname,
    idleTimeout: 0, // hang/stall/noDone must outlive Bun's default 10 s idle timeout
    fetch: route,
    error: (error) => errorResponse(500, errorPayload(`Mock upstream crashed: ${error.message}`, "server_error", null)),
  });
  const port = server.port ?? 0;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;

  return {
    url: `http://${host}:${port}/v1`,
    port,
    stats,
    reset,
    stop: () => server.stop(true),
  };
}

if (import.meta.main) {
  const upstream = startMockUpstream({ port: Number(Bun.env.PORT ?? 8900) });
  console.log(`mock upstream listening on ${upstream.url}`);
}
