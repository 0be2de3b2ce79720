/** OpenAI Responses response → OpenAI chat.completion, and the pieces the stream parser shares. */

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

export function responsesUsage(usage: Obj): Usage {
  const cached = isObj(usage.input_tokens_details) ? num(usage.input_tokens_details.cached_tokens) : undefined;
  const reasoning = isObj(usage.output_tokens_details) ? num(usage.output_tokens_details.reasoning_tokens) : undefined;
  return usageOf(num(usage.input_tokens) ?? 0, num(usage.output_tokens) ?? 0, cached, reasoning);
}

/** `status` and `incomplete_details` → finish_reason; a completed answer with calls ends in "tool_calls". */
export function finishReason(response: Obj, hasToolCalls: boolean): string {
  if (response.status === "incomplete") {
    const reason = isObj(response.incomplete_details) ? response.incomplete_details.reason : undefined;
    return reason === "content_filter" ? "content_filter" : "length";
  }
  return hasToolCalls ? "tool_calls" : "stop";
}

/** A failed response's `error: {code, message}` (or an `error` stream event) in OpenAI's chat error shape. */
export function responsesError(error: Obj): { error: Obj } {
  const nested = isObj(error.error) ? error.error : error;
  const code = str(nested.code) ?? str(nested.type);
  return errorObject(
    str(nested.message) ?? JSON.stringify(error).slice(0, 500),
    str(nested.type) ?? "server_error",
    code,
  );
}

/** Reasoning summaries (or, for models that expose it, reasoning text), parts separated by a blank line. */
function reasoningText(item: Obj): string {
  const parts = objs(item.summary).length > 0 ? objs(item.summary) : objs(item.content);
  return parts
    .map((part) => str(part.text) ?? "")
    .filter((t) => t !== "")
    .join("\n\n");
}

export function fromResponse(body: unknown): Obj {
  if (!isObj(body)) return notProtocol("a Responses object", body);
  if (isObj(body.error)) return responsesError(body.error);
  if (body.status === "failed") return errorObject("the upstream response failed", "server_error", "response_failed");
  if (!Array.isArray(body.output)) return notProtocol("a Responses object", body);
  let text = "";
  let refusal = "";
  const reasoning: string[] = [];
  const toolCalls: Obj[] = [];
  for (const item of objs(body.output)) {
    if (item.type === "message") {
      for (const part of objs(item.content)) {
        if (part.type === "output_text") text += str(part.text) ?? "";
        else if (part.type === "refusal") refusal += str(part.refusal) ?? "";
      }
    } else if (item.type === "function_call") {
      // `call_id` is what the client must send back as `tool_call_id`; `id` is the item's own id.
      toolCalls.push({
        id: str(item.call_id) ?? "",
        type: "function",
        function: { name: str(item.name) ?? "", arguments: str(item.arguments) ?? "" },
      });
    } else if (item.type === "custom_tool_call") {
      // A custom (freeform) tool's call, in chat's `type: "custom"` shape.
      toolCalls.push({
        id: str(item.call_id) ?? "",
        type: "custom",
        custom: { name: str(item.name) ?? "", input: str(item.input) ?? "" },
      });
    } else if (item.type === "reasoning") {
      const summary = reasoningText(item);
      if (summary !== "") reasoning.push(summary);
    }
  }
  const message: Obj = {
    role: "assistant",
    content: text === "" && (toolCalls.length > 0 || refusal !== "") ? null : text,
  };
  if (refusal !== "") message.refusal = refusal;
  if (reasoning.length > 0) message.reasoning_content = reasoning.join("\n\n");
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const completion: Obj = {
    id: str(body.id) ?? "",
    object: "chat.completion",
    created: num(body.created_at) ?? nowSeconds(),
    model: str(body.model) ?? "",
    choices: [{ index: 0, message, finish_reason: finishReason(body, toolCalls.length > 0) }],
  };
  if (isObj(body.usage)) completion.usage = responsesUsage(body.usage);
  return completion;
}
