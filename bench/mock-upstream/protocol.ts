/**
 * What the mock's non-OpenAI routes (Anthropic Messages, OpenAI Responses) share: the per-request
 * behaviour from `model?params` / `x-mock` (as on the OpenAI route), stats, faults and stream pacing.
 * Each protocol supplies only its wire format (`WireFormat`).
 *
 * Faults: status (with retryAfter / retryAfterMs), reset, hang, slowFirstToken, cut, stall, endNoFinish
 * (after `afterChunks` deltas, default 3), errorBody (non-stream: a 200 error body; stream: an error
 * event after `afterChunks` deltas, default 0), empty, keywordText, contextLength. Plus `tool=name`: the
 * answer is one call of that tool with arguments {"city":"Paris"}, unless the conversation already
 * carries a tool result (then the normal text answer follows).
 */
import { type Behaviour, num, parseBehaviour } from "./params.ts";
import {
  type StreamEnd,
  type StreamLifecycle,
  type StreamPlan,
  type StreamStep,
  sleep,
  sseResponse,
  untilAborted,
} from "./stream.ts";
import { contentChunks, continueAfter } from "./wire.ts";
import { pingsPerDelta, withPings } from "./wire-shape.ts";

/** The mock server's bookkeeping, handed to each protocol route. */
export interface MockServer {
  /** Counts the request in stats (by model string); returns how many times that model was seen. */
  record(model: string, body: Record<string, unknown>): number;
  track(req: Request): StreamLifecycle;
  nextId(): number;
}

/** The tool call's arguments, as streamed (two deltas, as real APIs split them). */
export const TOOL_ARGUMENT_DELTAS = ['{"city":', '"Paris"}'];

export type Reply = { kind: "text"; chunks: string[] } | { kind: "tool"; name: string; deltas: string[] };

export interface ReplyMeta {
  n: number;
  model: string;
  created: number;
  promptTokens: number;
}

/** One protocol's wire format. Strings returned for streams are whole SSE events. */
export interface WireFormat {
  /** The protocol's 400 for a body the mock cannot read. */
  invalid(message: string): Response;
  /** Rejects the request as the real API would, or undefined when it is valid. */
  validate(body: Record<string, unknown>, headers: Headers): Response | undefined;
  statusError(status: number, message: string | undefined, headers: Record<string, string>): Response;
  contextLengthError(): Response;
  /** The 200 body that is an error (`errorBody`, non-stream). */
  errorBody(meta: ReplyMeta, message: string): unknown;
  /** The trailing assistant text a protocol with prefill continues. */
  prefill?(body: Record<string, unknown>): string | undefined;
  hasToolResult(body: Record<string, unknown>): boolean;
  complete(meta: ReplyMeta, reply: Reply): unknown;
  /** Events before, for each delta of, and after the reply. */
  stream(meta: ReplyMeta, reply: Reply): { head: string[]; deltas: string[]; tail: string[] };
  errorEvent(meta: ReplyMeta, message: string): string;
  /** An event of this protocol that carries nothing for the gateway's client (`pings=N`). */
  ping: string;
}

const SUPPORTED = new Set([
  "status",
  "reset",
  "hang",
  "slowFirstToken",
  "cut",
  "stall",
  "endNoFinish",
  "errorBody",
  "empty",
  "keywordText",
  "contextLength",
  "malformed",
]);
/** Not JSON: the `malformed` fault sends it right before content delta number `at` (1-based, default 2). */
const GARBAGE = "data: {not json\n\n";
const TRUNCATING: Record<string, StreamEnd> = { cut: "error", stall: "hold", endNoFinish: "close" };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A connection reset before any response byte (see connectionReset in ../mock-upstream.ts). */
const reset = () => new Response(new ReadableStream({ start: (controller) => controller.error() }));

function replyFor(body: Record<string, unknown>, b: Behaviour, wire: WireFormat, fault: string | undefined): Reply {
  const tool = b.params.get("tool");
  if (tool && !wire.hasToolResult(body)) return { kind: "tool", name: tool, deltas: TOOL_ARGUMENT_DELTAS };
  if (fault === "empty") return { kind: "text", chunks: [] };
  const content =
    fault === "keywordText"
      ? contentChunks(0, b.params.get("message") ?? "Upstream overloaded, rate limit reached")
      : contentChunks(b.tokens, b.text);
  const prefill = wire.prefill?.(body);
  return { kind: "text", chunks: (prefill && continueAfter(content, prefill)) || content };
}

