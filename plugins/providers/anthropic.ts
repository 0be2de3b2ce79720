import {
  type ChatRequest,
  definePlugin,
  type EnvRef,
  type Provider,
  resolveEnv,
  type Static,
  Type,
} from "../../src/index.ts";
import { prefillWhitespace, toAnthropicBody } from "./anthropic/request.ts";
import { fromAnthropicMessage } from "./anthropic/response.ts";
import { anthropicStreamParser } from "./anthropic/stream.ts";
import { BaseURL, endpoint, Secret } from "./shared/openai-chat.ts";

const Options = Type.Object(
  {
    baseURL: BaseURL,
    apiKey: Secret,
    version: Type.Optional(
      Type.String({ minLength: 1, description: 'the anthropic-version header; default "2023-06-01"' }),
    ),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: "extra headers sent upstream (e.g. anthropic-beta)" }),
    ),
    defaultMaxTokens: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "max_tokens when the client sets none (Anthropic requires it); default 4096",
      }),
    ),
  },
  { additionalProperties: false },
);
export type AnthropicOptions = Omit<Static<typeof Options>, "apiKey" | "baseURL"> & {
  baseURL: string | EnvRef;
  apiKey: string | EnvRef;
};

/**
 * Anthropic's Messages API (POST {baseURL}/messages, e.g. baseURL https://api.anthropic.com/v1), spoken
 * to clients as OpenAI chat completions both ways: system messages, images, tools and tool results,
 * stop sequences, thinking (as `reasoning_content`), usage, streams. A trailing assistant message is
 * continued, so a model entry on this provider may say `prefill: true`.
 */
export function anthropic(
  options: AnthropicOptions,
): Provider<AnthropicOptions> & Required<Pick<Provider<AnthropicOptions>, "createStreamParser" | "parseResponse">> {
  const url = endpoint(options.baseURL, "messages");
  const version = options.version ?? "2023-06-01";
  const defaultMaxTokens = options.defaultMaxTokens ?? 4096;
  return definePlugin({
    name: "builtin:anthropic",
    kind: "provider",
    native: "anthropic",
    mode: "live",
    options,
    schema: Options,
    buildRequest(body, target) {
      const headers: Record<string, string> = {
        "content-type": "application/json",
        accept: body.stream ? "text/event-stream" : "application/json",
        ...options.headers,
        "x-api-key": resolveEnv(options.apiKey) ?? "",
        "anthropic-version": version,
      };
      // A client's beta opt-in (the Messages door's `anthropic-beta` header, or a chat body's `anthropic_beta`).
      if (typeof body.anthropic_beta === "string") headers["anthropic-beta"] = body.anthropic_beta;
      return {
        url,
        method: "POST",
        headers,
        body: JSON.stringify(toAnthropicBody(body, target.model, defaultMaxTokens)),
      };
    },
    parseResponse(body, _target, request: ChatRequest) {
      return fromAnthropicMessage(body, request ? prefillWhitespace(request.messages).length : 0);
    },
    createStreamParser(body) {
      return anthropicStreamParser(prefillWhitespace(body.messages).length);
    },
  });
}
