/**
 * Responses `input` items → chat messages. Messages keep their role (`developer` becomes `system`: many
 * chat upstreams other than OpenAI's refuse the newer role, and OpenAI treats both alike), their text,
 * images and files become content parts; `function_call` items become the preceding assistant turn's
 * tool calls and `function_call_output` items tool messages, both keyed by `call_id` (the id the client
 * matches). Reasoning items are removed on purpose: their `encrypted_content` only means something to
 * the model that made them. Item and part types this door does not know are skipped with a note, never
 * refused: clients add new ones, and an old gateway must not break them.
 */
import type { ChatMessage } from "../../plugin/types.ts";
import type { Obj } from "../door.ts";
import { invalid, isObj, str } from "../values.ts";

const NO_STATE = "this gateway keeps no server-side state; send the conversation as input items";

/** One user-side content part as a chat part; undefined (noted) for a part type chat cannot carry. */
function inputPart(part: Obj, where: string, notes: Set<string>): Obj | undefined {
  if (part.type === "input_text" || part.type === "output_text" || part.type === "text")
    return { type: "text", text: str(part.text) ?? "" };
  if (part.type === "input_image") {
    const url = str(part.image_url);
    if (!url) throw invalid(`${where}.image_url`, "an image by file_id cannot be translated; send image_url");
    return { type: "image_url", image_url: { url, ...(str(part.detail) ? { detail: part.detail } : {}) } };
  }
  if (part.type === "input_file") {
    if (part.file_url !== undefined)
      throw invalid(`${where}.file_url`, "a file by URL cannot be translated; send file_data or file_id");
    const file: Obj = {};
    for (const key of ["file_data", "file_id", "filename"]) if (typeof part[key] === "string") file[key] = part[key];
    if (!file.file_data && !file.file_id) throw invalid(where, "an input_file needs file_data or file_id");
    return { type: "file", file };
  }
  notes.add(`skipped ${String(part.type)} content parts (no chat counterpart)`);
  return undefined;
}

function parts(content: unknown, where: string, notes: Set<string>): Obj[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (!Array.isArray(content)) throw invalid(`${where}.content`, "must be a string or an array of content parts");
  return content.flatMap((part, j) => {
    if (!isObj(part)) throw invalid(`${where}.content[${j}]`, "must be a content part object");
    if (part.type === "refusal") return [{ type: "refusal", refusal: str(part.refusal) ?? "" }];
    const chat = inputPart(part, `${where}.content[${j}]`, notes);
    return chat ? [chat] : [];
  });
}

const textOf = (list: Obj[]) =>
  list
    .filter((p) => p.type === "text")
    .map((p) => p.text as string)
    .join("");

function message(item: Obj, where: string, notes: Set<string>): ChatMessage | undefined {
  const role = item.role === "developer" ? "system" : item.role;
  const list = parts(item.content, where, notes);
  if (role === "assistant") {
    const refusal = list.find((p) => p.type === "refusal");
    const out: ChatMessage = { role, content: textOf(list) };
    if (refusal) out.refusal = refusal.refusal;
    return out;
  }
  if (role === "system") return { role, content: textOf(list) };
  if (role !== "user")
    throw invalid(`${where}.role`, `must be user, assistant, system or developer, got ${JSON.stringify(item.role)}`);
  const content = list.filter((p) => p.type !== "refusal");
  if (content.length === 0) return undefined;
  return { role, content: content.every((p) => p.type === "text") ? textOf(content) : content };
}

/** A function call joins the assistant turn it follows (chat keeps a turn's calls on one message). */
function addCall(messages: ChatMessage[], item: Obj, where: string): void {
  const id = str(item.call_id);
  if (!id) throw invalid(`${where}.call_id`, "a function_call needs its call_id");
  const call = { id, type: "function", function: { name: str(item.name) ?? "", arguments: str(item.arguments) ?? "" } };
  const last = messages.at(-1);
  if (last?.role === "assistant") {
    last.tool_calls = [...((last.tool_calls as Obj[] | undefined) ?? []), call];
    if (last.content === "") last.content = null;
  } else messages.push({ role: "assistant", content: null, tool_calls: [call] });
}

function callOutput(item: Obj, where: string, notes: Set<string>): ChatMessage {
  const id = str(item.call_id);
  if (!id) throw invalid(`${where}.call_id`, "a function_call_output needs the call_id of its function_call");
  const output = item.output;
  let text = typeof output === "string" ? output : "";
  if (Array.isArray(output))
    for (const part of output.filter(isObj)) {
      if (part.type === "input_text") text += str(part.text) ?? "";
      else notes.add(`dropped ${String(part.type)} parts of function call outputs (chat tool results are text)`);
    }
  return { role: "tool", tool_call_id: id, content: text };
}

/** `input` (a string, or items) as chat messages, appended to `messages`. */
export function inputToMessages(input: unknown, messages: ChatMessage[], notes: Set<string>): void {
  if (typeof input === "string") {
    messages.push({ role: "user", content: input });
    return;
  }
  if (!Array.isArray(input)) throw invalid("input", "Field required (a string or an array of input items)");
  input.forEach((item, i) => {
    const where = `input[${i}]`;
    if (!isObj(item)) throw invalid(where, "must be an input item object");
    const type = item.type ?? "message"; // an "easy" message item may leave its type out
    if (type === "message") {
      const chat = message(item, where, notes);
      if (chat) messages.push(chat);
    } else if (type === "function_call") addCall(messages, item, where);
    else if (type === "function_call_output") messages.push(callOutput(item, where, notes));
    else if (type === "reasoning")
      notes.add("removed reasoning items: their encrypted_content is only valid for the model that wrote them");
    else if (type === "item_reference") throw invalid(`${where}.type`, `item_reference: ${NO_STATE}`);
    else notes.add(`skipped ${String(type)} input items (no chat counterpart)`);
  });
}

export { NO_STATE };
