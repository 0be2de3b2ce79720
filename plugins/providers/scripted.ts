import { type ChatRequest, type Clock, definePlugin, type Provider } from "../../src/index.ts";

/** Virtual ms before the response headers (default 0), on the gateway's clock. */
interface Delayed {
  delayMs?: number;
}

/** An answer with a status: a healthy completion by default, an OpenAI error object for an error status. */
export interface AnswerStep extends Delayed {
  /** HTTP status (default 200). */
  status?: number;
  headers?: Record<string, string>;
  /** The body, sent as it is (an object as JSON), whatever the request asked for. Default: see `text` and `error`. */
  body?: unknown;
  /** The default 2xx answer's text (default "ok"), as JSON or as a one-event stream, as the request asked. */
  text?: string;
  /** The default error body's `error` fields (for a status of 400 or more). */
  error?: { message?: string; type?: string; code?: string | null; param?: string | null };
}

/** One stream event: a string is a content delta; `{ raw }` goes out as written; any other object is the event's JSON. */
export type ScriptedEvent = string | { raw: string } | Record<string, unknown>;

/** A 200 event stream. */
export interface StreamStep extends Delayed {
  stream: ScriptedEvent[];
  /** Virtual ms before each event (missing entries are 0). */
  gapsMs?: number[];
  /**
   * After the events: `"finish"` a finish reason, the usage chunk when asked for, `[DONE]` (default);
   * `"noDone"` the same without `[DONE]`; `"eof"` the body ends without a finish reason; `"cut"` the
   * connection fails; `"hang"` nothing more ever comes (a stall).
   */
  end?: "finish" | "noDone" | "eof" | "cut" | "hang";
}

/** The connection fails before any response (refused, reset). */
export interface ResetStep extends Delayed {
  reset: true;
}

/** No response ever comes (until the gateway gives up on it). */
export interface HangStep {
  hang: true;
}

/** What one upstream call does. */
export type ScriptStep = AnswerStep | StreamStep | ResetStep | HangStep;

/** One call the scripted upstream received. */
export interface ScriptedCall {
  model: string;
  /** The request body as the gateway sent it (adapted, with any prefill message). */
  body: ChatRequest;
  /** "complete": the whole response went out; "aborted": the gateway cut the call before that. */
  ended?: "complete" | "aborted";
}

/** The scripted provider: a `Provider` that also reports what it was asked. */
export interface ScriptedProvider extends Provider {
  /** Every call, in order. */
  readonly calls: ScriptedCall[];
  /** How many calls a model got (every model without one). */
  seen(model?: string): number;
}

const encoder = new TextEncoder();

