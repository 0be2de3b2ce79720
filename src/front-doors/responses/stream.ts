/**
 * The pipeline's chat chunks → the Responses stream, in the documented order, every event with its
 * `sequence_number`: `response.created` and `response.in_progress` (once, at the first chunk: the
 * pipeline sends nothing before its commit, so a failover before the first content never shows), then
 * one output item at a time (`response.output_item.added`, for text and reasoning a
 * `response.content_part.added`, the deltas, their `.done`, `response.content_part.done`, then
 * `response.output_item.done`; for a call `response.function_call_arguments.delta` events and `.done`
 * with the whole arguments), then `response.completed` (or `response.incomplete` for a length finish)
 * with the full response and usage. A stream that fails after commit ends with an `error` event and
 * `response.failed`, never `response.completed`: a truncated answer is not presented as whole.
 */
import { type Obj, type StreamTranslator, sse } from "../door.ts";
import { isObj, num, str } from "../values.ts";
import { finishResponse, incompleteReason, itemId, responseId, responseObject } from "./response.ts";

type PartKind = "output_text" | "refusal" | "reasoning_text";

/** The output item being streamed: its finished form grows as deltas arrive. */
interface OpenItem {
  item: Obj;
  index: number;
  /** The open content part of a message or reasoning item (function calls have none). */
  part?: { kind: PartKind; text: string; index: number };
}

const DELTA: Record<PartKind, string> = {
  output_text: "response.output_text.delta",
  refusal: "response.refusal.delta",
  reasoning_text: "response.reasoning_text.delta",
};
const DONE: Record<PartKind, string> = {
  output_text: "response.output_text.done",
  refusal: "response.refusal.done",
  reasoning_text: "response.reasoning_text.done",
};

function partOf(kind: PartKind, text: string): Obj {
  if (kind === "refusal") return { type: "refusal", refusal: text };
  if (kind === "output_text") return { type: "output_text", text, annotations: [] };
  return { type: "reasoning_text", text };
}

