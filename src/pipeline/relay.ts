/**
 * After commit: relays an accepted upstream stream to the client event by event, as each network chunk
 * arrives (no batching). It watches for the faults that can still happen (a stall longer than the idle
 * budget, a cut connection, an error event, an end without a finish reason) and then either continues
 * on a prefill-capable target or ends with an in-band error event and no `[DONE]`: a truncated answer is
 * never presented as a complete one.
 */

import { streamErrorEvent } from "../error-response.ts";
import type { GatewayErrorCode } from "../errors.ts";
import type { Usage } from "../plugin/types.ts";
import type { StreamAssembler } from "./assemble.ts";
import type { HeldStream } from "./attempt.ts";
import { SseLimitError } from "./sse.ts";
import { TextPieces } from "./text-pieces.ts";
import type { StreamItem, StreamRead } from "./upstream-stream.ts";

const encoder = new TextEncoder();
const DONE = encoder.encode("data: [DONE]\n\n");
/** How long to wait for `[DONE]` (or the usage chunk) once every choice has finished. */
const FINISH_GRACE_MS = 500;

/**
 * How a committed stream can fail, each with the in-band error code the client reads (DESIGN §4): a
 * stall past idleMs, the deadline, an error event or broken framing from the upstream, or a cut.
 */
export type StreamFailureCode = Extract<
  GatewayErrorCode,
  "stream_stalled" | "deadline_exceeded" | "upstream_error" | "stream_cut"
>;

export interface StreamFailure {
  code: StreamFailureCode;
  message: string;
}

export interface RelayEnd {
  /** "complete", "failed" (ended with an in-band error) or "client_gone". */
  result: "complete" | "failed" | "client_gone";
  finishReason?: string;
  usage?: Usage;
  /** The answer's content as the client received it. */
  content: string;
  malformed: number;
  error?: StreamFailure;
  /** The reassembled answer, when an assembler was given. */
  response?: Record<string, unknown>;
  /** The answer carried tool calls. */
  toolCalls: boolean;
}

export interface RelayOptions {
  stream: HeldStream;
  clientWantsUsage: boolean;
  idleMs: number;
  deadline: number;
  now: () => number;
  /** Told of every failure of the stream being relayed (before any continuation is tried). */
  onFailure: (failure: StreamFailure) => void;
  /** Tries to continue the answer elsewhere after a failure; resolves to the new stream or undefined. */
  continueAfter: (content: string, reason: string) => Promise<HeldStream | undefined>;
  onEnd: (end: RelayEnd) => void;
  /** Collects the answer for the request log (absent when bodies are not logged). */
  assembler?: StreamAssembler;
  /**
   * A passed-through stream (`pass-through.ts`): the client gets the upstream's own events (`wire`), all
   * of them, and the upstream's own end; a failure ends it with this in-band error in the door's format.
   * The parsed chunks still decide the commit, the finish, usage and the log, as for any stream.
   */
  passThrough?: { error(failure: StreamFailure): string };
}

interface Progress {
  /** The content sent, joined only when needed. */
  content: TextPieces;
  toolCalls: boolean;
  open: Set<number>;
  finished: Map<number, string>;
  usage?: Usage;
  malformed: number;
}

/** Every choice that opened has finished (checked after every chunk: no array made for it). */
function isFinished(p: Progress): boolean {
  if (p.finished.size === 0) return false;
  for (const i of p.open) if (!p.finished.has(i)) return false;
  return true;
}

/**
 * The client's bytes for the events of one upstream chunk that go out: a passed-through stream's own
 * events, else the upstream's bytes as they came (`raw`, when every event goes out unchanged), else the
 * events re-encoded. Undefined when nothing goes out.
 */
function clientBytes(
  kept: readonly StreamItem[],
  native: boolean,
  raw: Uint8Array | undefined,
): Uint8Array | undefined {
  if (native) {
    const events = kept.map((item) => item.wire ?? "").join("");
    return events === "" ? undefined : encoder.encode(events);
  }
  if (raw) return raw;
  return kept.length > 0 ? encoder.encode(kept.map((item) => `data: ${item.data}\n\n`).join("")) : undefined;
}

