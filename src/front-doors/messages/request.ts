/**
 * Anthropic Messages request → the pipeline's chat request. System blocks become the system message,
 * text, image and document blocks content parts, `tool_use` blocks tool calls (ids kept) and
 * `tool_result` blocks tool messages placed before the turn's remaining text, as chat expects. What chat
 * cannot carry is dropped and noted, never refused: thinking blocks (their signatures only mean something
 * to the model that made them), and block types this door does not know yet. Server tools (`type` other
 * than custom) cannot run on a chat upstream: refused with a 400 naming the type.
 */
import type { ChatMessage, ChatRequest } from "../../plugin/types.ts";
import type { DoorRequest, Obj } from "../door.ts";
import { invalid, isObj, str } from "../values.ts";

type Part = Obj;

/** The chat content part for a user's text, image or document block; undefined for what chat cannot carry. */
function contentPart(block: Obj, where: string, notes: Set<string>): Part | undefined {
  if (block.type === "text") return { type: "text", text: str(block.text) ?? "" };
  const source = isObj(block.source) ? block.source : undefined;
  if (block.type === "image") {
    if (source?.type === "base64")
      return {
        type: "image_url",
        image_url: { url: `data:${str(source.media_type)};base64,${str(source.data) ?? ""}` },
      };
    if (source?.type === "url") return { type: "image_url", image_url: { url: str(source.url) ?? "" } };
    throw invalid(`${where}.source`, "an image needs a base64 or url source");
  }
  if (block.type === "document") {
    if (source?.type === "base64" && source.media_type === "application/pdf")
      return {
        type: "file",
        file: {
          filename: str(block.title) ?? "document.pdf",
          file_data: `data:application/pdf;base64,${str(source.data) ?? ""}`,
        },
      };
    if (source?.type === "text") return { type: "text", text: str(source.data) ?? "" };
    throw invalid(`${where}.source`, "a document needs a base64 PDF or a text source to be translated");
  }
  notes.add(`dropped ${String(block.type)} blocks (no chat counterpart)`);
  return undefined;
}

/** A tool result's content as the tool message's text (images in a tool result have no chat counterpart). */
function toolResultText(block: Obj, notes: Set<string>): string {
  const content = block.content;
  const text =
    typeof content === "string"
      ? content
      : Array.isArray(content)
        ? content
            .filter((b): b is Obj => isObj(b))
            .map((b) => {
              if (b.type === "text") return str(b.text) ?? "";
              notes.add(`dropped ${String(b.type)} blocks inside tool results`);
              return "";
            })
            .join("")
        : "";
  return block.is_error === true ? `[tool error] ${text}` : text;
}

function userTurn(content: unknown, where: string, notes: Set<string>): ChatMessage[] {
  if (typeof content === "string") return [{ role: "user", content }];
  if (!Array.isArray(content)) throw invalid(`${where}.content`, "must be a string or an array of content blocks");
  const tools: ChatMessage[] = [];
  const parts: Part[] = [];
  content.forEach((block, i) => {
    if (!isObj(block)) throw invalid(`${where}.content[${i}]`, "must be a content block object");
    if (block.type === "tool_result") {
      const id = str(block.tool_use_id);
      if (!id) throw invalid(`${where}.content[${i}].tool_use_id`, "a tool_result needs the id of its tool_use");
      tools.push({ role: "tool", tool_call_id: id, content: toolResultText(block, notes) });
      return;
    }
    const part = contentPart(block, `${where}.content[${i}]`, notes);
    if (part) parts.push(part);
  });
  const onlyText = parts.every((p) => p.type === "text");
  if (parts.length === 0) return tools;
  const message: ChatMessage = onlyText
    ? { role: "user", content: parts.map((p) => p.text as string).join("") }
    : { role: "user", content: parts as ChatMessage["content"] };
  return [...tools, message];
}

