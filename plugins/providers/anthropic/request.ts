/**
 * OpenAI chat request → Anthropic Messages request. Only what Anthropic understands is sent: it rejects
 * unknown fields ("Extra inputs are not permitted"), so OpenAI-only fields are dropped, not forwarded.
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
  parseDataUri,
  str,
  toolCallsOf,
  toolChoiceOf,
} from "../shared/openai-chat.ts";

type Block = Obj;
interface Turn {
  role: "user" | "assistant";
  content: Block[];
}

/** Anthropic-native fields passed through when an adapter (e.g. `modelParams`) sets them for this target. */
const NATIVE_FIELDS = ["top_k", "thinking", "output_config"] as const;

function textBlock(text: string, part?: Obj): Block | undefined {
  // Anthropic refuses empty and whitespace-only text blocks; they carry nothing anyway.
  if (text.trim() === "") return undefined;
  return part && isObj(part.cache_control)
    ? { type: "text", text, cache_control: part.cache_control }
    : { type: "text", text };
}

function imageBlock(part: Obj): Block | undefined {
  const image = isObj(part.image_url) ? part.image_url : undefined;
  const url = str(image?.url) ?? str(part.image_url);
  if (!url) return undefined;
  const inline = parseDataUri(url);
  const source = inline ? { type: "base64", media_type: inline.mediaType, data: inline.data } : { type: "url", url };
  return { type: "image", source };
}

/** An inline PDF (`file.file_data` as a data URI) becomes a document block; uploaded file ids have no counterpart. */
function fileBlock(part: Obj): Block | undefined {
  const file = isObj(part.file) ? part.file : undefined;
  const inline = parseDataUri(str(file?.file_data) ?? "");
  return inline?.mediaType === "application/pdf"
    ? { type: "document", source: { type: "base64", media_type: inline.mediaType, data: inline.data } }
    : undefined;
}

function contentBlocks(content: unknown): Block[] {
  if (typeof content === "string") return [textBlock(content)].filter((b): b is Block => b !== undefined);
  const blocks: Block[] = [];
  for (const part of objs(content)) {
    let block: Block | undefined;
    if (part.type === "text") block = textBlock(str(part.text) ?? "", part);
    else if (part.type === "image_url") block = imageBlock(part);
    else if (part.type === "file") block = fileBlock(part);
    if (block) blocks.push(block);
  }
  return blocks;
}

/** Arguments are JSON text in OpenAI and an object in Anthropic; anything else cannot be sent as `input`. */
function toolInput(args: string): Obj {
  try {
    const parsed: unknown = JSON.parse(args);
    return isObj(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function messageBlocks(message: ChatMessage): Block[] {
  if (message.role === "tool") {
    const content = typeof message.content === "string" ? message.content : contentBlocks(message.content);
    return [{ type: "tool_result", tool_use_id: str(message.tool_call_id) ?? "", content }];
  }
  const blocks = contentBlocks(message.content);
  if (message.role === "assistant") {
    for (const call of toolCallsOf(message))
      blocks.push({ type: "tool_use", id: call.id, name: call.name, input: toolInput(call.arguments) });
  }
  return blocks;
}

/**
 * The whitespace at the end of a trailing assistant message (a prefill). Anthropic refuses it ("final
 * assistant content cannot end with trailing whitespace"), so it is cut from the request, and the stream
 * parser cuts as much leading whitespace from the continuation: the client sees the text it expects.
 */
export function prefillWhitespace(messages: ChatMessage[]): string {
  const last = messages.at(-1);
  if (last?.role !== "assistant" || toolCallsOf(last).length > 0) return "";
  return /\s*$/.exec(contentText(last.content))?.[0] ?? "";
}

function trimTrailingAssistant(turns: Turn[]): void {
  const last = turns.at(-1);
  if (last?.role !== "assistant") return;
  const block = last.content.at(-1);
  if (block?.type !== "text" || typeof block.text !== "string") return;
  const text = block.text.trimEnd();
  if (text !== "") last.content[last.content.length - 1] = { ...block, text };
  else last.content.pop();
  if (last.content.length === 0) turns.pop();
}

/** System text and alternating turns: consecutive same-role messages merged, tool results in user turns. */
function toAnthropicMessages(messages: ChatMessage[]): { system: string[]; turns: Turn[] } {
  const system: string[] = [];
  const turns: Turn[] = [];
  for (const message of messages) {
    if (message.role === "system" || message.role === "developer") {
      const text = contentText(message.content);
      if (text.trim() !== "") system.push(text);
      continue;
    }
    const role = message.role === "assistant" ? "assistant" : "user";
    const blocks = messageBlocks(message);
    if (blocks.length === 0) continue;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  if (messages.at(-1)?.role === "assistant") trimTrailingAssistant(turns);
  return { system, turns };
}

function toolChoice(body: ChatRequest): Obj | undefined {
  const choice = toolChoiceOf(body.tool_choice);
  let out: Obj | undefined;
  if (choice && "name" in choice) out = { type: "tool", name: choice.name };
  else if (choice) out = { type: choice.mode === "required" ? "any" : choice.mode };
  if (body.parallel_tool_calls === false && out?.type !== "none")
    out = { type: "auto", ...out, disable_parallel_tool_use: true };
  return out;
}

/** The Anthropic Messages body for `model` from an (adapted) OpenAI chat body. */
export function toAnthropicBody(body: ChatRequest, model: string, defaultMaxTokens: number): Obj {
  const { system, turns } = toAnthropicMessages(Array.isArray(body.messages) ? body.messages : []);
  const out: Obj = { model, max_tokens: maxTokensOf(body) ?? defaultMaxTokens, messages: turns };
  if (system.length > 0) out.system = system.join("\n\n");
  const temperature = num(body.temperature);
  // OpenAI's range is 0-2, Anthropic's 0-1 (it refuses more): a client that does not know which
  // provider answers gets the closest accepted value rather than a 400.
  if (temperature !== undefined) out.temperature = Math.min(1, Math.max(0, temperature));
  if (num(body.top_p) !== undefined) out.top_p = body.top_p;
  const stop =
    typeof body.stop === "string"
      ? [body.stop]
      : Array.isArray(body.stop)
        ? body.stop.filter((s) => typeof s === "string")
        : [];
  if (stop.length > 0) out.stop_sequences = stop;
  if (body.stream === true) out.stream = true;
  if (typeof body.user === "string" && body.user !== "") out.metadata = { user_id: body.user };
  const tools = functionTools(body.tools);
  if (tools.length > 0) {
    out.tools = tools.map((t) => ({
      name: t.name,
      ...(t.description ? { description: t.description } : {}),
      input_schema: t.parameters ?? { type: "object", properties: {} },
    }));
    const choice = toolChoice(body);
    if (choice) out.tool_choice = choice;
  }
  for (const field of NATIVE_FIELDS) if (body[field] !== undefined) out[field] = body[field];
  return out;
}
