/**
 * One attempt against one target, under its time budgets, turned into an `AttemptOutcome` value.
 * Streamed attempts are read until the first content event (or the end), and held there: nothing has
 * reached the client yet, so a failure up to this point is invisible to it (DESIGN §3, streaming rule).
 */

import { DEFAULTS } from "../config/defaults.ts";
import type { Timeouts } from "../config/types.ts";
import type {
  AttemptOutcome,
  ChatRequest,
  Clock,
  EmbeddingsRequest,
  ErrorClass,
  Provider,
  Target,
  UpstreamRequest,
  Usage,
} from "../plugin/types.ts";
import { completionFacts, errorIn } from "./chunks.ts";
import { passThroughRequest } from "./pass-through.ts";
import { readBounded } from "./read-body.ts";
import { parseRetryAfter } from "./retry-after.ts";
import { SseLimitError } from "./sse.ts";
import { type StreamItem, UpstreamStream } from "./upstream-stream.ts";
import { type AbortReason, Watchdog } from "./watchdog.ts";

/** Thrown (only) when the client went away: the request ends, nothing is retried. */
export class ClientGoneError extends Error {
  constructor() {
    super("client disconnected");
    this.name = "ClientGoneError";
  }
}

export interface AttemptSetup {
  provider: Provider;
  target: Target;
  body: ChatRequest;
  stream: boolean;
  timeouts: Timeouts;
  /** Epoch ms: the request's total deadline. */
  deadline: number;
  clientSignal: AbortSignal;
  /**
   * Aborted when the gateway stops and ends what is in flight (`PipelineDeps.stopping`): the upstream call
   * ends with its reason ("the gateway is shutting down"), through `fetch` or a provider's own `send`,
   * held streams too. A listener on the attempt's own controller, as for the client's signal: cheaper than
   * a composite `AbortSignal.any` per attempt.
   */
  stopping?: AbortSignal;
  /** Time and the budget timers (the watchdog's); the provider's `send` gets it too. */
  clock: Clock;
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** Longest upstream event-stream line or event (limits.maxSseLineBytes); unbounded when absent. */
  maxSseLineBytes?: number;
  /** Largest non-streamed body read, in decompressed bytes (`limits.maxUpstreamBodyBytes`; default 32 MiB). */
  maxBodyBytes?: number;
  /** An embeddings request: sent with the provider's `buildEmbeddingsRequest`, judged by its vectors. */
  embeddings?: EmbeddingsRequest;
  /**
   * The client's own body, when the provider speaks the door's API (`pass-through.ts`): sent instead of
   * a translation of `body`, and the answer kept in the upstream's format. `body` still drives the
   * provider's headers and its parsers, which judge the answer as for any other attempt.
   */
  passThrough?: string;
}

/** An accepted stream, positioned after the events read before the decision. */
export interface HeldStream {
  upstream: UpstreamStream;
  held: StreamItem[];
  state: "more" | "done" | "eof";
  watchdog: Watchdog;
  /** Why the upstream was aborted, once it was. */
  abortReason(): AbortReason | undefined;
  /** Ends the upstream call and detaches from the client's signal. */
  close(): void;
}

export interface AttemptRun {
  outcome: AttemptOutcome;
  /** Accepted non-stream: the response body to return (OpenAI's shape). */
  json?: string;
  /** Accepted non-stream: the usage it reports. */
  usage?: Usage;
  /** Accepted non-stream: the answer carries tool calls. */
  toolCalls?: boolean;
  /** Streamed: the stream, held before its first content. */
  stream?: HeldStream;
  /** The attempt sent the client's own body: `json` and the stream's events are the upstream's, untranslated. */
  passedThrough?: boolean;
  /** Releases the upstream call (for an outcome that is not accepted). */
  discard(): void;
}

const ERROR_TEXT_LIMIT = 8 * 1024;

async function readCapped(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (text.length < limit) {
    const { value, done } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
  }
  reader.cancel().catch(() => {});
  return text.slice(0, limit);
}