export function responsesStream(request: Obj): StreamTranslator {
  let sequence = 0;
  let base: Obj | undefined;
  let open: OpenItem | undefined;
  const output: Obj[] = [];
  /** Chat tool-call index → its function_call item (a late fragment still reaches its call). */
  const calls = new Map<number, Obj>();
  let finish: string | undefined;
  let usage: unknown;

  const emit = (out: string[], type: string, payload: Obj) =>
    out.push(sse(type, { type, sequence_number: sequence++, ...payload }));
  const at = (item: OpenItem) => ({ item_id: item.item.id, output_index: item.index });

  const start = (out: string[], chunk: Obj) => {
    const id = responseId(chunk.id);
    base = responseObject(request, {
      id,
      model: str(chunk.model) ?? str(request.model) ?? "",
      created: num(chunk.created) ?? 0,
    });
    emit(out, "response.created", { response: base });
    emit(out, "response.in_progress", { response: base });
  };

  const closePart = (out: string[], item: OpenItem) => {
    const part = item.part;
    if (!part) return;
    const text = part.kind === "refusal" ? { refusal: part.text } : { text: part.text };
    const logprobs = part.kind === "output_text" ? { logprobs: [] } : {};
    emit(out, DONE[part.kind], { ...at(item), content_index: part.index, ...text, ...logprobs });
    const done = partOf(part.kind, part.text);
    emit(out, "response.content_part.done", { ...at(item), content_index: part.index, part: done });
    (item.item.content as Obj[]).push(done);
    item.part = undefined;
  };

  const close = (out: string[], status: string) => {
    if (!open) return;
    closePart(out, open);
    const item = open.item;
    if (item.type === "function_call")
      emit(out, "response.function_call_arguments.done", { ...at(open), name: item.name, arguments: item.arguments });
    item.status = status;
    emit(out, "response.output_item.done", { output_index: open.index, item });
    output.push(item);
    open = undefined;
  };

  const begin = (out: string[], item: Obj) => {
    close(out, "completed");
    open = { item, index: output.length };
    const added = item.type === "function_call" ? { ...item } : { ...item, content: [] };
    emit(out, "response.output_item.added", { output_index: open.index, item: added });
  };

  /** Text into the open message or reasoning item's part of `kind`, opening what is needed. */
  const text = (out: string[], kind: PartKind, delta: string) => {
    const type = kind === "reasoning_text" ? "reasoning" : "message";
    if (open?.item.type !== type) {
      close(out, "completed"); // first, so the new item's id names its own output index
      const id = itemId(type === "reasoning" ? "rs" : "msg", base!.id as string, output.length);
      begin(
        out,
        type === "reasoning"
          ? { type, id, summary: [], content: [], status: "in_progress" }
          : { type, id, status: "in_progress", role: "assistant", content: [] },
      );
    }
    const item = open!;
    if (item.part?.kind !== kind) {
      closePart(out, item);
      item.part = { kind, text: "", index: (item.item.content as Obj[]).length };
      emit(out, "response.content_part.added", {
        ...at(item),
        content_index: item.part.index,
        part: partOf(kind, ""),
      });
    }
    item.part!.text += delta;
    const logprobs = kind === "output_text" ? { logprobs: [] } : {};
    emit(out, DELTA[kind], { ...at(item), content_index: item.part!.index, delta, ...logprobs });
  };

  const toolCall = (out: string[], call: Obj) => {
    const i = num(call.index) ?? 0;
    const fn = isObj(call.function) ? call.function : {};
    let item = calls.get(i);
    if (!item) {
      close(out, "completed");
      item = {
        type: "function_call",
        id: itemId("fc", base!.id as string, output.length),
        call_id: str(call.id) ?? `call_${i}`,
        name: str(fn.name) ?? "",
        arguments: "",
        status: "in_progress",
      };
      calls.set(i, item);
      begin(out, item);
    }
    const args = str(fn.arguments);
    if (!args) return;
    item.arguments = `${item.arguments as string}${args}`;
    const index = open?.item === item ? open.index : output.indexOf(item);
    emit(out, "response.function_call_arguments.delta", { item_id: item.id, output_index: index, delta: args });
  };

  return {
    chunk(chunk) {
      const out: string[] = [];
      if (!base) start(out, chunk);
      if (isObj(chunk.usage)) usage = chunk.usage;
      const choice = Array.isArray(chunk.choices) && isObj(chunk.choices[0]) ? chunk.choices[0] : undefined;
      const d = choice && isObj(choice.delta) ? choice.delta : {};
      const reasoning = str(d.reasoning_content) ?? str(d.reasoning);
      if (reasoning) text(out, "reasoning_text", reasoning);
      if (str(d.content)) text(out, "output_text", d.content as string);
      if (str(d.refusal)) text(out, "refusal", d.refusal as string);
      if (Array.isArray(d.tool_calls)) for (const call of d.tool_calls) if (isObj(call)) toolCall(out, call);
      finish = (choice && str(choice.finish_reason)) ?? finish;
      return out;
    },
    done() {
      const out: string[] = [];
      if (!base) start(out, {});
      const incomplete = incompleteReason(finish) !== undefined;
      close(out, incomplete ? "incomplete" : "completed");
      const response = finishResponse(base!, { output, finish, usage });
      emit(out, incomplete ? "response.incomplete" : "response.completed", { response });
      return out;
    },
    error(failure) {
      const out: string[] = [];
      if (!base) start(out, {});
      emit(out, "error", { code: failure.code, message: failure.message, param: null });
      const partial = open ? [...output, { ...open.item, status: "incomplete" }] : output;
      const response = {
        ...base!,
        status: "failed",
        error: { code: "server_error", message: failure.message },
        output: partial,
        usage: null,
      };
      emit(out, "response.failed", { response });
      return out;
    },
  };
}

/**
 * The in-band error ending a passed-through Responses stream: the upstream's `response.created` and
 * deltas went out as they were, so only the `error` event is added and the stream ends without
 * `response.completed`. No `response.failed`: it must carry the upstream's response object, which the
 * gateway does not keep; nor a `sequence_number`, whose count is the upstream's.
 */
export function responsesNativeError(failure: { code: string; message: string }): string {
  return sse("error", { type: "error", code: failure.code, message: failure.message, param: null });
}
