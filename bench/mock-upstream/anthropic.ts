/**
 * Anthropic Messages wire format for the mock upstream (POST /v1/messages): the real API's answers,
 * stream events and errors, and the request checks it makes that a protocol translation can get wrong
 * (auth and version headers, max_tokens, roles, content shapes, fields it does not know, trailing
 * whitespace in a prefill, tool results without their tool use).
 */
import { isRecord, type MockServer, type Reply, type ReplyMeta, serveProtocol, type WireFormat } from "./protocol.ts";

const KNOWN_FIELDS = new Set([
  "model",
  "messages",
  "max_tokens",
  "system",
  "metadata",
  "stop_sequences",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "tools",
  "tool_choice",
  "thinking",
  "service_tier",
  "container",
  "mcp_servers",
  "context_management",
]);

function error(status: number, type: string, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ type: "error", error: { type, message } }, { status, headers });
}

const invalid = (message: string) => error(400, "invalid_request_error", message);

function statusType(status: number): string {
  if (status === 429) return "rate_limit_error";
  if (status === 529 || status === 503) return "overloaded_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  return status >= 500 ? "api_error" : "invalid_request_error";
}

const blocksOf = (content: unknown): Record<string, unknown>[] =>
  Array.isArray(content) ? content.filter(isRecord) : [];
const textOf = (content: unknown): string =>
  typeof content === "string"
    ? content
    : blocksOf(content)
        .map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : ""))
        .join("");

function checkMessage(message: unknown, i: number, previousToolUses: Set<string>, last: boolean): string | undefined {
  if (!isRecord(message)) return `messages.${i}: Input should be a valid dictionary`;
  if (message.role === "system")
    return `messages: Unexpected role "system". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`;
  if (message.role !== "user" && message.role !== "assistant")
    return `messages.${i}.role: Input should be 'user' or 'assistant'`;
  const content = message.content;
  if (
    typeof content !== "string" &&
    !(Array.isArray(content) && content.every((b) => isRecord(b) && typeof b.type === "string"))
  ) {
    return `messages.${i}.content: Input should be a valid string or a list of content blocks`;
  }
  for (const [j, block] of blocksOf(content).entries()) {
    if (block.type === "text" && (typeof block.text !== "string" || block.text.trim() === ""))
      return `messages.${i}.content.${j}: text content blocks must contain non-whitespace text`;
    if (
      block.type === "image" &&
      !(isRecord(block.source) && (block.source.type === "base64" || block.source.type === "url"))
    )
      return `messages.${i}.content.${j}.source: Input tag does not match any of the expected tags: 'base64', 'url'`;
    if (block.type === "tool_result" && !previousToolUses.has(String(block.tool_use_id))) {
      return `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
  }
  if (last && message.role === "assistant" && /\s$/.test(textOf(content)))
    return "messages: final assistant content cannot end with trailing whitespace";
  return undefined;
}

function validate(body: Record<string, unknown>, headers: Headers): Response | undefined {
  if (!headers.get("x-api-key")) return error(401, "authentication_error", "x-api-key header is required");
  if (!headers.get("anthropic-version")) return invalid("anthropic-version: header is required");
  for (const field of Object.keys(body))
    if (!KNOWN_FIELDS.has(field)) return invalid(`${field}: Extra inputs are not permitted`);
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1)
    return invalid("max_tokens: Field required");
  if (!Array.isArray(body.messages)) return invalid("messages: Field required");
  let toolUses = new Set<string>();
  for (const [i, message] of body.messages.entries()) {
    const problem = checkMessage(message, i, toolUses, i === body.messages.length - 1);
    if (problem) return invalid(problem);
    toolUses = new Set(
      blocksOf((message as Record<string, unknown>).content)
        .filter((b) => b.type === "tool_use")
        .map((b) => String(b.id)),
    );
  }
  return undefined;
}

const sse = (type: string, payload: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
const toolId = (meta: ReplyMeta) => `toolu_mock_${meta.n}`;
const outputTokens = (reply: Reply) => (reply.kind === "text" ? reply.chunks.length : reply.deltas.length);

function message(meta: ReplyMeta, content: unknown[], stopReason: string | null, output: number) {
  return {
    id: `msg_mock_${meta.n}`,
    type: "message",
    role: "assistant",
    model: meta.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: meta.promptTokens, output_tokens: output },
  };
}

const anthropicWire: WireFormat = {
  invalid,
  validate,
  statusError: (status, text, headers) =>
    error(
      status,
      statusType(status),
      text ?? (status === 529 ? "Overloaded" : `Mock upstream error ${status}`),
      headers,
    ),
  contextLengthError: () => invalid("prompt is too long: 210000 tokens > 200000 maximum"),
  errorBody: (_meta, text) => ({ type: "error", error: { type: "overloaded_error", message: text } }),
  prefill(body) {
    const last = Array.isArray(body.messages) ? body.messages.at(-1) : undefined;
    return isRecord(last) && last.role === "assistant" ? textOf(last.content) : undefined;
  },
  hasToolResult: (body) =>
    Array.isArray(body.messages) &&
    body.messages.some((m) => isRecord(m) && blocksOf(m.content).some((b) => b.type === "tool_result")),
  complete(meta, reply) {
    if (reply.kind === "tool")
      return message(
        meta,
        [{ type: "tool_use", id: toolId(meta), name: reply.name, input: { city: "Paris" } }],
        "tool_use",
        outputTokens(reply),
      );
    const text = reply.chunks.join("");
    return message(meta, text === "" ? [] : [{ type: "text", text }], "end_turn", outputTokens(reply));
  },
  stream(meta, reply) {
    const start = sse("message_start", { message: { ...message(meta, [], null, 1) } });
    const stop = [sse("content_block_stop", { index: 0 })];
    const end = (reason: string) => [
      sse("message_delta", {
        delta: { stop_reason: reason, stop_sequence: null },
        usage: { output_tokens: outputTokens(reply) },
      }),
      sse("message_stop", {}),
    ];
    if (reply.kind === "tool") {
      return {
        head: [
          start,
          sse("content_block_start", {
            index: 0,
            content_block: { type: "tool_use", id: toolId(meta), name: reply.name, input: {} },
          }),
        ],
        deltas: reply.deltas.map((partial_json) =>
          sse("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json } }),
        ),
        tail: [...stop, ...end("tool_use")],
      };
    }
    // An empty answer has no content block at all, as the real API sends it.
    if (reply.chunks.length === 0) return { head: [start, sse("ping", {})], deltas: [], tail: end("end_turn") };
    return {
      head: [
        start,
        sse("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
        sse("ping", {}),
      ],
      deltas: reply.chunks.map((text) => sse("content_block_delta", { index: 0, delta: { type: "text_delta", text } })),
      tail: [...stop, ...end("end_turn")],
    };
  },
  errorEvent: (_meta, text) => sse("error", { error: { type: "overloaded_error", message: text } }),
  ping: sse("ping", {}),
};

/** POST /v1/messages */
export function anthropicMessages(req: Request, server: MockServer): Promise<Response> {
  return serveProtocol(req, server, anthropicWire);
}