function errorDetails(text: string): { errorText: string; errorCode?: string; errorParam?: string } {
  try {
    const error = errorIn(JSON.parse(text));
    if (error) return { errorText: error.message, errorCode: error.code, errorParam: error.param };
  } catch {
    // not JSON: the raw text is the message
  }
  return { errorText: text };
}

const TIMEOUT_CLASSES: Partial<Record<AbortReason, ErrorClass>> = {
  timeout_connect: "timeout_connect",
  timeout_first_token: "timeout_first_token",
  stall: "stall",
};

export async function runAttempt(setup: AttemptSetup): Promise<AttemptRun> {
  const { provider, target, clock } = setup;
  const now = () => clock.now();
  const started = now();
  const controller = new AbortController();
  let abortReason: AbortReason | undefined;
  const abort = (reason: AbortReason) => {
    if (abortReason === undefined) abortReason = reason;
    controller.abort();
  };
  const onClientAbort = () => abort("client");
  const { stopping } = setup;
  const onStop = () => controller.abort(stopping?.reason);
  if (setup.clientSignal.aborted) throw new ClientGoneError();
  setup.clientSignal.addEventListener("abort", onClientAbort);
  if (stopping?.aborted) onStop();
  else stopping?.addEventListener("abort", onStop);
  const watchdog = new Watchdog(abort, clock);
  /** Detaches from the client's and the gateway's signals; aborts the upstream call unless its body was read to the end. */
  const close = (consumed = false) => {
    watchdog.disarm();
    setup.clientSignal.removeEventListener("abort", onClientAbort);
    stopping?.removeEventListener("abort", onStop);
    if (abortReason === undefined && !consumed) abort("done");
  };
  let headersMs: number | undefined;
  const fail = (
    errorClass: ErrorClass,
    status: number,
    extra: Partial<AttemptOutcome> = {},
    headers = new Headers(),
  ): AttemptRun => {
    close();
    return {
      outcome: { ok: false, status, headers, errorClass, ...extra, timings: { headersMs, totalMs: now() - started } },
      discard: () => {},
    };
  };
  /** Maps a rejected read or fetch to an outcome; rethrows when the client went away. */
  const failFromException = (error: unknown, beforeHeaders: boolean): AttemptRun => {
    if (abortReason === "client") {
      close();
      throw new ClientGoneError();
    }
    const timeout = abortReason ? TIMEOUT_CLASSES[abortReason] : undefined;
    if (timeout) {
      const budget = abortReason === "timeout_connect" ? setup.timeouts.connectMs : setup.timeouts.firstTokenMs;
      const deadlineHit = now() >= setup.deadline;
      const what = deadlineHit
        ? "the request deadline passed"
        : `no ${abortReason === "timeout_connect" ? "response headers" : "first token"} within ${budget} ms`;
      return fail(timeout, 0, { errorText: `${target.ref}: ${what}` });
    }
    if (error instanceof SseLimitError)
      return fail("bad_response", 0, { errorText: `${target.ref}: ${error.message}` });
    const message = error instanceof Error ? error.message : String(error);
    return fail(beforeHeaders ? "connection" : "cut", 0, { errorText: `${target.ref}: ${message}` });
  };

  const headerBudget = setup.stream ? setup.timeouts.connectMs : setup.timeouts.firstTokenMs;
  watchdog.arm(
    Math.min(started + headerBudget, setup.deadline),
    setup.stream ? "timeout_connect" : "timeout_first_token",
  );

  let response: Response;
  try {
    const request: UpstreamRequest = setup.embeddings
      ? provider.buildEmbeddingsRequest!({ ...setup.embeddings, model: target.model }, target)
      : setup.passThrough !== undefined
        ? passThroughRequest(provider, setup.body, target, setup.passThrough)
        : provider.buildRequest(setup.body, target);
    response = provider.send
      ? await provider.send(request, controller.signal, { clock })
      : // manual: a redirect would re-send the prompt (and the key's headers) wherever the upstream points.
        await setup.fetch(request.url, {
          method: request.method ?? "POST",
          headers: request.headers,
          body: request.body,
          signal: controller.signal,
          redirect: "manual",
        });
  } catch (error) {
    return failFromException(error, true);
  }
  headersMs = now() - started;
  const retryAfterMs = parseRetryAfter(response.headers, now());

  try {
    if (response.status >= 300 && response.status < 400)
      return fail("bad_response", response.status, { errorText: redirectText(target.ref, response) }, response.headers);
    if (!response.ok) {
      const text = await readCapped(response, ERROR_TEXT_LIMIT);
      return fail("http", response.status, { ...errorDetails(text), retryAfterMs, body: text }, response.headers);
    }
    const isEventStream = (response.headers.get("content-type") ?? "").includes("text/event-stream");
    if (!setup.stream || !isEventStream || !response.body) {
      return await readWhole(response, setup, { started, headersMs, fail, close });
    }
    watchdog.arm(Math.min(started + setup.timeouts.firstTokenMs, setup.deadline), "timeout_first_token");
    return await readUntilFirstContent(response, setup, {
      started,
      headersMs,
      fail,
      close,
      watchdog,
      abortReason: () => abortReason,
    });
  } catch (error) {
    return failFromException(error, false);
  }
}

