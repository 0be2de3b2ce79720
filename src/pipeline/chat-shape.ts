/**
 * The shapes of a chat completion request that the gateway checks before forwarding it: what an
 * upstream would refuse anyway (so a bad request is the client's 400, not a failover that penalises a
 * healthy model), and what the gateway itself reads. A hand-written walk over the fields OpenAI's API
 * defines (messages, content parts, tools, numeric ranges); fields it does not know are not looked at
 * and are forwarded as sent.
 */
import { GatewayError } from "../errors.ts";

type Obj = Record<string, unknown>;

const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);
/** Content part types of the Chat Completions API (user: text, image_url, input_audio, file; assistant: text, refusal). */
const PART_TYPES = new Set(["text", "image_url", "input_audio", "file", "refusal"]);
/** Tool types of the Chat Completions API. */
const TOOL_TYPES = new Set(["function", "custom"]);

/** Numeric fields and their ranges, as the API defines them; `null` is accepted as "not set". */
const RANGES: { field: string; min: number; max: number; integer: boolean }[] = [
  { field: "n", min: 1, max: 128, integer: true },
  { field: "max_tokens", min: 1, max: Number.MAX_SAFE_INTEGER, integer: true },
  { field: "max_completion_tokens", min: 1, max: Number.MAX_SAFE_INTEGER, integer: true },
  { field: "temperature", min: 0, max: 2, integer: false },
  { field: "top_p", min: 0, max: 1, integer: false },
];

const invalid = (message: string, param: string) => new GatewayError("invalid_request", message, { param });
const isObj = (value: unknown): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);
const list = (values: Set<string>) => [...values].join(", ");

/** Checks `messages`: a non-empty array of messages with a known role and a valid content. */
export function checkMessages(messages: unknown): void {
  if (!Array.isArray(messages)) throw invalid("`messages` is required and must be an array of messages.", "messages");
  if (messages.length === 0) throw invalid("`messages` must contain at least one message.", "messages");
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    const at = `messages[${i}]`;
    if (!isObj(message)) throw invalid(`${at} must be an object.`, at);
    if (typeof message.role !== "string") throw invalid(`${at}.role must be a string.`, `${at}.role`);
    if (!ROLES.has(message.role))
      throw invalid(`${at}.role "${message.role}" is not one of ${list(ROLES)}.`, `${at}.role`);
    checkContent(message.content, `${at}.content`);
  }
}

/** A message's content: absent, null, a string, or an array of content parts with a known type. */
function checkContent(content: unknown, at: string): void {
  if (content === undefined || content === null || typeof content === "string") return;
  if (!Array.isArray(content)) throw invalid(`${at} must be a string, null or an array of content parts.`, at);
  for (let j = 0; j < content.length; j++) checkPart(content[j], `${at}[${j}]`);
}

function checkPart(part: unknown, at: string): void {
  if (!isObj(part)) throw invalid(`${at} must be a content part object.`, at);
  if (typeof part.type !== "string" || !PART_TYPES.has(part.type)) {
    throw invalid(
      `${at}.type must be one of ${list(PART_TYPES)}${typeof part.type === "string" ? ` (got "${part.type}")` : ""}.`,
      `${at}.type`,
    );
  }
  const field = part.type;
  if ((field === "text" || field === "refusal") && typeof part[field] !== "string")
    throw invalid(`${at}.${field} must be a string.`, `${at}.${field}`);
  if (field === "image_url") checkImageUrl(part.image_url, `${at}.image_url`);
  if ((field === "input_audio" || field === "file") && !isObj(part[field]))
    throw invalid(`${at}.${field} must be an object.`, `${at}.${field}`);
}

/** `{ url, detail? }` as the API defines it; a bare URL string is accepted too, as many clients send it. */
function checkImageUrl(image: unknown, at: string): void {
  if (typeof image === "string") return;
  if (!isObj(image) || typeof image.url !== "string")
    throw invalid(`${at} must be an object with a string \`url\`.`, `${at}.url`);
}

/** Checks `tools` when present: function tools (`function.name`, `parameters` an object) and custom tools (`custom.name`). */
export function checkTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw invalid("`tools` must be an array of tools.", "tools");
  for (let i = 0; i < tools.length; i++) {
    const tool: unknown = tools[i];
    const at = `tools[${i}]`;
    if (!isObj(tool)) throw invalid(`${at} must be an object.`, at);
    if (typeof tool.type !== "string" || !TOOL_TYPES.has(tool.type))
      throw invalid(`${at}.type must be one of ${list(TOOL_TYPES)}.`, `${at}.type`);
    const definition = tool[tool.type];
    const where = `${at}.${tool.type}`;
    if (!isObj(definition)) throw invalid(`${where} must be an object.`, where);
    if (typeof definition.name !== "string" || definition.name === "")
      throw invalid(`${where}.name must be a non-empty string.`, `${where}.name`);
    if (tool.type === "function" && definition.parameters !== undefined && !isObj(definition.parameters)) {
      throw invalid(`${where}.parameters must be an object (a JSON Schema).`, `${where}.parameters`);
    }
  }
}

/** Checks the numeric fields the API bounds (`n`, `max_tokens`, `max_completion_tokens`, `temperature`, `top_p`). */
export function checkRanges(request: Obj): void {
  for (const { field, min, max, integer } of RANGES) {
    const value = request[field];
    if (value === undefined || value === null) continue;
    const kind = integer ? "an integer" : "a number";
    if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      (integer && !Number.isInteger(value)) ||
      value < min ||
      value > max
    ) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      throw invalid(`\`${field}\` must be ${kind} ${range}.`, field);
    }
  }
}
