/**
 * The one place a failure becomes what the client receives (Web standards only, so the pipeline and
 * the HTTP shell share it): a `GatewayError` as a response (its status, its headers, OpenAI's body);
 * anything else as a 500 `internal_error` that says nothing of the cause (logged here, once); and a
 * failure after the first streamed byte as the in-band SSE error event.
 */
import { GatewayError } from "./errors.ts";
import type { Logger } from "./plugin/types.ts";

/** What an unknown error tells the client: nothing about the cause, which is in the log. */
export const INTERNAL_ERROR_MESSAGE = "Internal error; see the gateway log.";

/** A `GatewayError` as its HTTP response: OpenAI's error shape, its status, its headers, then `headers`. */
export function errorResponse(error: GatewayError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(error), {
    status: error.status,
    headers: { "content-type": "application/json", ...error.headers(), ...headers },
  });
}

/**
 * `error` itself when it is a `GatewayError`; anything else (a bug, a library's throw) is logged under
 * `what` with its stack and becomes an `internal_error` whose message leaks nothing.
 */
export function toGatewayError(error: unknown, log: Logger, what: string): GatewayError {
  if (error instanceof GatewayError) return error;
  log.error(what, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return new GatewayError("internal_error", INTERNAL_ERROR_MESSAGE);
}

const encoder = new TextEncoder();

/**
 * The in-band error event that ends a committed stream instead of `data: [DONE]` (DESIGN §3): OpenAI's
 * error shape with `type: "upstream_error"` and the mid-stream code (`stream_stalled`, `stream_cut`,
 * `deadline_exceeded`, `upstream_error`).
 */
export function streamErrorEvent(failure: { code: string; message: string }): Uint8Array {
  return encoder.encode(
    `data: ${JSON.stringify({ error: { message: failure.message, type: "upstream_error", code: failure.code, param: null } })}\n\n`,
  );
}
