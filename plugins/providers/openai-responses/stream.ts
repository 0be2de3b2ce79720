/**
 * OpenAI Responses stream → OpenAI chat.completion.chunk objects, one parser per upstream stream. The id
 * and model come only in response.created, and argument deltas name their call by item id or output
 * index, not by position among the calls, so the parser keeps that state for its one stream.
 */

import type { StreamParser } from "../../../src/index.ts";
import { type ChunkMeta, chunk, isObj, nowSeconds, num, type Obj, str, usageChunk } from "../shared/openai-chat.ts";
import { finishReason, responsesError, responsesUsage } from "./response.ts";

interface Call {
  /** Position among the answer's tool calls: OpenAI's `tool_calls[].index`. */
  index: number;
  /** Whether argument deltas arrived; if none did, the `.done` event's full arguments are sent. */
  streamed: boolean;
}

export function responsesStreamParser(): StreamParser {
  const meta: ChunkMeta = { id: "", model: "", created: nowSeconds() };
  const byItem = new Map<string, Call>();
  const byOutput = new Map<number, Call>();
  let calls = 0;

  const callOf = (event: Obj): Call | undefined =>
    byItem.get(str(event.item_id) ?? "") ?? byOutput.get(num(event.output_index) ?? -1);
  const callDelta = (call: Call, fields: Obj) => [chunk(meta, { tool_calls: [{ index: call.index, ...fields }] })];

  const itemAdded = (event: Obj): unknown[] => {
    const item = isObj(event.item) ? event.item : {};
    if (item.type !== "function_call" && item.type !== "custom_tool_call") return [];
    const call: Call = { index: calls++, streamed: false };
    if (typeof item.id === "string") byItem.set(item.id, call);
    if (typeof event.output_index === "number") byOutput.set(event.output_index, call);
    // A custom (freeform) tool's call, chat's `type: "custom"` shape: the answer is a tool call, not empty.
    if (item.type === "custom_tool_call")
      return callDelta(call, {
        id: str(item.call_id) ?? "",
        type: "custom",
        custom: { name: str(item.name) ?? "", input: "" },
      });
    // The chat tool call's id is the Responses `call_id`: the key a function_call_output must match.
    return callDelta(call, {
      id: str(item.call_id) ?? "",
      type: "function",
      function: { name: str(item.name) ?? "", arguments: "" },
    });
  };

  const finished = (response: Obj): unknown[] => {
    if (typeof response.id === "string") meta.id = response.id;
    const out: unknown[] = [chunk(meta, {}, finishReason(response, calls > 0))];
    if (isObj(response.usage)) out.push(usageChunk(meta, responsesUsage(response.usage)));
    return out;
  };

  return ({ event: name, data }) => {
    const event: unknown = JSON.parse(data);
    if (!isObj(event)) throw new Error("not a Responses stream event");
    // The data names its own type; the SSE event name (the same) stands in when a relay dropped it.
    const type = str(event.type) ?? name;
    const response = isObj(event.response) ? event.response : {};
    switch (type) {
      case "response.created":
        meta.id = str(response.id) ?? "";
        meta.model = str(response.model) ?? "";
        meta.created = num(response.created_at) ?? meta.created;
        return [chunk(meta, { role: "assistant", content: "" })];
      case "response.output_text.delta":
        return str(event.delta) ? [chunk(meta, { content: event.delta })] : [];
      case "response.refusal.delta":
        return str(event.delta) ? [chunk(meta, { refusal: event.delta })] : [];
      case "response.reasoning_summary_text.delta":
      case "response.reasoning_text.delta":
        return str(event.delta) ? [chunk(meta, { reasoning_content: event.delta })] : [];
      case "response.reasoning_summary_part.added":
        // Summary parts are separate paragraphs; the non-stream translation joins them the same way.
        return (num(event.summary_index) ?? 0) > 0 ? [chunk(meta, { reasoning_content: "\n\n" })] : [];
      case "response.output_item.added":
        return itemAdded(event);
      case "response.function_call_arguments.delta": {
        const call = callOf(event);
        if (!call || !str(event.delta)) return [];
        call.streamed = true;
        return callDelta(call, { function: { arguments: event.delta } });
      }
      case "response.custom_tool_call_input.delta": {
        const call = callOf(event);
        if (!call || !str(event.delta)) return [];
        call.streamed = true;
        return callDelta(call, { custom: { input: event.delta } });
      }
      case "response.custom_tool_call_input.done": {
        const call = callOf(event);
        return call && !call.streamed && str(event.input) ? callDelta(call, { custom: { input: event.input } }) : [];
      }
      case "response.function_call_arguments.done": {
        const call = callOf(event);
        return call && !call.streamed && str(event.arguments)
          ? callDelta(call, { function: { arguments: event.arguments } })
          : [];
      }
      case "response.completed":
      case "response.incomplete":
        return finished(response);
      case "response.failed":
        return [
          isObj(response.error)
            ? responsesError(response.error)
            : responsesError({ message: "the upstream response failed", code: "response_failed" }),
        ];
      case "error": // `{type:"error", code, message}`; its `type` is the event's, not the error's
        return [responsesError(isObj(event.error) ? event.error : { code: event.code, message: event.message })];
      default:
        return []; // in_progress, content_part.*, *.done, output_item.done, and event types added later
    }
  };
}