function assistantTurn(content: unknown, where: string, notes: Set<string>): ChatMessage {
  if (typeof content === "string") return { role: "assistant", content };
  if (!Array.isArray(content)) throw invalid(`${where}.content`, "must be a string or an array of content blocks");
  const text: string[] = [];
  const calls: Obj[] = [];
  content.forEach((block, i) => {
    if (!isObj(block)) throw invalid(`${where}.content[${i}]`, "must be a content block object");
    if (block.type === "text") text.push(str(block.text) ?? "");
    else if (block.type === "tool_use") {
      const input = isObj(block.input) ? block.input : {};
      calls.push({
        id: str(block.id) ?? `toolu_${i}`,
        type: "function",
        function: { name: str(block.name) ?? "", arguments: JSON.stringify(input) },
      });
    } else if (block.type === "thinking" || block.type === "redacted_thinking")
      notes.add("removed thinking blocks: their signatures are only valid for the model that wrote them");
    else notes.add(`dropped assistant ${String(block.type)} blocks (no chat counterpart)`);
  });
  const message: ChatMessage = { role: "assistant", content: text.length > 0 ? text.join("") : null };
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

function systemText(system: unknown): string | undefined {
  if (system === undefined) return undefined;
  if (typeof system === "string") return system;
  if (!Array.isArray(system)) throw invalid("system", "must be a string or an array of text blocks");
  return system
    .map((b, i) => {
      if (!isObj(b) || b.type !== "text") throw invalid(`system[${i}]`, "system blocks must be text blocks");
      return str(b.text) ?? "";
    })
    .join("\n\n");
}

function tools(list: unknown): Obj[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw invalid("tools", "must be an array");
  return list.map((tool, i) => {
    if (!isObj(tool)) throw invalid(`tools[${i}]`, "must be a tool object");
    if (tool.type !== undefined && tool.type !== "custom")
      throw invalid(
        `tools[${i}].type`,
        `server tool "${String(tool.type)}" cannot run on a chat upstream; only custom tools are translated`,
      );
    const name = str(tool.name);
    if (!name) throw invalid(`tools[${i}].name`, "a tool needs a name");
    const fn: Obj = { name, parameters: isObj(tool.input_schema) ? tool.input_schema : { type: "object" } };
    if (typeof tool.description === "string") fn.description = tool.description;
    return { type: "function", function: fn };
  });
}

function toolChoice(choice: unknown, chat: ChatRequest): void {
  if (!isObj(choice)) return;
  if (choice.type === "auto") chat.tool_choice = "auto";
  else if (choice.type === "any") chat.tool_choice = "required";
  else if (choice.type === "none") chat.tool_choice = "none";
  else if (choice.type === "tool") chat.tool_choice = { type: "function", function: { name: str(choice.name) ?? "" } };
  else throw invalid("tool_choice.type", `unknown tool_choice type "${String(choice.type)}"`);
  if (choice.disable_parallel_tool_use === true) chat.parallel_tool_calls = false;
}

/** Anthropic's thinking budget as the chat `reasoning_effort` other upstreams understand. */
export function effortOf(budget: number): "low" | "medium" | "high" {
  return budget < 4096 ? "low" : budget < 16384 ? "medium" : "high";
}

/** Whether the client asked to see the model's thinking (enabled, adaptive, or between tools; not omitted). */
export function thinkingAsked(request: Obj): boolean {
  const thinking = isObj(request.thinking) ? request.thinking : undefined;
  return thinking !== undefined && thinking.type !== "disabled" && thinking.display !== "omitted";
}

/**
 * The chat `reasoning_effort` for the request: `output_config.effort` when given (`xhigh` and `max`,
 * which chat has not, as `high`), else from an `enabled` thinking budget, else `medium` for adaptive thinking.
 */
function reasoningEffort(body: Obj): string | undefined {
  const effort = isObj(body.output_config) ? str(body.output_config.effort) : undefined;
  if (effort) return effort === "xhigh" || effort === "max" ? "high" : effort;
  const thinking = isObj(body.thinking) ? body.thinking : undefined;
  if (thinking?.type === "enabled" && typeof thinking.budget_tokens === "number")
    return effortOf(thinking.budget_tokens);
  if (thinking?.type === "adaptive" || thinking?.type === "between_tools") return "medium";
  return undefined;
}

/** `output_config.format` (a JSON schema the answer must follow) as chat's `response_format`. */
function responseFormat(body: Obj): Obj | undefined {
  const format = isObj(body.output_config) && isObj(body.output_config.format) ? body.output_config.format : undefined;
  if (format?.type !== "json_schema" || !isObj(format.schema)) return undefined;
  return { type: "json_schema", json_schema: { name: "output", schema: format.schema, strict: true } };
}

export function messagesToChat(body: Obj, headers?: Headers): DoorRequest {
  const model = str(body.model);
  if (!model) throw invalid("model", 'Field required (a model, a tier or "auto")');
  if (typeof body.max_tokens !== "number" || body.max_tokens < 1)
    throw invalid("max_tokens", "Field required (a positive number)");
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw invalid("messages", "Field required (at least one message)");
  const notes = new Set<string>();
  const messages: ChatMessage[] = [];
  const system = systemText(body.system);
  if (system !== undefined) messages.push({ role: "system", content: system });
  body.messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    if (!isObj(m)) throw invalid(where, "must be a message object");
    if (m.role === "user") messages.push(...userTurn(m.content, where, notes));
    else if (m.role === "assistant") messages.push(assistantTurn(m.content, where, notes));
    else throw invalid(`${where}.role`, `must be "user" or "assistant", got ${JSON.stringify(m.role)}`);
  });
  const chat: ChatRequest = { model, messages, max_tokens: body.max_tokens };
  if (body.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true }; // message_delta reports the usage
  }
  if (Array.isArray(body.stop_sequences)) chat.stop = body.stop_sequences;
  if (typeof body.temperature === "number") chat.temperature = body.temperature;
  if (typeof body.top_p === "number") chat.top_p = body.top_p;
  // Anthropic's own fields reach an Anthropic upstream as sent; any other upstream does without them.
  const native: Obj = {};
  if (typeof body.top_k === "number") native.top_k = body.top_k;
  // Extended thinking with tool use needs the earlier thinking blocks sent back signed; once they were
  // removed (above), asking for thinking again would be refused, so the upstream answers without it.
  const removedThinking = [...notes].some((n) => n.startsWith("removed thinking"));
  if (isObj(body.thinking) && !removedThinking) native.thinking = body.thinking;
  if (isObj(body.output_config)) native.output_config = body.output_config;
  // Beta features the client opted into: only an Anthropic upstream gets the header (the provider sets it).
  const beta = headers?.get("anthropic-beta");
  if (beta) native.anthropic_beta = beta;
  if (Object.keys(native).length > 0) chat.native = { anthropic: native };
  const fnTools = tools(body.tools);
  if (fnTools && fnTools.length > 0) chat.tools = fnTools;
  toolChoice(body.tool_choice, chat);
  const effort = reasoningEffort(body);
  if (effort) chat.reasoning_effort = effort;
  const format = responseFormat(body);
  if (format) chat.response_format = format;
  const metadata = isObj(body.metadata) ? body.metadata : undefined;
  if (typeof metadata?.user_id === "string") chat.user = metadata.user_id;
  return { chat, notes: [...notes] };
}
