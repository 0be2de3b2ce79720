/**
 * Reading OpenAI chat.completion(.chunk) objects: what the pipeline needs to know about a response
 * without assuming more of its shape than the protocol promises.
 */
import type { Usage } from "../plugin/types.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** An `{ error: {...} }` object hidden in a 2xx body or stream event: its message and code. */
export function errorIn(value: unknown): { message: string; code?: string; param?: string } | undefined {
  if (!isObj(value) || value.error === undefined || value.error === null) return undefined;
  const error = value.error;
  if (typeof error === "string") return { message: error };
  if (!isObj(error)) return { message: JSON.stringify(error) };
  const code = typeof error.code === "string" ? error.code : typeof error.type === "string" ? error.type : undefined;
  const param = typeof error.param === "string" ? error.param : undefined;
  return { message: typeof error.message === "string" ? error.message : JSON.stringify(error), code, param };
}

export interface ChunkFacts {
  /** Content and reasoning text carried by this chunk, all choices together. */
  text: string;
  /** The answer's own content (no reasoning), what a continuation must be prefilled with. */
  content: string;
  /** The chunk carries tool calls (or a legacy function call). */
  toolCalls: boolean;
  /** Choice indexes this chunk finishes, with their finish reasons. */
  finished: readonly [number, string][];
  /** Choice indexes this chunk carries deltas for. */
  choices: readonly number[];
  usage?: Usage;
  /** A usage-only chunk (`choices: []`), sent when `stream_options.include_usage` is set. */
  usageOnly: boolean;
}

/** Shared by every chunk that finishes no choice (almost all of them): read-only, never pushed to. */
const NONE_FINISHED: readonly [number, string][] = Object.freeze([]);
/** Chunks of the one-choice answers almost every stream is: `choices` shared rather than made per event. */
const FIRST_CHOICE: readonly number[] = Object.freeze([0]);
const NO_CHOICES: readonly number[] = Object.freeze([]);

/** What one stream chunk says (called for every event: it allocates only what a chunk makes unusual). */
export function chunkFacts(chunk: unknown): ChunkFacts {
  const facts: ChunkFacts = {
    text: "",
    content: "",
    toolCalls: false,
    finished: NONE_FINISHED,
    choices: NO_CHOICES,
    usageOnly: false,
  };
  if (!isObj(chunk)) return facts;
  if (isObj(chunk.usage)) facts.usage = chunk.usage as unknown as Usage;
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  facts.usageOnly = choices.length === 0 && facts.usage !== undefined;
  let indexes: number[] | undefined;
  let finished: [number, string][] | undefined;
  for (const choice of choices) {
    if (!isObj(choice)) continue;
    const index = typeof choice.index === "number" ? choice.index : 0;
    if (indexes) indexes.push(index);
    else if (facts.choices === NO_CHOICES && index === 0) facts.choices = FIRST_CHOICE;
    else indexes = [...facts.choices, index];
    const delta = isObj(choice.delta) ? choice.delta : undefined;
    if (delta) {
      if (typeof delta.content === "string") {
        facts.text += delta.content;
        facts.content += delta.content;
      }
      if (typeof delta.reasoning_content === "string") facts.text += delta.reasoning_content;
      if (typeof delta.reasoning === "string") facts.text += delta.reasoning;
      if ((Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) || isObj(delta.function_call))
        facts.toolCalls = true;
      if (typeof delta.refusal === "string") facts.text += delta.refusal;
    }
    if (typeof choice.finish_reason === "string") (finished ??= []).push([index, choice.finish_reason]);
  }
  if (indexes) facts.choices = indexes;
  if (finished) facts.finished = finished;
  return facts;
}

/** Any of these in a chunk's text: the chunk may carry more than plain text, so it is parsed. */
const NOT_PLAIN = ['"error"', '"usage"', '"tool_calls"', '"function_call"', '"reasoning', '"refusal"', '"role"'];

/** How often `needle` occurs in `text`, counting at most two. */
function occurrences(text: string, needle: string): number {
  const first = text.indexOf(needle);
  if (first === -1) return 0;
  return text.indexOf(needle, first + needle.length) === -1 ? 1 : 2;
}

/**
 * The text of a chunk that carries nothing but content for choice 0 (`"delta":{"content":"…"}`,
 * `"finish_reason":null`): no finish, usage, tool call, role, reasoning, refusal or error, read without
 * parsing the chunk. Undefined for any other chunk, or any written in another way (spaces around a
 * colon, keys in another form): those are parsed. Inside a JSON string every quote is escaped, so a
 * key searched with its quotes cannot be matched by text inside a value. Most events of a long answer
 * are such chunks; parsing each into objects only to read one string was a fifth of what the relay
 * allocated per event.
 */
export function plainContent(data: string): string | undefined {
  if (occurrences(data, '"content":"') !== 1 || occurrences(data, '"delta":{') !== 1) return undefined;
  if (occurrences(data, '"index"') !== 1 || !data.includes('"index":0')) return undefined;
  if (occurrences(data, '"finish_reason"') !== 1 || !data.includes('"finish_reason":null')) return undefined;
  for (const key of NOT_PLAIN) if (data.includes(key)) return undefined;
  const start = data.indexOf('"content":"') + 11;
  let end = start;
  let escaped = false;
  for (; end < data.length; end++) {
    const c = data.charCodeAt(end);
    if (c === 92 /* a backslash: the next character is escaped */) {
      escaped = true;
      end++;
    } else if (c === 34 /* the closing quote */) break;
  }
  if (end >= data.length) return undefined;
  const raw = data.slice(start, end);
  if (!escaped) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined;
  }
}

/** The facts of a chunk `plainContent` read: its text for choice 0, nothing else. */
export function contentFacts(content: string): ChunkFacts {
  return { text: content, content, toolCalls: false, finished: NONE_FINISHED, choices: FIRST_CHOICE, usageOnly: false };
}

/** The text of a non-stream completion (all choices), and whether it carries tool calls. */
export function completionFacts(body: unknown): { text: string; toolCalls: boolean; choices: number; usage?: Usage } {
  const facts = { text: "", toolCalls: false, choices: 0, usage: undefined as Usage | undefined };
  if (!isObj(body)) return facts;
  if (isObj(body.usage)) facts.usage = body.usage as unknown as Usage;
  const choices = Array.isArray(body.choices) ? body.choices : [];
  facts.choices = choices.length;
  for (const choice of choices) {
    const message = isObj(choice) && isObj(choice.message) ? choice.message : undefined;
    if (!message) continue;
    if (typeof message.content === "string") facts.text += message.content;
    if (typeof message.reasoning_content === "string") facts.text += message.reasoning_content;
    if (typeof message.refusal === "string") facts.text += message.refusal;
    if ((Array.isArray(message.tool_calls) && message.tool_calls.length > 0) || isObj(message.function_call))
      facts.toolCalls = true;
  }
  return facts;
}
