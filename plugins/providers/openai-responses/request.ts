/**
 * OpenAI chat request → OpenAI Responses request. The Responses API refuses parameters it does not know
 * ("Unknown parameter"), so chat-only fields (`n`, `stop`, `seed`, penalties, `logit_bias`, ...) are left
 * out rather than forwarded.
 */
import type { ChatMessage, ChatRequest } from "../../../src/index.ts";
import {
  contentText,
  functionTools,
  isObj,
  maxTokensOf,
  num,
  type Obj,
  objs,
  str,
  toolCallsOf,
  toolChoiceOf,
} from "../shared/openai-chat.ts";

/** Fields with the same name and meaning in both APIs. */
const SHARED_FIELDS = [
  "parallel_tool_calls",
  "metadata",
  "user",
  "safety_identifier",
  "prompt_cache_key",
  "service_tier",
] as const;

function inputPart(part: Obj): Obj | undefined {
  if (part.type === "text") return typeof part.text === "string" ? { type: "input_text", text: part.text } : undefined;
  if (part.type === "image_url") {
    const image = isObj(part.image_url) ? part.image_url : {};
    const url = str(image.url) ?? str(part.image_url);
    return url ? { type: "input_image", image_url: url, detail: str(image.detail) ?? "auto" } : undefined;
  }
  if (part.type === "file" && isObj(part.file)) {
    const { file_id, file_data, filename } = part.file;
    return {
      type: "input_file",
      ...(file_id ? { file_id } : {}),
      ...(file_data ? { file_data } : {}),
      ...(filename ? { filename } : {}),
    };
  }
  return undefined; // input_audio has no Responses counterpart
}

function userContent(content: unknown): Obj[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "input_text", text: content }];
  return objs(content)
    .map(inputPart)
    .filter((p): p is Obj => p !== undefined);
}

function assistantContent(message: ChatMessage): Obj[] {
  const parts: Obj[] = [];
  const text = contentText(message.content);
  if (text !== "") parts.push({ type: "output_text", text, annotations: [] });
  const refusal = str(message.refusal) ?? objs(message.content).find((p) => p.type === "refusal")?.refusal;
  if (typeof refusal === "string" && refusal !== "") parts.push({ type: "refusal", refusal });
  return parts;
}

/** `instructions` and `input` items. Tool calls carry their id as `call_id`, the key their outputs match. */
function toResponsesInput(messages: ChatMessage[]): { instructions: string[]; input: Obj[] } {
  const instructions: string[] = [];
  const input: Obj[] = [];
  for (const message of messages) {
    if (message.role === "system" || message.role === "developer") {
      const text = contentText(message.content);
      if (text.trim() !== "") instructions.push(text);
    } else if (message.role === "assistant") {
      const content = assistantContent(message);
      if (content.length > 0) input.push({ type: "message", role: "assistant", content });
      for (const call of toolCallsOf(message))
        input.push({ type: "function_call", call_id: call.id, name: call.name, arguments: call.arguments });
    } else if (message.role === "tool") {
      const output = typeof message.content === "string" ? message.content : contentText(message.content);
      input.push({ type: "function_call_output", call_id: str(message.tool_call_id) ?? "", output });
    } else {
      const content = userContent(message.content);
      if (content.length > 0) input.push({ type: "message", role: "user", content });
    }
  }
  return { instructions, input };
}

function toolChoice(choice: unknown): unknown {
  const mapped = toolChoiceOf(choice);
  if (!mapped) return undefined;
  return "name" in mapped ? { type: "function", name: mapped.name } : mapped.mode;
}

/** `response_format` → `text.format`: the json_schema's fields move up one level. */
function textFormat(format: unknown): Obj | undefined {
  if (!isObj(format)) return undefined;
  if (format.type === "text" || format.type === "json_object") return { type: format.type };
  if (format.type !== "json_schema" || !isObj(format.json_schema)) return undefined;
  const { name, schema, strict, description } = format.json_schema;
  return {
    type: "json_schema",
    name,
    schema,
    ...(strict !== undefined ? { strict } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

/** The Responses body for `model` from an (adapted) OpenAI chat body. */
export function toResponsesBody(body: ChatRequest, model: string): Obj {
  const { instructions, input } = toResponsesInput(Array.isArray(body.messages) ? body.messages : []);
  // Chat completions are not stored unless asked; the Responses API stores by default.
  const out: Obj = { model, input, store: body.store === true };
  if (instructions.length > 0) out.instructions = instructions.join("\n\n");
  const maxTokens = maxTokensOf(body);
  if (maxTokens !== undefined) out.max_output_tokens = maxTokens;
  if (num(body.temperature) !== undefined) out.temperature = body.temperature;
  if (num(body.top_p) !== undefined) out.top_p = body.top_p;
  if (body.stream === true) out.stream = true;
  const tools = functionTools(body.tools);
  if (tools.length > 0) {
    // Responses makes function tools strict unless told otherwise; chat completions does the opposite,
    // and a schema written for chat (optional properties) would be refused in strict mode.
    out.tools = tools.map((t) => ({
      type: "function",
      name: t.name,
      description: t.description,
      parameters: t.parameters ?? { type: "object", properties: {} },
      strict: t.strict ?? false,
    }));
    const choice = toolChoice(body.tool_choice);
    if (choice !== undefined) out.tool_choice = choice;
  }
  const text: Obj = {};
  const format = textFormat(body.response_format);
  if (format) text.format = format;
  if (typeof body.verbosity === "string") text.verbosity = body.verbosity;
  if (Object.keys(text).length > 0) out.text = text;
  if (typeof body.reasoning_effort === "string") out.reasoning = { effort: body.reasoning_effort };
  for (const field of SHARED_FIELDS) if (body[field] !== undefined) out[field] = body[field];
  return out;
}
