/**
 * `POST /v1/embeddings` through an embeddings tier, with the official `openai` client against an
 * in-memory gateway in front of scripted upstreams: batch inputs and options forwarded, failover and
 * health as for chat, no classification, and a clear 400 for a request of the other kind.
 */
import { afterEach, expect, test } from "bun:test";
import OpenAI from "openai";
import { type ScriptStep, scripted } from "../../plugins/index.ts";
import { createGateway, defineConfig, type InMemoryGateway } from "../../src/index.ts";

let gateway: InMemoryGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function setup(steps: Record<string, ScriptStep[]>) {
  const up = scripted(steps);
  gateway = createGateway({
    store: "memory",
    config: defineConfig({
      providers: { up },
      tiers: {
        t1: { models: ["up/chat-small"] },
        embed: { kind: "embeddings", models: ["up/embed-a", "up/embed-b"] },
      },
    }),
  });
  const g = gateway;
  const client = new OpenAI({
    baseURL: "http://gateway/v1",
    apiKey: "k",
    maxRetries: 0,
    fetch: (url, init) => g.handle(new Request(url as string, init as RequestInit)),
  });
  return { up, client };
}

test("a batch is embedded by the tier's first model; dimensions and encoding_format reach it", async () => {
  const { up, client } = setup({ "embed-a": [{}], "embed-b": [{}], "chat-small": [{ text: "x" }] });
  const { data, response } = await client.embeddings
    .create({ model: "embed", input: ["first", "second"], dimensions: 3, encoding_format: "float" })
    .withResponse();
  expect(data.data.map((d) => d.index)).toEqual([0, 1]);
  expect(data.usage.prompt_tokens).toBe(2);
  expect(response.headers.get("x-gateway-tier")).toBe("embed");
  expect(response.headers.get("x-gateway-model")).toBe("up/embed-a");
  expect(up.calls[0].body).toMatchObject({
    model: "embed-a",
    input: ["first", "second"],
    dimensions: 3,
    encoding_format: "float",
  });
});

test("a failing embeddings model fails over like a chat model, and the client never sees it", async () => {
  const { up, client } = setup({ "embed-a": [{ status: 503 }], "embed-b": [{}], "chat-small": [{ text: "x" }] });
  const { data, response } = await client.embeddings.create({ model: "auto", input: "hello" }).withResponse();
  expect(data.data).toHaveLength(1);
  expect(response.headers.get("x-gateway-model")).toBe("up/embed-b");
  expect(up.seen("embed-a")).toBeGreaterThan(0);
  expect(gateway!.health("up/embed-a").failures).toBeGreaterThan(0);
});

test("an answer with fewer vectors than inputs is a failure, not a success", async () => {
  const short = {
    body: {
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [1] }],
      usage: { prompt_tokens: 2, total_tokens: 2 },
    },
  };
  const { client } = setup({ "embed-a": [short], "embed-b": [{}], "chat-small": [{ text: "x" }] });
  const { response } = await client.embeddings.create({ model: "embed", input: ["a", "b"] }).withResponse();
  expect(response.headers.get("x-gateway-model")).toBe("up/embed-b");
});

test("the other kind of request is a clear 400, in both directions", async () => {
  const { client, up } = setup({ "embed-a": [{}], "embed-b": [{}], "chat-small": [{ text: "x" }] });
  const chatToEmbed = await client.chat.completions
    .create({ model: "embed", messages: [{ role: "user", content: "hi" }] })
    .catch((e) => e);
  expect(chatToEmbed.status).toBe(400);
  expect(chatToEmbed.message).toContain("serves embeddings");
  const embedToChat = await client.embeddings.create({ model: "t1", input: "hi" }).catch((e) => e);
  expect(embedToChat.status).toBe(400);
  expect(embedToChat.message).toContain("serves chat completions");
  const empty = await client.embeddings.create({ model: "embed", input: "" }).catch((e) => e);
  expect(empty.status).toBe(400);
  expect(up.calls).toHaveLength(0);
});

test("a config whose embeddings tier uses a provider without embeddings is refused at load", () => {
  const chatOnly = { ...scripted([{}]), buildEmbeddingsRequest: undefined };
  expect(() =>
    createGateway({
      config: defineConfig({
        providers: { c: chatOnly },
        tiers: { t1: { models: ["c/x"] }, e: { kind: "embeddings", models: ["c/y"] } },
      }),
    }),
  ).toThrow(/does not serve embeddings/);
});
