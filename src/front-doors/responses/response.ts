/**
 * The pipeline's chat.completion → a Response object. Output items in the order a Responses model
 * emits them: the reasoning (when the upstream returned any, as `reasoning_text` content: chat upstreams
 * give the reasoning itself, not a summary), the `message` with `output_text` (and a `refusal` part),
 * then one `function_call` item per tool call with its `call_id` (the chat tool call's id) and the
 * arguments as sent. A `length` finish is `status: "incomplete"` with `incomplete_details`. The answer
 * always says `store: false`: nothing is kept, so nothing could be retrieved or continued later.
 */
import type { Obj } from "../door.ts";
import { isObj, num, str } from "../values.ts";

/** The chat usage in Responses' terms (input includes cached tokens, as in chat). */
export function responsesUsage(usage: unknown): Obj | null {
  if (!isObj(usage)) return null;
  const input = num(usage.prompt_tokens) ?? 0;
  const output = num(usage.completion_tokens) ?? 0;
  const prompt = isObj(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isObj(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return {
    input_tokens: input,
    // cache_write_tokens is in the current SDK's types: 0 unless an upstream reported cache writes.
    input_tokens_details: {
      cached_tokens: num(prompt.cached_tokens) ?? 0,
      cache_write_tokens: num(prompt.cache_write_tokens) ?? 0,
    },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: num(completion.reasoning_tokens) ?? 0 },
    total_tokens: num(usage.total_tokens) ?? input + output,
  };
}

/** The Response's id from the chat answer's: one id per answer, so the log and the client agree. */
export const responseId = (chatId: unknown): string => `resp_${str(chatId)?.replace(/^chatcmpl-/, "") || "gateway"}`;

/** The item ids of one answer: unique within it, prefixed as the Responses API prefixes them. */
export const itemId = (prefix: "rs" | "msg" | "fc", response: string, index: number): string =>
  `${prefix}_${response.slice("resp_".length)}_${index}`;

/** Why an answer is incomplete, for a chat finish reason that cut it short. */
export function incompleteReason(finish: string | undefined): string | undefined {
  if (finish === "length") return "max_output_tokens";
  if (finish === "content_filter") return "content_filter";
  return undefined;
}

/** The Response object around `output`, echoing the request's settings as the Responses API does. */
export function responseObject(request: Obj, fields: { id: string; model: string; created: number }): Obj {
  const text = isObj(request.text) ? request.text : {};
  return {
    id: fields.id,
    object: "response",
    created_at: fields.created,
    status: "in_progress",
    error: null,
    incomplete_details: null,
    instructions: str(request.instructions) ?? null,
    max_output_tokens: num(request.max_output_tokens) ?? null,
    metadata: isObj(request.metadata) ? request.metadata : {},
    model: fields.model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls !== false,
    previous_response_id: null,
    reasoning: isObj(request.reasoning) ? request.reasoning : null,
    store: false,
    temperature: num(request.temperature) ?? null,
    text: { format: isObj(text.format) ? text.format : { type: "text" } },
    tool_choice: request.tool_choice ?? "auto",
    tools: Array.isArray(request.tools) ? request.tools : [],
    top_p: num(request.top_p) ?? null,
    usage: null,
  };
}

/** The finished Response: status from the finish reason, the output items, the usage. */
export function finishResponse(base: Obj, end: { output: Obj[]; finish?: string; usage: unknown }): Obj {
  const reason = incompleteReason(end.finish);
  return {
    ...base,
    status: reason ? "incomplete" : "completed",
    incomplete_details: reason ? { reason } : null,
    output: end.output,
    usage: responsesUsage(end.usage),
  };
}

export function chatToResponse(completion: Obj, request: Obj): Obj {
  const choice = Array.isArray(completion.choices) && isObj(completion.choices[0]) ? completion.choices[0] : {};
  const message = isObj(choice.message) ? choice.message : {};
  const finish = str(choice.finish_reason);
  const status = incompleteReason(finish) ? "incomplete" : "completed";
  const id = responseId(completion.id);
  const output: Obj[] = [];
  const reasoning = str(message.reasoning_content) ?? str(message.reasoning);
  if (reasoning)
    output.push({
      type: "reasoning",
      id: itemId("rs", id, output.length),
      summary: [],
      content: [{ type: "reasoning_text", text: reasoning }],
      status,
    });
  const content: Obj[] = [];
  const text = str(message.content);
  if (text) content.push({ type: "output_text", text, annotations: [] });
  const refusal = str(message.refusal);
  if (refusal) content.push({ type: "refusal", refusal });
  if (content.length > 0)
    output.push({ type: "message", id: itemId("msg", id, output.length), status, role: "assistant", content });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isObj(call) || !isObj(call.function)) continue;
    output.push({
      type: "function_call",
      id: itemId("fc", id, output.length),
      call_id: str(call.id) ?? `call_${output.length}`,
      name: str(call.function.name) ?? "",
      arguments: str(call.function.arguments) ?? "",
      status,
    });
  }
  const base = responseObject(request, {
    id,
    model: str(completion.model) ?? str(request.model) ?? "",
    created: num(completion.created) ?? 0,
  });
  return finishResponse(base, { output, finish, usage: completion.usage });
}