const completion = (model: string, text: string) => ({
  id: "chatcmpl-scripted",
  object: "chat.completion",
  created: 0,
  model,
  choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

const chunk = (model: string, delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-scripted",
  object: "chat.completion.chunk",
  created: 0,
  model,
  choices: [{ index: 0, delta, finish_reason: finish }],
});

const sse = (data: unknown) => encoder.encode(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

/** Rejects when `signal` aborts: a hang the gateway ends by aborting. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

function eventBytes(model: string, event: ScriptedEvent, first: boolean): Uint8Array {
  if (typeof event === "string")
    return sse(chunk(model, first ? { role: "assistant", content: event } : { content: event }));
  if ("raw" in event && typeof event.raw === "string") return encoder.encode(event.raw);
  return sse(event);
}

interface Run {
  model: string;
  body: ChatRequest;
  call: ScriptedCall;
  signal: AbortSignal;
  clock: Clock;
}

function streamResponse(step: StreamStep, run: Run, headers = new Headers()): Response {
  const { model, call, signal, clock } = run;
  const wantsUsage = (run.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (index < step.stream.length) {
          await clock.sleep(step.gapsMs?.[index] ?? 0, signal);
          controller.enqueue(eventBytes(model, step.stream[index], index === 0));
          index += 1;
          return;
        }
        const end = step.end ?? "finish";
        if (end === "hang") await untilAborted(signal);
        if (end === "cut") throw new Error("scripted upstream: connection cut");
        if (end === "finish" || end === "noDone") {
          controller.enqueue(sse(chunk(model, {}, "stop")));
          if (wantsUsage)
            controller.enqueue(
              sse({
                id: "chatcmpl-scripted",
                object: "chat.completion.chunk",
                created: 0,
                model,
                choices: [],
                usage: {
                  prompt_tokens: 1,
                  completion_tokens: step.stream.length,
                  total_tokens: 1 + step.stream.length,
                },
              }),
            );
          if (end === "finish") controller.enqueue(sse("[DONE]"));
        }
        call.ended ??= "complete";
        controller.close();
      } catch (error) {
        call.ended ??= "aborted";
        controller.error(error);
      }
    },
    cancel() {
      call.ended ??= "aborted";
    },
  });
  headers.set("content-type", "text/event-stream");
  return new Response(body, { status: 200, headers });
}

function answerResponse(step: AnswerStep, run: Run): Response {
  const status = step.status ?? 200;
  const headers = new Headers(step.headers);
  // A healthy default answer to a stream request is a stream, whose own end says how the call ended.
  if (step.body === undefined && status < 400 && run.body.stream === true)
    return streamResponse({ stream: [step.text ?? "ok"] }, run, headers);
  run.call.ended = "complete";
  if (step.body !== undefined) {
    if (typeof step.body === "string") return new Response(step.body, { status, headers });
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new Response(JSON.stringify(step.body), { status, headers });
  }
  if (status >= 400) {
    const error = {
      message: `scripted upstream answered ${status}`,
      type: status >= 500 ? "server_error" : "invalid_request_error",
      code: null,
      param: null,
      ...step.error,
    };
    headers.set("content-type", "application/json");
    return new Response(JSON.stringify({ error }), { status, headers });
  }
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(completion(run.model, step.text ?? "ok")), { status, headers });
}

/** The default healthy embeddings answer: one 3-dimensional vector per input, counted as one token each. */
function embeddingsResponse(run: Run): Response {
  run.call.ended = "complete";
  const input = (run.body as unknown as { input: unknown }).input;
  const count = Array.isArray(input) && typeof input[0] !== "number" ? input.length : 1;
  const data = Array.from({ length: count }, (_, index) => ({
    object: "embedding",
    index,
    embedding: [index, 0.5, 1],
  }));
  const body = { object: "list", data, model: run.model, usage: { prompt_tokens: count, total_tokens: count } };
  return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
}

/**
 * A fake upstream for tests, played from a script in the gateway's (virtual) time: each call takes the
 * next step (the last one repeats), and a step is an answer with a status, an event stream with a gap
 * before each event, a connection reset or a hang. `steps` is one script for every model of the
 * provider, or one per model name. Example: `scripted([{ status: 503 }, { stream: ["Hel", "lo"], gapsMs: [0, 50] }])`.
 */
export function scripted(steps: ScriptStep[] | Record<string, ScriptStep[]>): ScriptedProvider {
  const calls: ScriptedCall[] = [];
  const taken = new Map<string, number>();
  const stepFor = (model: string): ScriptStep => {
    const script = Array.isArray(steps) ? steps : steps[model];
    if (!script || script.length === 0) throw new Error(`scripted upstream: no script for model "${model}"`);
    const key = Array.isArray(steps) ? "" : model;
    const n = taken.get(key) ?? 0;
    taken.set(key, n + 1);
    return script[Math.min(n, script.length - 1)];
  };
  const provider: Provider = definePlugin<Provider>({
    name: "builtin:scripted",
    kind: "provider",
    mode: "simulated",
    buildRequest(body, target) {
      return { url: `scripted://${target.model}`, headers: {}, body: JSON.stringify({ ...body, model: target.model }) };
    },
    buildEmbeddingsRequest(body, target) {
      return {
        url: `scripted://${target.model}/embeddings`,
        headers: {},
        body: JSON.stringify({ ...body, model: target.model }),
      };
    },
    async send(request, signal, { clock }) {
      const body = JSON.parse(request.body) as ChatRequest;
      const call: ScriptedCall = { model: body.model, body };
      calls.push(call);
      const step = stepFor(body.model);
      const aborted = () => (call.ended ??= "aborted");
      signal.addEventListener("abort", aborted, { once: true });
      if ("hang" in step) return untilAborted(signal);
      await clock.sleep(step.delayMs ?? 0, signal);
      if ("reset" in step) {
        call.ended = "aborted";
        throw new TypeError("scripted upstream: connection reset");
      }
      // From here the response's own body reports how the call ended.
      signal.removeEventListener("abort", aborted);
      const run: Run = { model: body.model, body, call, signal, clock };
      if (
        request.url.endsWith("/embeddings") &&
        !("stream" in step) &&
        step.body === undefined &&
        (step.status ?? 200) < 400
      )
        return embeddingsResponse(run);
      return "stream" in step ? streamResponse(step, run) : answerResponse(step, run);
    },
  });
  return Object.assign(provider, {
    calls,
    seen: (model?: string) => (model === undefined ? calls.length : calls.filter((c) => c.model === model).length),
  });
}
