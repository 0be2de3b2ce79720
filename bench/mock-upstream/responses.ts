/**
 * OpenAI Responses wire format for the mock upstream (POST /v1/responses): the real API's answers,
 * stream events and errors, and the request checks it makes that a translation from chat completions
 * can get wrong (unknown parameters, `function_call` items keyed by `id` instead of `call_id`, outputs
 * whose call_id matches no call, role-specific content types, the `text.format` and tool nesting).
 */
import { isRecord, type MockServer, type Reply, type ReplyMeta, serveProtocol, type WireFormat } from "./protocol.ts";
import { errorPayload, statusError } from "./wire.ts";

const KNOWN_FIELDS = new Set([
  "model",
  "input",
  "instructions",
  "tools",
  "tool_choice",
  "max_output_tokens",
  "temperature",
  "top_p",
  "stream",
  "text",
  "reasoning",
  "store",
  "metadata",
  "parallel_tool_calls",
  "user",
  "previous_response_id",
  "include",
  "truncation",
  "background",
  "service_tier",
  "prompt",
  "prompt_cache_key",
  "safety_identifier",
  "max_tool_calls",
  "top_logprobs",
  "stream_options",
  "conversation",
]);
const PART_TYPES: Record<string, Set<string>> = {
  assistant: new Set(["output_text", "refusal"]),
  user: new Set(["input_text", "input_image", "input_file"]),
};

const invalid = (message: string, param: string | null = null, code: string | null = null) =>
  Response.json(errorPayload(message, "invalid_request_error", code, param), { status: 400 });

function checkItem(item: unknown, i: number, calls: Set<string>): Response | undefined {
  if (!isRecord(item)) return invalid(`Invalid type for 'input[${i}]': expected an object.`, `input[${i}]`);
  const type = item.type ?? "message";
  if (type === "function_call") {
    if (typeof item.call_id !== "string")
      return invalid(
        `Missing required parameter: 'input[${i}].call_id'.`,
        `input[${i}].call_id`,
        "missing_required_parameter",
      );
    if (item.id !== undefined && !String(item.id).startsWith("fc"))
      return invalid(
        `Invalid 'input[${i}].id': '${String(item.id)}'. Expected an ID that begins with 'fc'.`,
        `input[${i}].id`,
        "invalid_value",
      );
    calls.add(item.call_id);
  } else if (type === "function_call_output") {
    if (!calls.has(String(item.call_id)))
      return invalid(`No tool call found for function call output with call_id ${String(item.call_id)}.`, "input");
  } else if (type === "message") {
    const allowed = PART_TYPES[item.role === "assistant" ? "assistant" : "user"];
    if (!["user", "assistant", "system", "developer"].includes(String(item.role)))
      return invalid(`Invalid value: '${String(item.role)}'.`, `input[${i}].role`, "invalid_value");
    const parts = Array.isArray(item.content) ? item.content : [];
    for (const [j, part] of parts.entries()) {
      const partType = isRecord(part) ? String(part.type) : "";
      if (!allowed.has(partType))
        return invalid(
          `Invalid value: '${partType}'. Supported values are: ${[...allowed].map((t) => `'${t}'`).join(", ")}.`,
          `input[${i}].content[${j}]`,
          "invalid_value",
        );
    }
  }
  return undefined;
}

function validate(body: Record<string, unknown>): Response | undefined {
  for (const field of Object.keys(body))
    if (!KNOWN_FIELDS.has(field)) return invalid(`Unknown parameter: '${field}'.`, field, "unknown_parameter");
  if (typeof body.input !== "string" && !Array.isArray(body.input))
    return invalid("Missing required parameter: 'input'.", "input", "missing_required_parameter");
  const calls = new Set<string>();
  for (const [i, item] of (Array.isArray(body.input) ? body.input : []).entries()) {
    const problem = checkItem(item, i, calls);
    if (problem) return problem;
  }
  for (const [i, tool] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    if (isRecord(tool) && tool.type === "function" && typeof tool.name !== "string")
      return invalid(
        `Missing required parameter: 'tools[${i}].name'.`,
        `tools[${i}].name`,
        "missing_required_parameter",
      );
  }
  const format = isRecord(body.text) && isRecord(body.text.format) ? body.text.format : undefined;
  if (format?.type === "json_schema") {
    for (const key of ["name", "schema"])
      if (format[key] === undefined)
        return invalid(
          `Missing required parameter: 'text.format.${key}'.`,
          `text.format.${key}`,
          "missing_required_parameter",
        );
  }
  return undefined;
}

