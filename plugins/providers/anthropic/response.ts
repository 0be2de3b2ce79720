/** Anthropic Messages response → OpenAI chat.completion, and the pieces the stream parser shares. */

import type { Usage } from "../../../src/index.ts";
import {
  errorObject,
  isObj,
  notProtocol,
  nowSeconds,
  num,
  type Obj,
  objs,
  str,
  usageOf,
} from "../shared/openai-chat.ts";

const FINISH_REASONS: Record<string, string> = {
  end_turn: "stop",
  stop_sequence: "stop",
  // A server tool loop paused by Anthropic: the answer so far is complete as far as the client can act.
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

export function finishReason(stopReason: unknown): string {
  return FINISH_REASONS[str(stopReason) ?? ""] ?? "stop";
}

/** Anthropic's `input_tokens` excludes cached tokens; OpenAI's `prompt_tokens` includes them. */
export function anthropicUsage(usage: Obj): Usage {
  const cacheRead = num(usage.cache_read_input_tokens) ?? 0;
  const written = num(usage.cache_creation_input_tokens) ?? 0;
  const prompt = (num(usage.input_tokens) ?? 0) + written + cacheRead;
  const mapped = usageOf(prompt, num(usage.output_tokens) ?? 0, cacheRead);
  // Cache writes are billed above input, the 1-hour TTL above the 5-minute one: kept apart for the cost.
  const byTtl = isObj(usage.cache_creation) ? usage.cache_creation : {};
  const write1h = num(byTtl.ephemeral_1h_input_tokens) ?? 0;
  const long = Math.min(write1h, written);
  if (written > 0)
    mapped.prompt_tokens_details = {
      cached_tokens: cacheRead,
      cache_write_tokens: written - long,
      ...(long > 0 ? { cache_write_1h_tokens: long } : {}),
    };
  return mapped;
}

/** `{type:"error", error:{type, message}}` (a body or a stream event) in OpenAI's error shape. */
export function anthropicError(body: Obj): { error: Obj } {
  const error = isObj(body.error) ? body.error : {};
  const type = str(error.type) ?? "api_error";
  return errorObject(str(error.message) ?? JSON.stringify(body).slice(0, 500), type, type);
}

/** Cuts up to `count` leading whitespace characters: what was trimmed from a prefill (see prefillWhitespace). */
export function stripLeadingWhitespace(text: string, count: number): string {
  let i = 0;
  while (i < count && i < text.length && /\s/.test(text[i])) i++;
  return text.slice(i);
}

/** `strip`: whitespace trimmed from the request's prefill, cut again from the continuation's start. */
export function fromAnthropicMessage(body: unknown, strip = 0): Obj {
  if (isObj(body) && body.type === "error") return anthropicError(body);
  if (!isObj(body) || !Array.isArray(body.content)) return notProtocol("an Anthropic message", body);
  let text = "";
  let reasoning = "";
  const toolCalls: Obj[] = [];
  for (const block of objs(body.content)) {
    if (block.type === "text") text += stripLeadingWhitespace(str(block.text) ?? "", text === "" ? strip : 0);
    else if (block.type === "thinking") reasoning += str(block.thinking) ?? "";
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: str(block.id) ?? "",
        type: "function",
        function: { name: str(block.name) ?? "", arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  // OpenAI's convention: content is null when the answer is only tool calls.
  const message: Obj = { role: "assistant", content: text === "" && toolCalls.length > 0 ? null : text };
  if (reasoning !== "") message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const completion: Obj = {
    id: str(body.id) ?? "",
    object: "chat.completion",
    created: nowSeconds(),
    model: str(body.model) ?? "",
    choices: [{ index: 0, message, finish_reason: finishReason(body.stop_reason), logprobs: null }],
  };
  if (isObj(body.usage)) completion.usage = anthropicUsage(body.usage);
  return completion;
}
