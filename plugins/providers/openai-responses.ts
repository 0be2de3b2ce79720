import { definePlugin, resolveEnv, Type, type EnvRef, type Provider, type Static } from "../../src/index.ts";
import { toResponsesBody } from "./openai-responses/request.ts";
import { fromResponse } from "./openai-responses/response.ts";
import { responsesStreamParser } from "./openai-responses/stream.ts";
import { BaseURL, Secret } from "./shared/openai-chat.ts";

const Options = Type.Object(
  {
    baseURL: BaseURL,
    apiKey: Type.Optional(Secret),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: "extra headers sent upstream" })),
  },
  { additionalProperties: false },
);
export type OpenAIResponsesOptions = Omit<Static<typeof Options>, "apiKey" | "baseURL"> & { baseURL: string | EnvRef; apiKey?: string | EnvRef };

/**
 * OpenAI's Responses API (POST {baseURL}/responses, e.g. baseURL https://api.openai.com/v1), spoken to
 * clients as chat completions both ways: instructions, images and files, function tools and their
 * outputs (matched by `call_id`), structured outputs, reasoning summaries, usage, streams. Requests are
 * sent with `store: false` unless the client asks to store. The Responses API does not continue a
 * trailing assistant message, so model entries on this provider must not say `prefill: true`.
 */
export function openaiResponses(options: OpenAIResponsesOptions): Provider<OpenAIResponsesOptions> & Required<Pick<Provider<OpenAIResponsesOptions>, "createStreamParser" | "parseResponse">> {
  // An unset env reference is reported by the config loader with its path; "" keeps this call harmless.
  const url = `${(resolveEnv(options.baseURL) ?? "").replace(/\/+$/, "")}/responses`;
  return definePlugin({
    name: "builtin:openai-responses",
    kind: "provider",
    mode: "live",
    options,
    schema: Options,
    buildRequest(body, target) {
      const headers: Record<string, string> = { "content-type": "application/json", accept: body.stream ? "text/event-stream" : "application/json", ...options.headers };
      const key = resolveEnv(options.apiKey);
      if (key) headers.authorization = `Bearer ${key}`;
      return { url, method: "POST", headers, body: JSON.stringify(toResponsesBody(body, target.model)) };
    },
    parseResponse(body) {
      return fromResponse(body);
    },
    createStreamParser() {
      return responsesStreamParser();
    },
  });
}
