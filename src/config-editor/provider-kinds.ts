/**
 * The provider factories the admin's "Add provider" form offers (plugins/index.ts), how each is written
 * into `gateway.config.ts`, and how its upstream is asked for its models: the connection test and the
 * model list both GET `{baseURL}/models` (OpenAI and Anthropic both serve it), with a short timeout.
 */
import type { JsonValue } from "./source-edit.ts";

export interface ProviderKind {
  /** The factory's name in plugins/index.ts. */
  factory: "openai" | "openaiResponses" | "anthropic";
  label: string;
  defaultBaseURL: string;
  /** Whether the factory requires an API key (anthropic does). */
  keyRequired: boolean;
  /** The headers that carry the key on this upstream. */
  auth: (apiKey: string) => Record<string, string>;
}

const bearer = (apiKey: string): Record<string, string> => ({ authorization: `Bearer ${apiKey}` });

export const PROVIDER_KINDS: ProviderKind[] = [
  {
    factory: "openai",
    label: "OpenAI-compatible chat completions",
    defaultBaseURL: "https://api.openai.com/v1",
    keyRequired: false,
    auth: bearer,
  },
  {
    factory: "openaiResponses",
    label: "OpenAI Responses API",
    defaultBaseURL: "https://api.openai.com/v1",
    keyRequired: false,
    auth: bearer,
  },
  {
    factory: "anthropic",
    label: "Anthropic Messages API",
    defaultBaseURL: "https://api.anthropic.com/v1",
    keyRequired: true,
    auth: (apiKey) => ({ "x-api-key": apiKey, "anthropic-version": "2023-06-01" }),
  },
];

export const providerKind = (factory: string): ProviderKind | undefined =>
  PROVIDER_KINDS.find((kind) => kind.factory === factory);

/** A provider id the config accepts as a key and a `provider/model` prefix. */
export const PROVIDER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** The value an insert at `providers.<name>` writes: `factory({ baseURL, apiKey: env("NAME") })`. */
export function providerValue(kind: ProviderKind, baseURL: string, keyEnv?: string): JsonValue {
  const options: Record<string, JsonValue> = { baseURL };
  if (keyEnv) options.apiKey = { $env: keyEnv };
  return { $call: kind.factory, args: [options] };
}

export interface ProbeResult {
  ok: boolean;
  /** The upstream's HTTP status, when it answered. */
  status?: number;
  /** Model ids its /models listed (sorted), when it has that route. */
  models: string[];
  /** What went wrong, in words, never holding the key. */
  error?: string;
}

const PROBE_TIMEOUT_MS = 8_000;
const MAX_MODELS = 500;

/** `text` with every occurrence of the key replaced, for an error message quoting the upstream. */
function scrub(text: string, apiKey: string | undefined): string {
  const clean = apiKey && apiKey.length >= 4 ? text.split(apiKey).join("[key]") : text;
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

/** The error message an OpenAI- or Anthropic-shaped error body carries, if any. */
function upstreamMessage(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === "string") return error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : undefined;
}

/**
 * GET `{baseURL}/models` with the key: ok on a 2xx. A 404 still counts as reachable (some
 * OpenAI-compatible servers have no model list) but says so. Redirects are not followed: a key is
 * never sent on to another host.
 */
export async function probeUpstream(
  kind: ProviderKind,
  baseURL: string,
  apiKey: string | undefined,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): Promise<ProbeResult> {
  let url: URL;
  try {
    url = new URL(`${baseURL.replace(/\/+$/, "")}/models`);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    return { ok: false, models: [], error: "The base URL must be an http:// or https:// address." };
  }
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { accept: "application/json", ...(apiKey ? kind.auth(apiKey) : {}) },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error)?.name;
    const reason =
      name === "TimeoutError" || name === "AbortError"
        ? `no answer within ${timeoutMs / 1000} s`
        : scrub((error as Error)?.message ?? String(error), apiKey);
    return { ok: false, models: [], error: `Could not reach ${url.host}: ${reason}.` };
  }
  const status = response.status;
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = undefined;
  }
  if (status >= 300 && status < 400)
    return { ok: false, status, models: [], error: `${url.host} answered a redirect (${status}): check the base URL.` };
  if (status === 404)
    return { ok: true, status, models: [], error: "Reachable, but it has no /models list: type the model names." };
  if (status === 401 || status === 403) {
    const said = upstreamMessage(body);
    return {
      ok: false,
      status,
      models: [],
      error: `The upstream refused the key (${status})${said ? `: ${scrub(said, apiKey)}` : "."}`,
    };
  }
  if (status < 200 || status >= 300) {
    const said = upstreamMessage(body);
    return {
      ok: false,
      status,
      models: [],
      error: `The upstream answered ${status}${said ? `: ${scrub(said, apiKey)}` : "."}`,
    };
  }
  const data = (body as { data?: unknown } | undefined)?.data;
  const models = Array.isArray(data)
    ? [...new Set(data.map((m) => (m as { id?: unknown })?.id).filter((id): id is string => typeof id === "string"))]
        .sort()
        .slice(0, MAX_MODELS)
    : [];
  return { ok: true, status, models };
}
