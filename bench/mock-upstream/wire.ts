/**
 * OpenAI wire format for the mock upstream: content chunking, prefill
 * continuation, completion / chunk / error payloads.
 */

export interface OpenAIError {
  error: { message: string; type: string; code: string | null; param: string | null };
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Identity of one completion, shared by all its chunks. */
export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

const JSON_HEADERS = { "content-type": "application/json" } as const;

/** Canonical chunks: `["w1 ", "w2 ", ..., "wN"]`, or `text` split after each run of spaces. */
export function contentChunks(tokens: number, text?: string): string[] {
  if (text !== undefined) {
    // Split between a space and the next non-space: every chunk keeps its trailing
    // spaces, and the chunks always join back to exactly `text`.
    return text.split(/(?<= )(?=[^ ])/).filter((chunk) => chunk !== "");
  }
  return Array.from({ length: tokens }, (_, i) => (i === tokens - 1 ? `w${i + 1}` : `w${i + 1} `));
}

/** The full canonical answer text for the given params. */
export function mockReply(tokens = 8, text?: string): string {
  return contentChunks(tokens, text).join("");
}

/**
 * Chunks still to send when the client prefilled `prefill` as the assistant's
 * answer: the chunks after those already covered, the first one trimmed when the
 * prefill ends mid-chunk. `undefined` when `prefill` is not a prefix of the content.
 */
export function continueAfter(chunks: string[], prefill: string): string[] | undefined {
  if (!chunks.join("").startsWith(prefill)) return undefined;
  let covered = 0;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i] ?? "";
    if (covered + chunk.length > prefill.length) {
      return [chunk.slice(prefill.length - covered), ...chunks.slice(i + 1)];
    }
    covered += chunk.length;
  }
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Request messages reduced to what the mock looks at. */
export function messagesOf(body: Record<string, unknown>): { role: string; content: unknown }[] {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return messages.filter(isRecord).map((m) => ({ role: String(m.role), content: m.content }));
}

/** Content of a trailing assistant message (a prefill), if the request ends with one. */
export function trailingAssistant(body: Record<string, unknown>): { content: unknown } | undefined {
  const last = messagesOf(body).at(-1);
  return last?.role === "assistant" ? last : undefined;
}

export function usageFor(body: Record<string, unknown>, completionTokens: number): Usage {
  let chars = 0;
  for (const { content } of messagesOf(body)) if (typeof content === "string") chars += content.length;
  const prompt = Math.ceil(chars / 4);
  return { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens };
}

export function completion(meta: CompletionMeta, content: string, usage: Usage): Response {
  const payload = {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop", logprobs: null }],
    usage,
  };
  return new Response(JSON.stringify(payload), { headers: JSON_HEADERS });
}

/** One `chat.completion.chunk` object; `choices` empty for the usage chunk. */
export function chunk(
  meta: CompletionMeta,
  delta: Record<string, string> | null,
  finish: string | null,
  usage?: Usage,
): unknown {
  const choices = delta === null ? [] : [{ index: 0, delta, finish_reason: finish }];
  const base = { id: meta.id, object: "chat.completion.chunk", created: meta.created, model: meta.model, choices };
  return usage ? { ...base, usage } : base;
}

export function errorPayload(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAIError {
  return { error: { message, type, code, param } };
}

export function errorResponse(status: number, payload: OpenAIError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(payload), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** The error OpenAI would send for a bare HTTP status. */
export function statusError(status: number, message?: string): OpenAIError {
  if (status === 429)
    return errorPayload(message ?? "Rate limit reached for requests", "requests", "rate_limit_exceeded");
  if (status >= 500)
    return errorPayload(
      message ?? `The server had an error while processing your request (mock ${status})`,
      "server_error",
      null,
    );
  return errorPayload(message ?? `Mock upstream error ${status}`, "invalid_request_error", null);
}
