/**
 * Pass-through: a front door's request sent to an upstream that speaks the door's own API (Messages to
 * an `anthropic` provider, Responses to a `responses` one) goes as the client wrote it, byte for byte,
 * with only `model` swapped for the target's. Nothing of it is translated, so what no translation
 * carries (`cache_control`, signed thinking, encrypted reasoning, item types and fields the gateway does
 * not know) survives. The provider still owns the URL and the auth headers; the answer goes back to the
 * client as the upstream sent it (the door's edge skips translation for a response marked here).
 */
import type { ResolvedConfig } from "../config/types.ts";
import { invalidField } from "../errors.ts";
import type { ChatRequest, Provider, Target, UpstreamRequest } from "../plugin/types.ts";

/** The APIs a door can speak natively (a provider's `native`). */
export type NativeApi = NonNullable<Provider["native"]>;

/**
 * The candidates that speak `door.api`, for a request only they can take (a Responses `custom` tool):
 * the others would get a translation without it. None left: the door's 400, naming the field.
 */
export function onlyNative(
  candidates: Target[],
  config: ResolvedConfig,
  door: { api: NativeApi; nativeOnly?: { param: string; message: string } },
): Target[] {
  const native = candidates.filter((t) => config.providers[t.provider]?.native === door.api);
  if (native.length === 0 && door.nativeOnly) throw invalidField(door.nativeOnly.param, door.nativeOnly.message);
  return native;
}

/** The upstream request: the provider's URL and headers (built from the chat body), the client's own body. */
export function passThroughRequest(
  provider: Provider,
  chat: ChatRequest,
  target: Target,
  clientBody: string,
): UpstreamRequest {
  return { ...provider.buildRequest(chat, target), body: withModel(clientBody, target.model) };
}

/**
 * `text` (a JSON object) with its top-level `model` value replaced by `model`, every other byte kept.
 * A body whose top level cannot be scanned (never one that parsed) is re-serialized instead.
 */
export function withModel(text: string, model: string): string {
  const span = topLevelValue(text, "model");
  const value = JSON.stringify(model);
  if (span) return text.slice(0, span.start) + value + text.slice(span.end);
  try {
    return JSON.stringify({ ...(JSON.parse(text) as object), model });
  } catch {
    return text;
  }
}

/** Where the value of the last top-level `key` sits in `text` (JSON.parse keeps the last of duplicates). */
function topLevelValue(text: string, key: string): { start: number; end: number } | undefined {
  let found: { start: number; end: number } | undefined;
  let depth = 0;
  let i = text.indexOf("{");
  if (i < 0) return undefined;
  /** At depth 1, the next string is a key (after `{` or `,`), else a value. */
  let expectKey = true;
  let pendingKey: string | undefined;
  let valueStart = -1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      if (depth === 1 && expectKey) pendingKey = JSON.parse(text.slice(i, end)) as string;
      i = end - 1;
      continue;
    }
    if (c === "{" || c === "[") depth += 1;
    else if (c === "}" || c === "]") {
      if (depth === 1 && pendingKey === key && valueStart >= 0) found = { start: valueStart, end: trimEnd(text, i) };
      depth -= 1;
      if (depth === 0) return found;
    } else if (depth === 1 && c === ":") {
      expectKey = false;
      valueStart = skipSpace(text, i + 1);
    } else if (depth === 1 && c === ",") {
      if (pendingKey === key && valueStart >= 0) found = { start: valueStart, end: trimEnd(text, i) };
      expectKey = true;
      pendingKey = undefined;
      valueStart = -1;
    }
  }
  return undefined;
}

/** Index just past the string starting at `start` (a `"`); -1 when it never closes. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

const skipSpace = (text: string, from: number) => {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i += 1;
  return i;
};

/** `end` moved back over the whitespace before it (the value ends where its bytes end). */
const trimEnd = (text: string, end: number) => {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1])) i -= 1;
  return i;
};
