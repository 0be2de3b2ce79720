/**
 * The pipeline's chat.completion → an Anthropic Message: reasoning as a thinking block (only when the
 * client asked for thinking), the text, tool calls as `tool_use` blocks with their ids and parsed input,
 * the finish reason as `stop_reason`, and usage in Anthropic's convention (input without cache reads).
 */
import type { Obj } from "../door.ts";
import { isObj, str } from "../values.ts";
import { thinkingAsked } from "./request.ts";

export const STOP_REASONS: Record<string, string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  function_call: "tool_use",
  content_filter: "refusal",
};

/** A tool call's arguments as the input object Anthropic clients expect ({} for none or unparsable). */
export function toolInput(args: string): Obj {
  if (args.trim() === "") return {};
  try {
    const parsed = JSON.parse(args);
    return isObj(parsed) ? parsed : { value: parsed };
  } catch {
    return {};
  }
}

/** Chat usage in Anthropic's terms: `input_tokens` excludes cache reads, which are counted apart. */
export function messagesUsage(usage: unknown): Obj {
  if (!isObj(usage)) return { input_tokens: 0, output_tokens: 0 };
  const prompt = typeof usage.prompt_tokens === "number" ? usage.prompt_tokens : 0;
  const details = isObj(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const cached = typeof details.cached_tokens === "number" ? details.cached_tokens : 0;
  const out: Obj = {
    input_tokens: Math.max(0, prompt - cached),
    output_tokens: typeof usage.completion_tokens === "number" ? usage.completion_tokens : 0,
  };
  if (cached > 0) out.cache_read_input_tokens = cached;
  return out;
}

export const messageId = (chatId: unknown): string => `msg_${str(chatId)?.replace(/^chatcmpl-/, "") ?? "gateway"}`;

export function chatToMessage(completion: Obj, request: Obj): Obj {
  const choice = Array.isArray(completion.choices) && isObj(completion.choices[0]) ? completion.choices[0] : {};
  const message = isObj(choice.message) ? choice.message : {};
  const content: Obj[] = [];
  const reasoning = str(message.reasoning_content) ?? str(message.reasoning);
  if (reasoning && thinkingAsked(request)) content.push({ type: "thinking", thinking: reasoning, signature: "" });
  const text = str(message.content);
  if (text) content.push({ type: "text", text, citations: null });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isObj(call) || !isObj(call.function)) continue;
    content.push({
      type: "tool_use",
      id: str(call.id) ?? "",
      name: str(call.function.name) ?? "",
      input: toolInput(str(call.function.arguments) ?? ""),
      caller: { type: "direct" },
    });
  }
  return {
    id: messageId(completion.id),
    type: "message",
    role: "assistant",
    model: str(completion.model) ?? str(request.model) ?? "",
    content,
    stop_reason: STOP_REASONS[str(choice.finish_reason) ?? "stop"] ?? "end_turn",
    stop_sequence: null,
    usage: messagesUsage(completion.usage),
  };
}