const outputTokens = (reply: Reply) => (reply.kind === "text" ? reply.chunks.length : reply.deltas.length);

function outputItem(meta: ReplyMeta, reply: Reply, done: boolean): Record<string, unknown> {
  const status = done ? "completed" : "in_progress";
  if (reply.kind === "tool") {
    return {
      type: "function_call",
      id: `fc_mock_${meta.n}`,
      call_id: `call_mock_${meta.n}`,
      name: reply.name,
      arguments: done ? reply.deltas.join("") : "",
      status,
    };
  }
  const content = done ? [{ type: "output_text", text: reply.chunks.join(""), annotations: [] }] : [];
  return { type: "message", id: `msg_mock_${meta.n}`, status, role: "assistant", content };
}

function response(
  meta: ReplyMeta,
  reply: Reply | undefined,
  status: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const hasOutput = reply !== undefined && !(reply.kind === "text" && reply.chunks.length === 0);
  const output = status === "completed" && hasOutput ? [outputItem(meta, reply, true)] : [];
  const used = reply ? outputTokens(reply) : 0;
  const usage =
    status === "in_progress"
      ? null
      : {
          input_tokens: meta.promptTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: used,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: meta.promptTokens + used,
        };
  return {
    id: `resp_mock_${meta.n}`,
    object: "response",
    created_at: meta.created,
    status,
    model: meta.model,
    output,
    usage,
    error: null,
    incomplete_details: null,
    ...extra,
  };
}

function streamEvents(meta: ReplyMeta, reply: Reply) {
  let seq = 0;
  const sse = (type: string, payload: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...payload })}\n\n`;
  const head = [
    sse("response.created", { response: response(meta, reply, "in_progress") }),
    sse("response.in_progress", { response: response(meta, reply, "in_progress") }),
  ];
  const completed = sse("response.completed", { response: response(meta, reply, "completed") });
  if (reply.kind === "text" && reply.chunks.length === 0) return { head, deltas: [], tail: [completed] };
  const item = outputItem(meta, reply, false);
  const at = { item_id: item.id, output_index: 0 };
  head.push(sse("response.output_item.added", { output_index: 0, item }));
  if (reply.kind === "tool") {
    return {
      head,
      deltas: reply.deltas.map((delta) => sse("response.function_call_arguments.delta", { ...at, delta })),
      tail: [
        sse("response.function_call_arguments.done", { ...at, arguments: reply.deltas.join("") }),
        sse("response.output_item.done", { output_index: 0, item: outputItem(meta, reply, true) }),
        completed,
      ],
    };
  }
  const text = reply.chunks.join("");
  head.push(
    sse("response.content_part.added", {
      ...at,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    }),
  );
  return {
    head,
    deltas: reply.chunks.map((delta) => sse("response.output_text.delta", { ...at, content_index: 0, delta })),
    tail: [
      sse("response.output_text.done", { ...at, content_index: 0, text }),
      sse("response.content_part.done", {
        ...at,
        content_index: 0,
        part: { type: "output_text", text, annotations: [] },
      }),
      sse("response.output_item.done", { output_index: 0, item: outputItem(meta, reply, true) }),
      completed,
    ],
  };
}

const failed = (meta: ReplyMeta, message: string) =>
  response(meta, undefined, "failed", { error: { code: "server_error", message } });

const responsesWire: WireFormat = {
  invalid: (message) => invalid(message),
  validate,
  statusError: (status, text, headers) => Response.json(statusError(status, text), { status, headers }),
  contextLengthError: () =>
    invalid(
      "Your input exceeds the context window of this model. Please adjust your input and try again.",
      "input",
      "context_length_exceeded",
    ),
  errorBody: failed,
  hasToolResult: (body) =>
    Array.isArray(body.input) && body.input.some((item) => isRecord(item) && item.type === "function_call_output"),
  complete: (meta, reply) => response(meta, reply, "completed"),
  stream: streamEvents,
  // An event type the gateway has no use for (real streams add new ones): it must be skipped, not waited on.
  ping: `event: response.mock_keepalive\ndata: ${JSON.stringify({ type: "response.mock_keepalive" })}\n\n`,
  errorEvent: (meta, text) =>
    `event: response.failed\ndata: ${JSON.stringify({ type: "response.failed", sequence_number: 99, response: failed(meta, text) })}\n\n`,
};

/** POST /v1/responses */
export function responsesApi(req: Request, server: MockServer): Promise<Response> {
  return serveProtocol(req, server, responsesWire);
}
