/**
 * Stage 1, accept: the body is parsed and its shape checked. Nesting is bounded before parsing; then
 * the fields of the chat schema are checked (chat-shape.ts) so a request every upstream would refuse is
 * the client's 400, never a failover. Every other field is kept and forwarded as the client sent it.
 */
import { GatewayError } from "../errors.ts";
import type { ChatRequest } from "../plugin/types.ts";
import { checkMessages, checkRanges, checkTools } from "./chat-shape.ts";
import { nestsDeeperThan } from "./json-depth.ts";

/** What accepting a body depends on in the config. */
export interface AcceptLimits {
  /** Deepest JSON nesting accepted (`limits.maxJsonDepth`, default 64). */
  maxJsonDepth: number;
}

const DEFAULT_LIMITS: AcceptLimits = { maxJsonDepth: 64 };

const invalid = (message: string, param?: string) => new GatewayError("invalid_request", message, { param });

/** A request body as a JSON object (every endpoint's first check), or a 400 saying what is wrong. */
export function parseJsonObject(text: string, limits: AcceptLimits): Record<string, unknown> {
  if (text.trim() === "") throw invalid("The request body is empty: send a JSON object.");
  // Before JSON.parse: a deep body must never reach its recursion (nor ours, nor a re-serialisation).
  if (nestsDeeperThan(text, limits.maxJsonDepth))
    throw invalid(`The request body nests JSON deeper than ${limits.maxJsonDepth} levels (limits.maxJsonDepth).`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalid(`The request body is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw invalid("The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** Parses and checks a chat completion request body; throws `invalid_request` (400) naming the field at fault. */
export function parseChatRequest(text: string, limits: AcceptLimits = DEFAULT_LIMITS): ChatRequest {
  const request = parseJsonObject(text, limits);
  if (request.model === undefined) request.model = "auto";
  if (typeof request.model !== "string" || request.model.trim() === "")
    throw invalid('`model` must be a non-empty string (use "auto" to let the gateway choose).', "model");
  checkMessages(request.messages);
  if (request.stream !== undefined && typeof request.stream !== "boolean")
    throw invalid("`stream` must be a boolean.", "stream");
  if (
    request.stream_options !== undefined &&
    (typeof request.stream_options !== "object" || request.stream_options === null)
  ) {
    throw invalid("`stream_options` must be an object.", "stream_options");
  }
  checkTools(request.tools);
  checkRanges(request);
  return request as ChatRequest;
}