function failureReason(stream: HeldStream, error: unknown, progress: Progress, idleMs: number): StreamFailure {
  const reason = stream.abortReason();
  if (reason === "stall")
    return {
      code: "stream_stalled",
      message: `The upstream stream stalled (no event for ${idleMs} ms); the answer is incomplete.`,
    };
  if (reason === "deadline")
    return { code: "deadline_exceeded", message: "The request deadline passed mid-stream; the answer is incomplete." };
  if (error instanceof SseLimitError)
    return {
      code: "upstream_error",
      message: `The upstream stream broke its framing: ${error.message}; the answer is incomplete.`,
    };
  if (error)
    return {
      code: "stream_cut",
      message: `The upstream connection was cut mid-stream (${error instanceof Error ? error.message : String(error)}); the answer is incomplete.`,
    };
  return {
    code: "stream_cut",
    message: `The upstream stream ended without a finish reason${progress.toolCalls ? " during a tool call" : ""}; the answer is incomplete.`,
  };
}

/** When each relayed body ends: see `relayEnded`. */
const relayEnds = new WeakMap<ReadableStream<Uint8Array>, Promise<void>>();

/**
 * Resolves when a body `relayStream` made has ended (complete, failed or the client gone), for the HTTP
 * layer to release the request's slot then without wrapping the body in a stream of its own (a second
 * stream, reader and promise per chunk). Undefined for any other body.
 */
export function relayEnded(body: ReadableStream<Uint8Array>): Promise<void> | undefined {
  return relayEnds.get(body);
}

/**
 * `derived` (a relayed body piped through a transform: a front door's translation) ends when the relay
 * under it ends, and says so the same way; returns `derived`.
 */
export function endsWithRelay(
  derived: ReadableStream<Uint8Array>,
  relayed: ReadableStream<Uint8Array>,
): ReadableStream<Uint8Array> {
  const ended = relayEnds.get(relayed);
  if (ended) relayEnds.set(derived, ended);
  return derived;
}

