/**
 * Reading OpenAI chat requests and writing OpenAI chat responses, for providers that translate another
 * protocol. Bodies are read defensively (the gateway forwards what clients send, loosely validated), so
 * every accessor checks the type it expects instead of trusting a shape.
 */
import { type ChatRequest, type EnvRef, resolveEnv, Type, type Usage } from "../../../src/index.ts";

export type Obj = Record<string, unknown>;

export const isObj = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);
export const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
export const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;
export const objs = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObj) : []);

/** `env("NAME")` in an options schema (the reference object, not its value). */
const EnvReference = Type.Object({ name: Type.String() }, { additionalProperties: true, description: 'env("NAME")' });
export const Secret = Type.Union([Type.String(), EnvReference], {
  description: 'a literal or env("NAME"); shown masked',
});
export const BaseURL = Type.Union([Type.String({ pattern: "^https?://" }), EnvReference], {
  description: 'the API root, or env("NAME")',
});

/**
 * `baseURL` + `path`, with the env reference read. An unset reference is reported by the config loader
 * with its path; "" keeps the factory call harmless until then.
 */
export function endpoint(baseURL: string | EnvRef, path: string): string {
  return `${(resolveEnv(baseURL) ?? "").replace(/\/+$/, "")}/${path}`;
}

/** JSON request headers with `Authorization: Bearer <key>` when a key is set (OpenAI's APIs). */
export function bearerHeaders(
  stream: boolean | undefined,
  apiKey: string | EnvRef | undefined,
  extra?: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: stream ? "text/event-stream" : "application/json",
    ...extra,
  };
  const key = resolveEnv(apiKey);
  if (key) headers.authorization = `Bearer ${key}`;
  return headers;
}

/** A content part or a message content as plain text: a string, or the text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  return objs(content)
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text as string)
    .join("");
}

/** `data:<media type>;base64,<data>`, split; undefined for any other URL. */
export function parseDataUri(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return match ? { mediaType: match[1], data: match[2] } : undefined;
}

interface FunctionTool {
  name: string;
  description?: string;
  parameters?: Obj;
  strict?: boolean;
}

/** The request's function tools (other tool types have no counterpart and are left out). */
export function functionTools(tools: unknown): FunctionTool[] {
  const out: FunctionTool[] = [];
  for (const tool of objs(tools)) {
    const fn = isObj(tool.function) ? tool.function : undefined;
    const name = str(fn?.name);
    if (tool.type !== "function" || !fn || !name) continue;
    out.push({
      name,
      description: str(fn.description),
      parameters: isObj(fn.parameters) ? fn.parameters : undefined,
      strict: typeof fn.strict === "boolean" ? fn.strict : undefined,
    });
  }
  return out;
}

interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** An assistant message's function calls. */
export function toolCallsOf(message: Obj): ToolCall[] {
  return objs(message.tool_calls).flatMap((call) => {
    const fn = isObj(call.function) ? call.function : undefined;
    const id = str(call.id);
    const name = str(fn?.name);
    return id && name ? [{ id, name, arguments: str(fn?.arguments) ?? "" }] : [];
  });
}

/** `max_completion_tokens` (the current name) or `max_tokens` (the legacy one). */
export function maxTokensOf(body: ChatRequest): number | undefined {
  return num(body.max_completion_tokens) ?? num(body.max_tokens);
}

/** The tool choice as one of "auto" | "none" | "required", or the name of the one function forced. */
export function toolChoiceOf(choice: unknown): { mode: "auto" | "none" | "required" } | { name: string } | undefined {
  if (choice === "auto" || choice === "none" || choice === "required") return { mode: choice };
  if (isObj(choice) && isObj(choice.function) && typeof choice.function.name === "string")
    return { name: choice.function.name };
  return undefined;
}

/** What every chunk of one streamed answer repeats. */
export interface ChunkMeta {
  id: string;
  model: string;
  created: number;
}

export function chunk(meta: ChunkMeta, delta: Obj, finishReason: string | null = null): Obj {
  return {
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

/** The usage-only chunk (`choices: []`) OpenAI sends last; the gateway's relay ends the stream on it. */
export function usageChunk(meta: ChunkMeta, usage: Usage): Obj {
  return { id: meta.id, object: "chat.completion.chunk", created: meta.created, model: meta.model, choices: [], usage };
}

/** An error in OpenAI's shape: the gateway treats a body or chunk carrying one as an error in disguise. */
export function errorObject(message: string, type: string, code: string | undefined): { error: Obj } {
  return { error: { message, type, code: code ?? type, param: null } };
}

export function usageOf(prompt: number, completion: number, cached?: number, reasoning?: number): Usage {
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  if (cached !== undefined) usage.prompt_tokens_details = { cached_tokens: cached };
  if (reasoning !== undefined) usage.completion_tokens_details = { reasoning_tokens: reasoning };
  return usage;
}

/** Upstream JSON that is not what the protocol promises becomes an error the gateway fails over from. */
export function notProtocol(what: string, body: unknown): { error: Obj } {
  return errorObject(
    `upstream answered 200 with a body that is not ${what}: ${JSON.stringify(body).slice(0, 200)}`,
    "bad_response",
    "bad_response",
  );
}

/** Unix seconds, for the `created` field (Anthropic sends no timestamp). */
// A wire timestamp (`created`) for translated answers, not a budget: parse hooks get no clock.
// biome-ignore lint/plugin: the wall clock is the value wanted here
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
