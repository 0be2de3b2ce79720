/**
 * What stands between a socket and the app, on every runtime (issue 11, item 2): admission (the caps
 * on requests in flight and per client address), then the whole request body read within
 * `limits.bodyTimeoutMs` and `limits.maxBodyBytes` before any route sees it, so no route (admin ones
 * included, and routes that never read their body) can be held open by a body that never ends. The
 * response phase is not bounded here: the pipeline's own budgets govern long answers.
 *
 * The runtime adapter (serve.ts) tells the guard the client's address and gets told the phases, to
 * move its socket timers along (`Connection`).
 */

import type { ResolvedConfig } from "../config/types.ts";
import { errorResponse } from "../error-response.ts";
import { GatewayError } from "../errors.ts";
import { relayEnded } from "../pipeline/relay.ts";
import { Admission } from "./admission.ts";
import { rememberClientIp } from "./client-ip.ts";
import { readBodyBytes } from "./read-body.ts";

/** The limits the guard applies, read from the live config for each request. */
export type GuardLimits = Pick<
  ResolvedConfig["limits"],
  "maxBodyBytes" | "bodyTimeoutMs" | "maxRequestsPerClient" | "maxInFlight"
>;

/** One request's connection, as the runtime adapter sees it. */
export interface Connection {
  /** The client's address (from the socket). */
  ip: string | undefined;
  /** The body is about to be read within `timeoutMs`: the runtime's own timer must not fire first. */
  readingBody?(timeoutMs: number): void;
  /** The body is read (or there was none): the response may now take as long as the pipeline allows. */
  responding?(): void;
  /** The response is over: sent, failed, or abandoned by the client. */
  finished?(): void;
}

export interface GuardOptions {
  limits: () => GuardLimits;
  /** `limits.maxInFlight` when the config leaves it unset (derived from the open-file limit). */
  defaultMaxInFlight: number;
  /** Times the body read (default `setTimeout`; an in-memory gateway passes its clock's). */
  setTimer?: (ms: number, fn: () => void) => () => void;
  /**
   * Told of every request refused here (admission, body size, time or failure) before its response is
   * made; returns the error to answer with (the request log names its row: `edgeRefusals` in v1-call.ts).
   */
  refused?: (request: Request, connection: Connection, error: GatewayError) => GatewayError;
}

type Handler = (request: Request) => Response | Promise<Response>;

/** Wraps `handler` in admission and bounded body reads: the function the runtime adapters serve. */
export function guardRequests(
  handler: Handler,
  options: GuardOptions,
): (request: Request, connection: Connection) => Promise<Response> {
  const admission = new Admission();
  return async (request, connection) => {
    const limits = options.limits();
    const withBody = hasBody(request);
    const caps = {
      maxInFlight: limits.maxInFlight ?? options.defaultMaxInFlight,
      maxRequestsPerClient: limits.maxRequestsPerClient,
    };
    const refused = (error: GatewayError) => options.refused?.(request, connection, error) ?? error;
    const refusal = admission.admit(connection.ip, caps, () => !withBody && isHealthCheck(request));
    // Closing frees the descriptor at once, and a body left unread cannot be skipped on a kept connection.
    if (refusal) return errorResponse(refused(refusal), CLOSE);
    const release = once(() => {
      admission.release(connection.ip);
      connection.finished?.();
    });
    let inner = request;
    if (withBody) {
      try {
        inner = await bufferedBody(request, limits, connection, options.setTimer);
      } catch (error) {
        release();
        if (error instanceof GatewayError) return errorResponse(refused(error), CLOSE);
        throw error;
      }
    }
    try {
      rememberClientIp(inner, connection.ip);
      connection.responding?.();
      return untilEnd(await handler(inner), release, request.signal);
    } catch (error) {
      release();
      if (error instanceof GatewayError) return errorResponse(error, CLOSE);
      throw error;
    }
  };
}

const CLOSE = { connection: "close" };

/** Whether the request carries a body (a declared non-zero length, or a chunked one). */
function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return length.trim() !== "0";
  return request.headers.has("transfer-encoding");
}

function isHealthCheck(request: Request): boolean {
  return (request.method === "GET" || request.method === "HEAD") && new URL(request.url).pathname === "/healthz";
}

/** The request with its body read into memory, within the limits; the client's signal still follows it. */
async function bufferedBody(
  request: Request,
  limits: GuardLimits,
  connection: Connection,
  setTimer: GuardOptions["setTimer"],
): Promise<Request> {
  connection.readingBody?.(limits.bodyTimeoutMs);
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBodyBytes(request, { limit: limits.maxBodyBytes, timeoutMs: limits.bodyTimeoutMs, setTimer });
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError(
      "invalid_request",
      "The request body could not be read: the connection failed while it arrived.",
      { cause: error },
    );
  }
  // A GET or HEAD cannot carry a body into a new Request; its routes never read one, so it is dropped.
  if (request.method === "GET" || request.method === "HEAD") return request;
  return new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal });
}

/**
 * Calls `done` when the response is over. A server-sent event stream (the /v1 streams, the live log)
 * is over when its last chunk has been taken or the client went away; every other response is a
 * finished body handed to the runtime.
 */
function untilEnd(response: Response, done: () => void, signal: AbortSignal): Response {
  // The header first: reading `body` of a response made from a string makes a stream for it.
  if (!response.headers.get("content-type")?.startsWith("text/event-stream") || !response.body) {
    done();
    return response;
  }
  signal.addEventListener("abort", done, { once: true });
  // A relayed /v1 stream says when it ends: no second stream around it.
  const relayed = relayEnded(response.body);
  if (relayed) {
    relayed.then(done);
    return response;
  }
  const reader = response.body.getReader();
  // Each pull forwards a chunk or ends the stream: a pull that returned with neither would stall Bun.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await reader.read();
        if (next.done) {
          controller.close();
          done();
        } else controller.enqueue(next.value);
      } catch (error) {
        controller.error(error);
        done();
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    fn();
  };
}