export function relayStream(options: RelayOptions): ReadableStream<Uint8Array> {
  let markEnded!: () => void;
  const endedPromise = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  let current = options.stream;
  const progress: Progress = {
    content: new TextPieces(),
    toolCalls: false,
    open: new Set(),
    finished: new Map(),
    malformed: 0,
  };
  let ended = false;
  /** Client chunks enqueued so far: `pull` must not return before it grows (or the stream ends). */
  let sent = 0;
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, bytes: Uint8Array) => {
    controller.enqueue(bytes);
    sent += 1;
  };

  const end = (
    controller: ReadableStreamDefaultController<Uint8Array> | undefined,
    outcome: RelayEnd["result"],
    error?: RelayEnd["error"],
  ) => {
    if (ended) return;
    ended = true;
    markEnded();
    current.close();
    progress.malformed += current.upstream.malformed;
    if (controller) {
      // A passed-through answer ended with the upstream's own last event: nothing is added to it.
      if (options.passThrough) {
        if (error) send(controller, encoder.encode(options.passThrough.error(error)));
      } else send(controller, error ? streamErrorEvent(error) : DONE);
      controller.close();
    }
    const finishReason = progress.finished.values().next().value;
    const response = options.assembler?.result();
    options.onEnd({
      result: outcome,
      finishReason,
      usage: progress.usage,
      content: progress.content.text(),
      malformed: progress.malformed,
      error,
      response,
      toolCalls: progress.toolCalls,
    });
  };

  /**
   * The events of one upstream chunk, as one client chunk: the upstream's own bytes when every event goes
   * out unchanged, else the events re-encoded. Returns an error event's message, if one came.
   */
  const forward = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    items: StreamItem[],
    skipPreamble: boolean,
    raw?: Uint8Array,
  ): string | undefined => {
    const native = options.passThrough !== undefined;
    // The items that go out, copied only once one is left out (most chunks send every item they carry).
    let kept: StreamItem[] | undefined;
    let unchanged = raw !== undefined;
    for (let n = 0; n < items.length; n++) {
      const item = items[n];
      if (item.error) {
        // What came before the error in this chunk was counted as sent: send it.
        const bytes = clientBytes(kept ?? items.slice(0, n), native, undefined);
        if (bytes) send(controller, bytes);
        return item.error.message;
      }
      if (item.plain) options.assembler?.addContent(item.facts.content);
      else options.assembler?.add(item.chunk);
      const f = item.facts;
      for (const i of f.choices) progress.open.add(i);
      for (const [i, reason] of f.finished) progress.finished.set(i, reason);
      if (f.usage) progress.usage = f.usage;
      if (f.toolCalls) progress.toolCalls = true;
      progress.content.append(f.content);
      // A continuation's opening role chunk would restart the message in the client's eyes. A
      // passed-through stream goes out whole: the client asked the upstream's API for exactly this.
      if (
        !native &&
        ((f.usageOnly && !options.clientWantsUsage) ||
          (skipPreamble && f.text === "" && !f.toolCalls && f.finished.length === 0 && !f.usage))
      ) {
        unchanged = false;
        kept ??= items.slice(0, n);
        continue;
      }
      kept?.push(item);
    }
    const bytes = clientBytes(kept ?? items, native, unchanged ? raw : undefined);
    if (bytes) send(controller, bytes);
    return undefined;
  };

  const armIdle = () => {
    const finished = isFinished(progress);
    const at = options.now() + (finished ? Math.min(FINISH_GRACE_MS, options.idleMs) : options.idleMs);
    current.watchdog.arm(
      Math.min(at, options.deadline),
      at > options.deadline ? "deadline" : finished ? "finish_grace" : "stall",
    );
  };

  /** After a batch went out: end, fail, or wait for more under the idle budget. */
  const afterForward = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    state: "more" | "done" | "eof",
  ): void | Promise<void> => {
    if (state === "done") return end(controller, "complete");
    if (state === "eof") {
      if (isFinished(progress)) return end(controller, "complete");
      return recover(controller, failureReason(current, undefined, progress, options.idleMs));
    }
    // Everything finished and the usage chunk (the last one before [DONE]) arrived: no need to wait. A
    // passed-through stream has native events after that (`message_stop`), so it waits for the upstream's end.
    if (isFinished(progress) && progress.usage && !options.passThrough) return end(controller, "complete");
    armIdle();
  };

  const recover = async (controller: ReadableStreamDefaultController<Uint8Array>, failure: StreamFailure) => {
    options.onFailure(failure);
    if (!progress.toolCalls && progress.finished.size === 0) {
      const next = await options.continueAfter(progress.content.text(), failure.message).catch(() => undefined);
      if (next && ended) return next.close(); // the client left while the continuation was being found
      if (next) {
        progress.malformed += current.upstream.malformed;
        current.close();
        current = next;
        const errorText = forward(controller, next.held, true);
        if (!errorText) return afterForward(controller, next.state);
      }
    }
    end(controller, "failed", failure);
  };

  /** A read that failed (a cut, an abort, broken framing): ends or recovers. */
  const readFailed = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown) => {
    if (ended) return;
    if (isFinished(progress)) return end(controller, "complete"); // only the trailing [DONE] was missing
    return recover(controller, failureReason(current, error, progress, options.idleMs));
  };

  /** One upstream read, forwarded; ends, fails or re-arms the idle budget. */
  const step = (controller: ReadableStreamDefaultController<Uint8Array>, read: StreamRead): void | Promise<void> => {
    if (ended) return;
    const before = sent;
    const errorText = forward(controller, read.items, false, read.raw);
    if (errorText)
      return recover(controller, {
        code: "upstream_error",
        message: `The upstream sent an error mid-stream: ${errorText}`,
      });
    // Only what reaches the client counts as progress: pings and dropped events do not hold off the stall
    // budget. A passed-through stream forwards its pings too, so there only events that carry a chunk count.
    const progressed = sent > before && (!options.passThrough || read.items.some((item) => item.chunk !== undefined));
    if (read.state === "more" && !progressed && !isFinished(progress)) return;
    return afterForward(controller, read.state);
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const errorText = forward(controller, current.held, false);
      if (errorText) return end(controller, "failed", { code: "upstream_error", message: errorText });
      afterForward(controller, current.state);
    },
    /**
     * Bun (1.4.5) never pulls a response body again after a `pull` that enqueued nothing, and many upstream
     * reads carry nothing for the client (half an event, a ping, a dropped malformed event, an Anthropic
     * `content_block_stop`): keep reading until a chunk went out or the stream ended.
     */
    async pull(controller) {
      const before = sent;
      try {
        while (!ended && sent === before) {
          // The reader's own promise, then the chunk's events taken synchronously: one await per chunk.
          const upstream = current.upstream;
          let read: StreamRead;
          try {
            read = upstream.take(await upstream.next());
          } catch (error) {
            await readFailed(controller, error);
            continue;
          }
          await step(controller, read);
        }
      } catch (error) {
        markEnded(); // a fault of the relay's own errors the body: it has ended all the same
        throw error;
      }
    },
    cancel() {
      end(undefined, "client_gone");
    },
  });
  relayEnds.set(body, endedPromise);
  return body;
}
