/**
 * OpenAI Responses request → the pipeline's chat request (Codex CLI and the `openai` SDK's
 * `responses.create`). `instructions` lead as the system message, `input` becomes messages (input.ts),
 * function tools are unflattened into chat's `{type, function}` shape, `text.format` becomes
 * `response_format`, `reasoning.effort` `reasoning_effort`, `max_output_tokens` `max_tokens` (the name
 * the chat pipeline and its self-healing adapter use). The gateway keeps no server-side state, so what
 * needs it (`previous_response_id`, `conversation`, stored prompts, background runs) is a 400 that says
 * so; hosted tools (web_search, file_search, mcp, ...) cannot run on a chat upstream and are refused
 * naming the type. Fields that only a Responses upstream understands travel in `native.responses`.
 */
import type { ChatMessage, ChatRequest } from "../../plugin/types.ts";
import type { DoorRequest, Obj } from "../door.ts";
import { invalid, isObj, num, str } from "../values.ts";
import { inputToMessages, NO_STATE } from "./input.ts";

/** Fields with the same name in chat completions, passed as they are. */
const SAME_NAME = ["temperature", "top_p", "parallel_tool_calls", "user"] as const;
/** Responses fields an OpenAI Responses upstream takes as they are; any other upstream goes without. */
const NATIVE = ["prompt_cache_key", "service_tier", "safety_identifier"] as const;
/** Accepted and not forwarded: they shape what OpenAI stores or returns, and nothing is stored here. */
const DROPPED = ["include", "truncation", "top_logprobs", "max_tool_calls", "metadata"] as const;

function refuseState(body: Obj): void {
  if (typeof body.previous_response_id === "string" && body.previous_response_id !== "")
    throw invalid("previous_response_id", NO_STATE);
  if (body.conversation !== undefined && body.conversation !== null) throw invalid("conversation", NO_STATE);
  if (body.prompt !== undefined && body.prompt !== null)
    throw invalid("prompt", "stored prompts live on OpenAI's servers; send the prompt as instructions and input");
  if (body.background === true)
    throw invalid("background", "background responses need server-side state, which this gateway does not keep");
}

/** Where the request's first `custom` tool is: such a request can only go to a Responses upstream. */
type CustomAt = { param: string } | undefined;

/**
 * Responses' flat function tools as chat tools. A `custom` tool (Codex's freeform tools) has no chat
 * counterpart here but a Responses upstream runs it: it is left out of the translation and `custom`
 * says where it was, so the request is passed through to Responses upstreams only. Any other tool type
 * is refused naming it.
 */
function tools(list: unknown, custom: { at: CustomAt }): Obj[] | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) throw invalid("tools", "must be an array");
  return list.flatMap((tool, i) => {
    if (!isObj(tool)) throw invalid(`tools[${i}]`, "must be a tool object");
    if (tool.type === "custom") {
      custom.at ??= { param: `tools[${i}].type` };
      return [];
    }
    if (tool.type !== "function")
      throw invalid(
        `tools[${i}].type`,
        `the "${String(tool.type)}" tool cannot run on a chat upstream; only function tools are translated`,
      );
    const name = str(tool.name);
    if (!name) throw invalid(`tools[${i}].name`, "a function tool needs a name");
    const fn: Obj = { name, parameters: isObj(tool.parameters) ? tool.parameters : { type: "object", properties: {} } };
    if (typeof tool.description === "string") fn.description = tool.description;
    if (typeof tool.strict === "boolean") fn.strict = tool.strict;
    return [{ type: "function", function: fn }];
  });
}

