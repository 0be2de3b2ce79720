/**
 * The pipeline's chat chunks → Anthropic's streamed events, in the documented order: `message_start`
 * (once, at the first chunk: the pipeline sends nothing before its commit), a `ping`, then content blocks
 * one at a time (`content_block_start`, deltas of that block's own type: `thinking_delta`, `text_delta`,
 * `input_json_delta`, then `content_block_stop`), then `message_delta` with the stop reason and usage and
 * `message_stop`. A stream that fails after commit ends with Anthropic's `error` event and no
 * `message_stop`: a truncated answer is never presented as complete.
 */
import { type Obj, type StreamTranslator, sse } from "../door.ts";
import { isObj, str } from "../values.ts";
import { thinkingAsked } from "./request.ts";
import { messageId, messagesUsage, STOP_REASONS } from "./response.ts";

type BlockKind = "thinking" | "text" | "tool_use";

/** The Anthropic error type for a mid-stream failure code. */
const ERROR_TYPES: Record<string, string> = {
  stream_stalled: "timeout_error",
  deadline_exceeded: "timeout_error",
  upstream_error: "api_error",
  stream_cut: "api_error",
};

export function messagesStream(request: Obj): StreamTranslator {
  const showThinking = thinkingAsked(request);
  let started = false;
  let index = -1;
  let open: { kind: BlockKind; tool?: number } | undefined;
  let stopReason = "end_turn";
  let usage: unknown;
  /** Chat tool-call index → its content block index (a call's argument fragments go to its block). */
  const toolBlocks = new Map<number, number>();

  const close = (out: string[]) => {
    if (!open) return;
    out.push(sse("content_block_stop", { type: "content_block_stop", index }));
    open = undefined;
  };
  const begin = (out: string[], kind: BlockKind, block: Obj, tool?: number) => {
    close(out);
    index += 1;
    open = { kind, tool };
    out.push(sse("content_block_start", { type: "content_block_start", index, content_block: block }));
  };
  const delta = (out: string[], at: number, value: Obj) =>
    out.push(sse("content_block_delta", { type: "content_block_delta", index: at, delta: value }));

  const start = (out: string[], chunk: Obj) => {
    started = true;
    const message = {
      id: messageId(chunk.id),
      type: "message",
      role: "assistant",
      model: str(chunk.model) ?? str(request.model) ?? "",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    out.push(sse("message_start", { type: "message_start", message }), sse("ping", { type: "ping" }));
  };

  const toolCall = (out: string[], call: Obj) => {
    const i = typeof call.index === "number" ? call.index : 0;
    const fn = isObj(call.function) ? call.function : {};
    if (!toolBlocks.has(i)) {
      begin(
        out,
        "tool_use",
        {
          type: "tool_use",
          id: str(call.id) ?? `toolu_${i}`,
          name: str(fn.name) ?? "",
          input: {},
          caller: { type: "direct" },
        },
        i,
      );
      toolBlocks.set(i, index);
    }
    const args = str(fn.arguments);
    if (args) delta(out, toolBlocks.get(i)!, { type: "input_json_delta", partial_json: args });
  };

  return {
    chunk(chunk) {
      const out: string[] = [];
      if (!started) start(out, chunk);
      if (isObj(chunk.usage)) usage = chunk.usage;
      const choice = Array.isArray(chunk.choices) && isObj(chunk.choices[0]) ? chunk.choices[0] : undefined;
      const d = choice && isObj(choice.delta) ? choice.delta : {};
      const reasoning = str(d.reasoning_content) ?? str(d.reasoning);
      if (reasoning && showThinking) {
        if (open?.kind !== "thinking") begin(out, "thinking", { type: "thinking", thinking: "", signature: "" });
        delta(out, index, { type: "thinking_delta", thinking: reasoning });
      }
      const text = str(d.content);
      if (text) {
        if (open?.kind !== "text") begin(out, "text", { type: "text", text: "", citations: null });
        delta(out, index, { type: "text_delta", text });
      }
      if (Array.isArray(d.tool_calls)) for (const call of d.tool_calls) if (isObj(call)) toolCall(out, call);
      const finish = choice ? str(choice.finish_reason) : undefined;
      if (finish) stopReason = STOP_REASONS[finish] ?? "end_turn";
      return out;
    },
    done() {
      const out: string[] = [];
      if (!started) start(out, {});
      close(out);
      out.push(
        sse("message_delta", {
          type: "message_delta",
          delta: { stop_reason: stopReason, stop_sequence: null },
          usage: messagesUsage(usage),
        }),
        sse("message_stop", { type: "message_stop" }),
      );
      return out;
    },
    error(failure) {
      const type = ERROR_TYPES[failure.code] ?? "api_error";
      return [sse("error", { type: "error", error: { type, message: failure.message } })];
    },
  };
}
