import { type ChatRequest, definePlugin, type EnvRef, type Provider, type Static, Type } from "../../src/index.ts";
import { BaseURL, bearerHeaders, endpoint, Secret } from "./shared/openai-chat.ts";

const Options = Type.Object(
  {
    baseURL: BaseURL,
    apiKey: Type.Optional(Secret),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: "extra headers sent upstream" })),
    streamUsage: Type.Optional(
      Type.Boolean({ description: "ask for usage on streams (stream_options.include_usage); default true" }),
    ),
  },
  { additionalProperties: false },
);
export type OpenAIOptions = Omit<Static<typeof Options>, "apiKey" | "baseURL"> & {
  baseURL: string | EnvRef;
  apiKey?: string | EnvRef;
};

/**
 * Any OpenAI-compatible chat completions upstream (OpenAI, DeepSeek, Groq, vLLM, Ollama, ...).
 * Connections are pooled and kept alive by the runtime's fetch; TLS certificates are verified (there is
 * no switch to turn that off). Only the headers built here go upstream: nothing of the client's request
 * headers is forwarded blindly.
 */
export function openai(options: OpenAIOptions): Provider<OpenAIOptions> {
  const url = endpoint(options.baseURL, "chat/completions");
  const embeddingsUrl = endpoint(options.baseURL, "embeddings");
  const streamUsage = options.streamUsage ?? true;
  return definePlugin({
    name: "builtin:openai",
    kind: "provider",
    mode: "live",
    options,
    schema: Options,
    buildRequest(body, target) {
      const headers = bearerHeaders(body.stream, options.apiKey, options.headers);
      const upstreamBody: ChatRequest = { ...body, model: target.model };
      // Usage is what the request log and cost figures need; the relay hides the extra chunk from
      // clients that did not ask for it.
      if (body.stream && streamUsage)
        upstreamBody.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
      return { url, method: "POST", headers, body: JSON.stringify(upstreamBody) };
    },
    buildEmbeddingsRequest(body, target) {
      const headers = bearerHeaders(false, options.apiKey, options.headers);
      return { url: embeddingsUrl, method: "POST", headers, body: JSON.stringify({ ...body, model: target.model }) };
    },
  });
}
