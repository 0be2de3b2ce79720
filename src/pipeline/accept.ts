/**
 * Stage 1, accept: the body is parsed and validated loosely. Only what the gateway reads is checked;
 * every other field is kept and forwarded as the client sent it.
 */
import { GatewayError } from "../errors.ts";
import type { ChatRequest } from "../plugin/types.ts";

const invalid = (message: string, param?: string) => new GatewayError("invalid_request", message, { param });

export function parseChatRequest(text: string): ChatRequest {
  if (text.trim() === "") throw invalid("The request body is empty: send a JSON chat completion request.");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalid(`The request body is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw invalid("The request body must be a JSON object.");
  const request = body as Record<string, unknown>;
  if (request.model === undefined) request.model = "auto";
  if (typeof request.model !== "string" || request.model.trim() === "") throw invalid("`model` must be a non-empty string (use \"auto\" to let the gateway choose).", "model");
  if (!Array.isArray(request.messages)) throw invalid("`messages` is required and must be an array of messages.", "messages");
  if (request.messages.length === 0) throw invalid("`messages` must contain at least one message.", "messages");
  request.messages.forEach((message, i) => {
    if (typeof message !== "object" || message === null || Array.isArray(message)) throw invalid(`messages[${i}] must be an object.`, `messages[${i}]`);
    if (typeof (message as { role?: unknown }).role !== "string") throw invalid(`messages[${i}].role must be a string.`, `messages[${i}].role`);
  });
  if (request.stream !== undefined && typeof request.stream !== "boolean") throw invalid("`stream` must be a boolean.", "stream");
  if (request.stream_options !== undefined && (typeof request.stream_options !== "object" || request.stream_options === null)) {
    throw invalid("`stream_options` must be an object.", "stream_options");
  }
  return request as ChatRequest;
}
