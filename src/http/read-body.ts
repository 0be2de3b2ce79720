import { GatewayError } from "../errors.ts";
import { readAllBytes } from "../pipeline/read-body.ts";

/** Bounds of one body read. */
interface BodyBounds {
  /** Most bytes accepted (413 past it). */
  limit: number;
  /**
   * Longest time the whole read may take, in ms (408 past it). A total, not an idle gap: a client
   * that drips a byte a second must not keep the read alive. Unbounded when absent.
   */
  timeoutMs?: number;
  /** Schedules the timeout (default `setTimeout`): the gateway's clock, so virtual time moves it in tests. */
  setTimer?: (ms: number, fn: () => void) => () => void;
}

const realTimer = (ms: number, fn: () => void) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

/**
 * The request body as text, refusing more than `limit` bytes with 413 before reading it all:
 * `content-length` is checked first, and the stream is counted as it arrives (chunked uploads).
 */
export async function readBody(request: Request, limit: number): Promise<string> {
  // With a declared length within the limit, the runtime's own reader is much cheaper than a JS loop
  // over the stream (about 20 µs a request); the counting loop is for bodies of unknown length.
  if (Number.isFinite(declaredLength(request, limit))) return request.text();
  return new TextDecoder().decode(await readCounted(request, limit));
}

/** The request body as bytes, within `bounds` (size and time). */
export async function readBodyBytes(request: Request, bounds: BodyBounds): Promise<Uint8Array<ArrayBuffer>> {
  const read = Number.isFinite(declaredLength(request, bounds.limit))
    ? request.arrayBuffer().then((buffer) => new Uint8Array(buffer))
    : readCounted(request, bounds.limit);
  if (bounds.timeoutMs === undefined) return read;
  let cancel: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    cancel = (bounds.setTimer ?? realTimer)(bounds.timeoutMs!, () =>
      reject(
        new GatewayError(
          "request_timeout",
          `The request body did not arrive within ${bounds.timeoutMs} ms (limits.bodyTimeoutMs).`,
        ),
      ),
    );
  });
  try {
    // The losing read settles when the connection closes; race() keeps its rejection handled.
    return await Promise.race([read, expired]);
  } finally {
    cancel?.();
  }
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    "payload_too_large",
    `The request body is larger than the ${limit}-byte limit (limits.maxBodyBytes).`,
  );
}

/** The declared `content-length` (NaN when there is none), refusing one past `limit` at once. */
function declaredLength(request: Request, limit: number): number {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > limit) throw tooLarge(limit);
  return declared;
}

/** Reads a body of unknown length, counting bytes as they arrive. */
async function readCounted(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!request.body) return new Uint8Array(0);
  const read = await readAllBytes(request.body, limit);
  if ("over" in read) throw tooLarge(limit);
  return read.bytes;
}
