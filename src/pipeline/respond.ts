/**
 * Stage 6, respond: the accepted answer as JSON or as a relayed stream, with the gateway's headers
 * (DESIGN §3, a contract), and the error response for a request that failed.
 */
import { overheadMs, type RequestState } from "./state.ts";

/** Headers every answer carries, success or failure. */
export function gatewayHeaders(state: RequestState | undefined, requestId: string): Record<string, string> {
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (!state) return headers;
  headers["x-gateway-tier"] = state.tier;
  headers["x-gateway-attempts"] = String(state.attempts.count);
  headers["x-gateway-overhead-ms"] = overheadMs(state).toFixed(2);
  if (state.answered) headers["x-gateway-model"] = state.answered.target.ref;
  return headers;
}

export function jsonResponse(body: string, status: number, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { "content-type": "application/json", ...headers } });
}

export function streamResponse(stream: ReadableStream<Uint8Array>, headers: Record<string, string>): Response {
  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      ...headers,
    },
  });
}

/**
 * Answers that are the upstream's own (a passed-through attempt, `pass-through.ts`): the door's edge
 * returns them as they are. A mark on the object, not a header, so nothing of it reaches the client.
 */
const passedThrough = new WeakSet<Response>();

export function markPassedThrough(response: Response, mark: boolean): Response {
  if (mark) passedThrough.add(response);
  return response;
}

export const isPassedThrough = (response: Response): boolean => passedThrough.has(response);

/** A failed request's answer: the one mapping of errors to responses (`src/error-response.ts`). */
export { errorResponse } from "../error-response.ts";
