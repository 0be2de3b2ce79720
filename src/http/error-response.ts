import type { GatewayError } from "../errors.ts";

/** A `GatewayError` as its HTTP response: OpenAI's error shape, its status and its own headers. */
export function errorResponse(error: GatewayError, extraHeaders: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(error), { status: error.status, headers: { "content-type": "application/json", ...error.headers(), ...extraHeaders } });
}