function streamSteps(
  wire: WireFormat,
  meta: ReplyMeta,
  reply: Reply,
  b: Behaviour,
  fault: string | undefined,
): StreamPlan {
  const { head, deltas, tail } = wire.stream(meta, reply);
  const at = (data: string, delayMs = 0): StreamStep => ({ delayMs, data });
  const firstDelayMs = fault === "slowFirstToken" ? num(b.params, "delayMs", 1000) : b.chunkDelayMs;
  const garbageAt = fault === "malformed" ? num(b.params, "at", 2) : 0;
  const paced = (list: string[]) => {
    const steps = withPings(
      list.map((data, i) => at(data, i === 0 ? firstDelayMs : b.chunkDelayMs)),
      wire.ping,
      pingsPerDelta(b),
    );
    // The garbage is a step of its own, so with `wire=events` it arrives alone.
    const before = steps.findIndex((step) => step.data === list[garbageAt - 1]);
    if (before !== -1) steps.splice(before, 0, at(GARBAGE));
    return steps;
  };
  const truncation = fault === undefined ? undefined : TRUNCATING[fault];
  if (truncation)
    return {
      steps: [...head.map((d) => at(d)), ...paced(deltas.slice(0, num(b.params, "afterChunks", 3)))],
      end: truncation,
      ping: wire.ping,
    };
  if (fault === "errorBody") {
    const sent = paced(deltas.slice(0, num(b.params, "afterChunks", 0)));
    return {
      steps: [
        ...head.map((d) => at(d)),
        ...sent,
        at(wire.errorEvent(meta, b.params.get("message") ?? "Overloaded"), sent.length > 0 ? b.chunkDelayMs : 0),
      ],
      end: "close",
    };
  }
  return { steps: [...head.map((d) => at(d)), ...paced(deltas), ...tail.map((d) => at(d))], end: "close" };
}

/** Serves one request of a protocol route: validation, stats, behaviour, faults, then the answer. */
export async function serveProtocol(req: Request, server: MockServer, wire: WireFormat): Promise<Response> {
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return wire.invalid("We could not parse the JSON body of your request.");
  }
  if (!isRecord(body)) return wire.invalid("The request body must be a JSON object.");
  if (typeof body.model !== "string") return wire.invalid("model: Field required");
  const count = server.record(body.model, body);
  const invalid = wire.validate(body, req.headers);
  if (invalid) return invalid;
  const b = parseBehaviour(body.model, req.headers.get("x-mock"));
  if (b.fault !== undefined && !SUPPORTED.has(b.fault))
    return wire.invalid(`Mock fault ${b.fault} is not supported on this route`);
  const fault = b.failTimes === undefined || count <= b.failTimes ? b.fault : undefined;
  const p = b.params;
  if (fault === "status") {
    const headers: Record<string, string> = {};
    if (p.has("retryAfter")) headers["retry-after"] = p.get("retryAfter") ?? "";
    if (p.has("retryAfterMs")) headers["retry-after-ms"] = p.get("retryAfterMs") ?? "";
    return wire.statusError(num(p, "status", 503), p.get("message") ?? undefined, headers);
  }
  if (fault === "reset") return reset();
  if (fault === "contextLength") return wire.contextLengthError();
  const life = server.track(req);
  const delayMs = b.latencyMs + (fault === "slowFirstToken" && body.stream !== true ? num(p, "delayMs", 1000) : 0);
  if (fault === "hang" || !(await sleep(delayMs, req.signal))) {
    await untilAborted(req.signal);
    life.onEnd(true);
    return new Response(null); // nobody is listening any more
  }
  const meta: ReplyMeta = {
    n: server.nextId(),
    model: b.name,
    created: Math.floor(Date.now() / 1000),
    promptTokens: Math.ceil(JSON.stringify(body.messages ?? body.input ?? "").length / 4),
  };
  const reply = replyFor(body, b, wire, fault);
  if (body.stream === true) return sseResponse(streamSteps(wire, meta, reply, b, fault), life, b);
  life.onEnd(false);
  const payload =
    fault === "errorBody" ? wire.errorBody(meta, p.get("message") ?? "Overloaded") : wire.complete(meta, reply);
  return Response.json(payload);
}