/** Why a 3xx fails the attempt: its status, where it pointed (host only), and that it was not followed. */
function redirectText(ref: string, response: Response): string {
  const location = response.headers.get("location");
  let where = "";
  try {
    // The host only: a location's path and query may carry tokens that do not belong in the log.
    if (location) where = ` to ${new URL(location, response.url || "http://same-host.invalid").host}`;
  } catch {
    where = " to an invalid location";
  }
  return `${ref}: upstream answered ${response.status} (a redirect${where}): redirects are not followed`;
}

interface Helpers {
  started: number;
  headersMs: number;
  fail: (errorClass: ErrorClass, status: number, extra?: Partial<AttemptOutcome>, headers?: Headers) => AttemptRun;
  close: (consumed?: boolean) => void;
}

/** A whole JSON body: a non-stream request, or an upstream that answered a stream request with JSON. */
async function readWhole(response: Response, setup: AttemptSetup, h: Helpers): Promise<AttemptRun> {
  const limit = setup.maxBodyBytes ?? DEFAULTS.limits.maxUpstreamBodyBytes;
  const read = await readBounded(response, limit);
  if (!read.ok) {
    const errorText = `${setup.target.ref}: response body passed limits.maxUpstreamBodyBytes (${limit} bytes, decompressed): read cancelled`;
    return h.fail("bad_response", response.status, { errorText }, response.headers);
  }
  const text = read.text;
  let body: unknown;
  try {
    body = JSON.parse(text);
    if (setup.provider.parseResponse && !setup.embeddings)
      body = setup.provider.parseResponse(body, setup.target, setup.body);
  } catch {
    return h.fail(
      "bad_response",
      response.status,
      { errorText: `${setup.target.ref}: response is not JSON: ${text.slice(0, 200)}`, body: text },
      response.headers,
    );
  }
  const error = errorIn(body);
  if (error)
    return h.fail(
      "error_body",
      response.status,
      { errorText: error.message, errorCode: error.code, body: text },
      response.headers,
    );
  if (setup.stream) {
    return h.fail(
      "bad_response",
      response.status,
      { errorText: `${setup.target.ref}: asked for a stream, got a JSON body`, body: text },
      response.headers,
    );
  }
  if (setup.embeddings) return embeddingsAnswer(body, text, { response, setup, h });
  const facts = completionFacts(body);
  if (facts.choices === 0 || (facts.text === "" && !facts.toolCalls)) {
    return h.fail(
      "empty",
      response.status,
      { errorText: `${setup.target.ref}: empty completion`, body: text },
      response.headers,
    );
  }
  h.close(true);
  const totalMs = setup.clock.now() - h.started;
  return {
    outcome: {
      ok: true,
      status: response.status,
      headers: response.headers,
      text: facts.text.slice(0, 2000),
      body: text,
      timings: { headersMs: h.headersMs, firstTokenMs: totalMs, totalMs },
    },
    json: setup.provider.parseResponse && setup.passThrough === undefined ? JSON.stringify(body) : text,
    usage: facts.usage,
    toolCalls: facts.toolCalls,
    passedThrough: setup.passThrough !== undefined,
    discard: () => {},
  };
}

