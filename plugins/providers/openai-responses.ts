import { definePlugin, type EnvRef, type Provider, type Static, Type } from "../../src/index.ts";
import { toResponsesBody } from "./openai-responses/request.ts";
import { fromResponse } from "./openai-responses/response.ts";
import { responsesStreamParser } from "./openai-responses/stream.ts";
import { BaseURL, bearerHeaders, endpoint, Secret } from "./shared/openai-chat.ts";

const Options = Type.Object(
  {
    baseURL: BaseURL,
    apiKey: Type.Optional(Secret),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: "extra headers sent upstream" })),
  },
  { additionalProperties: false },
);
export type OpenAIResponsesOptions = Omit<Static<typeof Options>, "apiKey" | "baseURL"> & {
  baseURL: string | EnvRef;
  apiKey?: string | EnvRef;
};

/**
 * OpenAI's Responses API (POST {baseURL}/responses, e.g. baseURL https://api.openai.com/v1), spoken to
 * clients as chat completions both ways: instructions, images and files, function tools and their
 * outputs (matched by `call_id`), structured outputs, reasoning summaries, usage, streams. Requests are
 * sent with `store: false` unless the client asks to store. The Responses API does not continue a
 * trailing assistant message, so model entries on this provider must not say `prefill: true`.
 */
export function openaiResponses(
  options: OpenAIResponsesOptions,
): Provider<OpenAIResponsesOptions> &
  Required<Pick<Provider<OpenAIResponsesOptions>, "createStreamParser" | "parseResponse">> {
  const url = endpoint(options.baseURL, "responses");
  return definePlugin({
    name: "builtin:openai-responses",
    kind: "provider",
    native: "responses",
    mode: "live",
    options,
    schema: Options,
    buildRequest(body, target) {
      const headers = bearerHeaders(body.stream, options.apiKey, options.headers);
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