function toolChoice(choice: unknown, custom: boolean): unknown {
  if (choice === undefined || choice === null) return undefined;
  if (choice === "auto" || choice === "none" || choice === "required") return choice;
  if (!isObj(choice)) throw invalid("tool_choice", 'must be "auto", "none", "required" or a tool choice object');
  if (choice.type === "function") return { type: "function", function: { name: str(choice.name) ?? "" } };
  // Only with a custom tool, so only ever passed through: the client's own choice goes up as it is.
  if (choice.type === "custom" && custom) return undefined;
  if (choice.type === "allowed_tools") {
    const allowed = Array.isArray(choice.tools) ? choice.tools.filter(isObj) : [];
    const functions = allowed.map((t) => ({ type: "function", function: { name: str(t.name) ?? "" } }));
    return { type: "allowed_tools", allowed_tools: { mode: str(choice.mode) ?? "auto", tools: functions } };
  }
  throw invalid("tool_choice.type", `a "${String(choice.type)}" tool choice cannot be translated to a chat upstream`);
}

/** `text.format` → `response_format`: the json_schema's fields move down into `json_schema`. */
function responseFormat(text: unknown): Obj | undefined {
  const format = isObj(text) && isObj(text.format) ? text.format : undefined;
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type !== "json_schema") throw invalid("text.format.type", `unknown format "${String(format.type)}"`);
  if (!str(format.name) || !isObj(format.schema))
    throw invalid("text.format", "a json_schema format needs a name and a schema");
  const schema: Obj = { name: format.name, schema: format.schema };
  if (typeof format.strict === "boolean") schema.strict = format.strict;
  if (typeof format.description === "string") schema.description = format.description;
  return { type: "json_schema", json_schema: schema };
}

function sampling(body: Obj, chat: ChatRequest, notes: Set<string>): void {
  for (const field of SAME_NAME) if (body[field] !== undefined && body[field] !== null) chat[field] = body[field];
  const max = num(body.max_output_tokens);
  if (max !== undefined) chat.max_tokens = max;
  const reasoning = isObj(body.reasoning) ? body.reasoning : {};
  if (typeof reasoning.effort === "string") chat.reasoning_effort = reasoning.effort;
  if (reasoning.summary !== undefined && reasoning.summary !== null)
    notes.add("dropped reasoning.summary (chat upstreams return their reasoning as they do)");
  const format = responseFormat(body.text);
  if (format) chat.response_format = format;
  if (isObj(body.text) && typeof body.text.verbosity === "string") chat.verbosity = body.text.verbosity;
  const native: Obj = {};
  for (const field of NATIVE) if (body[field] !== undefined && body[field] !== null) native[field] = body[field];
  if (Object.keys(native).length > 0) chat.native = { responses: native };
  for (const field of DROPPED) if (body[field] !== undefined && body[field] !== null) notes.add(`dropped ${field}`);
  if (body.store === true) notes.add("store: true accepted, but this gateway stores nothing (answered store: false)");
}

export function responsesToChat(body: Obj): DoorRequest {
  const model = str(body.model);
  if (!model) throw invalid("model", 'Field required (a model, a tier or "auto")');
  refuseState(body);
  if (body.instructions !== undefined && body.instructions !== null && typeof body.instructions !== "string")
    throw invalid("instructions", "must be a string");
  const notes = new Set<string>();
  const messages: ChatMessage[] = [];
  if (typeof body.instructions === "string" && body.instructions !== "")
    messages.push({ role: "system", content: body.instructions });
  inputToMessages(body.input, messages, notes);
  if (messages.length === 0) throw invalid("input", "nothing to send: the input has no message the model can read");
  const chat: ChatRequest = { model, messages };
  if (body.stream === true) {
    chat.stream = true;
    chat.stream_options = { include_usage: true }; // response.completed reports the usage
  }
  const custom: { at: CustomAt } = { at: undefined };
  const fnTools = tools(body.tools, custom);
  if (fnTools && fnTools.length > 0) {
    chat.tools = fnTools;
    const choice = toolChoice(body.tool_choice, custom.at !== undefined);
    if (choice !== undefined) chat.tool_choice = choice;
  }
  sampling(body, chat, notes);
  if (!custom.at) return { chat, notes: [...notes] };
  const message =
    'the "custom" tool runs only on a Responses upstream (an openaiResponses() provider), and this request\'s tier has none';
  return { chat, notes: [...notes], nativeOnly: { param: custom.at.param, message } };
}
