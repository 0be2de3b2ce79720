/**
 * Anthropic Messages stream → OpenAI chat.completion.chunk objects, one parser per upstream stream.
 * Anthropic spreads what OpenAI puts in each chunk over several events (the id and model come once in
 * message_start, input usage there and output usage in message_delta, tool calls are content blocks
 * numbered among text and thinking blocks), so the parser keeps that state for its one stream.
 */

import type { StreamParser } from "../../../src/index.ts";
import { type ChunkMeta, chunk, isObj, nowSeconds, type Obj, str, usageChunk } from "../shared/openai-chat.ts";
import { anthropicError, anthropicUsage, finishReason, stripLeadingWhitespace } from "./response.ts";

interface ToolBlock {
  /** Position among the answer's tool calls: OpenAI's `tool_calls[].index`. */
  index: number;
  /** Whether any argument text arrived: a call without arguments must still be valid JSON ("{}"). */
  hasArguments: boolean;
}

/** `strip`: whitespace trimmed from the request's prefill, cut again from the continuation's start. */
export function anthropicStreamParser(strip = 0): StreamParser {
  const meta: ChunkMeta = { id: "", model: "", created: nowSeconds() };
  let usage: Obj = {};
  const tools = new Map<number, ToolBlock>();
  let toolCount = 0;
  let toStrip = strip;

  const toolDelta = (tool: ToolBlock, call: Obj) => [chunk(meta, { tool_calls: [{ index: tool.index, ...call }] })];

  const text = (value: string): unknown[] => {
    let out = value;
    if (toStrip > 0) {
      out = stripLeadingWhitespace(value, toStrip);
      // Whitespace only: more of it may follow in the next delta; anything else ends the stripping.
      toStrip = out === "" ? toStrip - value.length : 0;
    }
    return out === "" ? [] : [chunk(meta, { content: out })];
  };

  const blockStart = (event: Obj): unknown[] => {
    const block = isObj(event.content_block) ? event.content_block : {};
    if (block.type !== "tool_use" || typeof event.index !== "number") return [];
    const tool: ToolBlock = { index: toolCount++, hasArguments: false };
    tools.set(event.index, tool);
    return toolDelta(tool, {
      id: str(block.id) ?? "",
      type: "function",
      function: { name: str(block.name) ?? "", arguments: "" },
    });
  };

  const blockDelta = (event: Obj): unknown[] => {
    const delta = isObj(event.delta) ? event.delta : {};
    if (delta.type === "text_delta") return text(str(delta.text) ?? "");
    if (delta.type === "thinking_delta") return [chunk(meta, { reasoning_content: str(delta.thinking) ?? "" })];
    if (delta.type === "input_json_delta") {
      const tool = typeof event.index === "number" ? tools.get(event.index) : undefined;
      const json = str(delta.partial_json) ?? "";
      if (!tool || json === "") return [];
      tool.hasArguments = true;
      return toolDelta(tool, { function: { arguments: json } });
    }
    return []; // signature_delta, citations_delta: no OpenAI counterpart
  };

  const blockStop = (event: Obj): unknown[] => {
    const tool = typeof event.index === "number" ? tools.get(event.index) : undefined;
    return tool && !tool.hasArguments ? toolDelta(tool, { function: { arguments: "{}" } }) : [];
  };

  return ({ event: name, data }) => {
    const event: unknown = JSON.parse(data);
    if (!isObj(event)) throw new Error("not an Anthropic stream event");
    // The data names its own type; the SSE event name (the same) stands in when a relay dropped it.
    const type = str(event.type) ?? name;
    switch (type) {
      case "message_start": {
        const message = isObj(event.message) ? event.message : {};
        meta.id = str(message.id) ?? "";
        meta.model = str(message.model) ?? "";
        if (isObj(message.usage)) usage = { ...message.usage };
        return [chunk(meta, { role: "assistant", content: "" })];
      }
      case "content_block_start":
        return blockStart(event);
      case "content_block_delta":
        return blockDelta(event);
      case "content_block_stop":
        return blockStop(event);
      case "message_delta": {
        // message_delta's usage is cumulative; fields it leaves out keep their message_start values.
        if (isObj(event.usage))
          usage = { ...usage, ...Object.fromEntries(Object.entries(event.usage).filter(([, v]) => v !== null)) };
        const delta = isObj(event.delta) ? event.delta : {};
        return delta.stop_reason ? [chunk(meta, {}, finishReason(delta.stop_reason))] : [];
      }
      case "message_stop":
        return [usageChunk(meta, anthropicUsage(usage))];
      case "error":
        return [anthropicError(event)];
      default:
        return []; // ping, and event types added later
    }
  };
}