/** An embeddings answer: healthy when it carries one vector per input (an empty `data` is a failure). */
function embeddingsAnswer(
  body: unknown,
  text: string,
  at: { response: Response; setup: AttemptSetup; h: Helpers },
): AttemptRun {
  const { response, setup, h } = at;
  const data = typeof body === "object" && body !== null ? (body as { data?: unknown }).data : undefined;
  const inputs =
    Array.isArray(setup.embeddings?.input) && typeof setup.embeddings.input[0] !== "number"
      ? setup.embeddings.input.length
      : 1;
  if (!Array.isArray(data) || data.length !== inputs) {
    const errorText = `${setup.target.ref}: ${Array.isArray(data) ? `${data.length} embeddings for ${inputs} inputs` : "no embeddings in the answer"}`;
    return h.fail("empty", response.status, { errorText, body: text.slice(0, 2000) }, response.headers);
  }
  h.close(true);
  const totalMs = setup.clock.now() - h.started;
  const usage = (body as { usage?: Usage }).usage;
  return {
    outcome: {
      ok: true,
      status: response.status,
      headers: response.headers,
      text: "",
      timings: { headersMs: h.headersMs, firstTokenMs: totalMs, totalMs },
    },
    json: text,
    usage: usage && {
      prompt_tokens: usage.prompt_tokens ?? 0,
      completion_tokens: 0,
      total_tokens: usage.total_tokens ?? usage.prompt_tokens ?? 0,
    },
    discard: () => {},
  };
}

async function readUntilFirstContent(
  response: Response,
  setup: AttemptSetup,
  h: Helpers & { watchdog: Watchdog; abortReason: () => AbortReason | undefined },
): Promise<AttemptRun> {
  const upstream = new UpstreamStream(response.body!, {
    provider: setup.provider,
    target: setup.target,
    request: setup.body,
    maxLineBytes: setup.maxSseLineBytes,
    keepEvents: setup.passThrough !== undefined,
  });
  const held: StreamItem[] = [];
  let text = "";
  let content = false;
  const emptyOrCut = (finished: boolean) =>
    finished
      ? h.fail("empty", response.status, { errorText: `${setup.target.ref}: empty completion` }, response.headers)
      : h.fail(
          "cut",
          response.status,
          { errorText: `${setup.target.ref}: stream ended before any content` },
          response.headers,
        );
  for (;;) {
    const { items, state } = await upstream.read();
    let finished = false;
    for (const item of items) {
      if (item.error) {
        upstream.cancel();
        return h.fail(
          "error_body",
          response.status,
          { errorText: item.error.message, errorCode: item.error.code, body: item.data },
          response.headers,
        );
      }
      held.push(item);
      text += item.facts.text;
      if (item.facts.text !== "" || item.facts.toolCalls) content = true;
      if (item.facts.finished.length > 0) finished = true;
    }
    if (content) {
      const totalMs = setup.clock.now() - h.started;
      const stream: HeldStream = {
        upstream,
        held,
        state,
        watchdog: h.watchdog,
        abortReason: h.abortReason,
        close: () => (upstream.cancel(), h.close()),
      };
      return {
        outcome: {
          ok: true,
          status: response.status,
          headers: response.headers,
          text,
          timings: { headersMs: h.headersMs, firstTokenMs: totalMs, totalMs },
        },
        stream,
        passedThrough: setup.passThrough !== undefined,
        discard: stream.close,
      };
    }
    if (finished || state !== "more") {
      upstream.cancel();
      return emptyOrCut(finished || state === "done");
    }
  }
}
