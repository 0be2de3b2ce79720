/**
 * Server-sent-event streams of the mock upstream: a stream is first planned as
 * a list of events (each with the delay before it) plus how it ends, then
 * played by a pull-based ReadableStream that enqueues exactly one event per
 * pull, so every event is handed to the socket on its own.
 */
import { type Behaviour, num } from "./params.ts";
import { type CompletionMeta, chunk, type Usage } from "./wire.ts";
import { pingsPerDelta, shapeSteps, wireShape } from "./wire-shape.ts";

export interface StreamStep {
  delayMs: number;
  data: string;
}

/**
 * - `close`: end the body cleanly (zero-length chunk).
 * - `error`: error the body; Bun then closes the socket without terminating the
 *   chunked encoding, so the client sees a network error, not a clean end.
 * - `hold`: send nothing more and keep the connection open until the client goes away.
 */
export type StreamEnd = "close" | "error" | "hold";

export interface StreamPlan {
  steps: StreamStep[];
  end: StreamEnd;
  /** With `end: "hold"` and `holdPingMs=N`: this event is sent every N ms while the content is stalled. */
  ping?: string;
}

export interface StreamLifecycle {
  /** Aborted when the client disconnects (Bun aborts `req.signal`). */
  signal: AbortSignal;
  /** Called exactly once: when the body ends, or with `true` if the client cancelled it first. */
  onEnd(cancelled: boolean): void;
}

const encoder = new TextEncoder();
/** How long a `cut` waits after its last chunk before resetting the connection. */
const CUT_AFTER_MS = 20;
export const GARBAGE_EVENT = "data: {not json\n\n";
export const DONE_EVENT = "data: [DONE]\n\n";
/** An OpenAI-route event that carries nothing for the client (as proxies send to keep a connection alive). */
export const PING_COMMENT = ": ping\n\n";

export function event(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** Faults that stop the stream after `afterChunks` content chunks, and how. */
const TRUNCATING: Record<string, StreamEnd> = { cut: "error", stall: "hold", endNoFinish: "close" };

/** `longLine`: after `afterChunks` deltas, one event line of `size` bytes that never ends, in 64 KiB writes. */
function longLine(size: number): StreamStep[] {
  const piece = 64 * 1024;
  const steps: StreamStep[] = [{ delayMs: 1, data: 'data: {"choices":[{"index":0,"delta":{"content":"' }];
  for (let sent = 0; sent < size; sent += piece)
    steps.push({ delayMs: 1, data: "a".repeat(Math.min(piece, size - sent)) });
  return steps;
}

/** The events of a (possibly faulty) streamed completion of `chunks`. */
export function planStream(
  meta: CompletionMeta,
  chunks: string[],
  b: Behaviour,
  fault: string | undefined,
  usage: Usage | undefined,
): StreamPlan {
  const steps: StreamStep[] = [{ delayMs: 0, data: event(chunk(meta, { role: "assistant", content: "" }, null)) }];
  const truncation = fault === undefined ? undefined : TRUNCATING[fault];
  const stopAfter = truncation || fault === "longLine" ? Math.max(0, num(b.params, "afterChunks", 3)) : Infinity;
  const garbageAt = fault === "malformed" ? num(b.params, "at", 2) : 0;
  // `firstDelayMs=0`: the first content goes out with the role event, in the same write as the headers.
  const firstDelayMs =
    fault === "slowFirstToken" ? num(b.params, "delayMs", 1000) : num(b.params, "firstDelayMs", b.chunkDelayMs);
  const pings = pingsPerDelta(b);

  for (let i = 0; i < chunks.length && i < stopAfter; i++) {
    // The garbage event goes right before content chunk number `at` (1-based).
    if (i + 1 === garbageAt) steps.push({ delayMs: 0, data: GARBAGE_EVENT });
    steps.push({
      delayMs: i === 0 ? firstDelayMs : b.chunkDelayMs,
      data: event(chunk(meta, { content: chunks[i] ?? "" }, null)),
    });
    for (let k = 0; k < pings; k++) steps.push({ delayMs: 0, data: PING_COMMENT });
  }
  if (truncation) return { steps, end: truncation, ping: PING_COMMENT };
  if (fault === "longLine")
    return { steps: [...steps, ...longLine(num(b.params, "size", 4 * 1024 * 1024))], end: "hold" };
  if (garbageAt > chunks.length) steps.push({ delayMs: 0, data: GARBAGE_EVENT });

  steps.push({ delayMs: 0, data: event(chunk(meta, {}, "stop")) });
  if (usage) steps.push({ delayMs: 0, data: event(chunk(meta, null, null, usage)) });
  if (fault === "noDone") return { steps, end: "hold" };
  steps.push({ delayMs: 0, data: DONE_EVENT });
  return { steps, end: "close" };
}

/** Resolves `true` after `ms`, or `false` as soon as `signal` aborts (clearing the timer). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Plays `plan` as an SSE response body, its writes shaped as the behaviour's `wire=` asks (see wire-shape.ts). */
export function sseResponse(plan: StreamPlan, life: StreamLifecycle, b?: Behaviour): Response {
  const steps = shapeSteps(plan.steps, b && wireShape(b));
  let next = 0;
  // Bun aborts req.signal when the client disconnects, but stop waiting on our own
  // cancel() too rather than relying on that.
  const cancelled = new AbortController();
  const signal = AbortSignal.any([life.signal, cancelled.signal]);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const step = steps[next++];
      if (step) {
        if (await sleep(step.delayMs, signal)) controller.enqueue(encoder.encode(step.data));
        return;
      }
      if (plan.end === "hold") {
        // A stalled answer behind a proxy that keeps the connection alive: pings, but no content.
        const pingMs = b ? num(b.params, "holdPingMs", 0) : 0;
        if (pingMs > 0 && plan.ping) {
          if (await sleep(pingMs, signal)) controller.enqueue(encoder.encode(plan.ping));
          return;
        }
        return untilAborted(signal);
      }
      if (plan.end === "error") {
        // Bun corks everything enqueued within one macrotask into a single write made
        // after the task; erroring in the same task would drop the status line too and
        // look like a `reset`. And the reset discards what the client's socket has not read
        // yet (TCP drops unread data on RST): wait long enough that a loaded client has read
        // the last chunk, so a cut always arrives after every chunk sent before it.
        await sleep(CUT_AFTER_MS, signal);
        // No reason: Bun logs errored response bodies whose reason is an Error to
        // stderr, which would flood benchmark output; `undefined` is silent.
        controller.error();
      } else {
        controller.close();
      }
      life.onEnd(false);
    },
    cancel() {
      cancelled.abort();
      life.onEnd(true);
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}
