/**
 * OpenAI's embeddings endpoint for the mock upstream (POST /v1/embeddings): one vector per input of
 * `dimensions` numbers (default 8; as floats, or base64 float32 when asked), derived from the input so equal texts embed equally, usage counted
 * as one token per four characters. A model string with `fault=error` answers 503, as an outage does.
 */
import { errorPayload } from "./wire.ts";

export interface EmbeddingsServer {
  record(model: string, body: Record<string, unknown>): number;
}

function vector(text: string, dimensions: number): number[] {
  let seed = 0;
  for (let i = 0; i < text.length; i++) seed = (seed * 31 + text.charCodeAt(i)) >>> 0;
  return Array.from({ length: dimensions }, (_, i) => (((seed >>> (i % 24)) & 0xff) / 255) * 2 - 1);
}

export async function embeddingsApi(req: Request, server: EmbeddingsServer): Promise<Response> {
  const body = (await req.json().catch(() => ({}))) as Record<string, unknown>;
  const model = typeof body.model === "string" ? body.model : "";
  server.record(model, body);
  if (model.includes("fault=error"))
    return Response.json(errorPayload("The embeddings model is overloaded.", "server_error", "overloaded"), {
      status: 503,
    });
  const raw = body.input;
  const inputs = Array.isArray(raw) && typeof raw[0] !== "number" ? raw : [raw];
  const dimensions = typeof body.dimensions === "number" ? body.dimensions : 8;
  const texts = inputs.map((input) => (typeof input === "string" ? input : JSON.stringify(input)));
  // base64 is little-endian float32, as OpenAI sends it (the openai SDK asks for it by default).
  const encode = (values: number[]) =>
    body.encoding_format === "base64" ? Buffer.from(new Float32Array(values).buffer).toString("base64") : values;
  const data = texts.map((text, index) => ({
    object: "embedding",
    index,
    embedding: encode(vector(text, dimensions)),
  }));
  const tokens = texts.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
  return Response.json({ object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}
