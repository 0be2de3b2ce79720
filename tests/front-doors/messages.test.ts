/**
 * The Anthropic Messages front door, as Claude Code and the Anthropic SDK use it: the official
 * `@anthropic-ai/sdk` client against an in-memory gateway (its `fetch` is the gateway's `handle`), in
 * front of scripted chat upstreams. Translation both ways, the streamed event order, tool ids and
 * arguments, thinking, errors in Anthropic's shape, and the commit rule through this door.
 */
import { afterEach, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { anthropic, type ScriptStep, scripted } from "../../plugins/index.ts";
import { createGateway, defineConfig, type InMemoryGateway, type Logger } from "../../src/index.ts";

let gateway: InMemoryGateway | undefined;

/** The official client, its requests answered by an in-memory gateway. */
const inMemoryClient = (g: InMemoryGateway, apiKey = "k") =>
  new Anthropic({
    baseURL: "http://gateway",
    apiKey,
    fetch: (url, init) => g.handle(new Request(url as string, init as RequestInit)),
    maxRetries: 0,
  });
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function setup(
  steps: ScriptStep[] | Record<string, ScriptStep[]>,
  extra: Parameters<typeof defineConfig>[0] extends infer C ? Partial<C & object> : never = {},
) {
  const up = scripted(steps);
  const lines: string[] = [];
  const log: Logger = {
    info: (m, d) => void lines.push(`${m} ${JSON.stringify(d ?? {})}`),
    warn: (m) => void lines.push(m),
    error: (m) => void lines.push(m),
  };
  gateway = createGateway({
    log,
    config: defineConfig({
      providers: { up },
      tiers: { t1: { models: ["up/m1", "up/m2"] } },
      routing: { defaultTier: "t1" },
      ...extra,
    }),
  });
  const g = gateway;
  const client = inMemoryClient(g, "sk-test");
  return {
    up,
    client,
    lines,
    raw: (body: object) =>
      g.handle(
        new Request("http://gateway/v1/messages", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      ),
  };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 0,
  model: "m1",
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const raw = (...events: unknown[]) => ({
  raw: events.map((e) => `data: ${typeof e === "string" ? e : JSON.stringify(e)}\n\n`).join(""),
});

/** The event names of a Messages stream, in order. */
function eventNames(text: string): string[] {
  return [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
}

test("a message: text, stop reason, usage and the gateway's headers", async () => {
  const { client } = setup([{ text: "Bonjour" }]);
  const { data, response } = await client.messages
    .create({ model: "auto", max_tokens: 64, system: "Be brief.", messages: [{ role: "user", content: "hi" }] })
    .withResponse();
  expect(data.content).toEqual([{ type: "text", text: "Bonjour", citations: null }]);
  expect(data.stop_reason).toBe("end_turn");
  expect(data.usage).toMatchObject({ input_tokens: 1, output_tokens: 1 });
  expect(data.id).toMatch(/^msg_/);
  expect(response.headers.get("x-gateway-tier")).toBe("t1");
  expect(response.headers.get("x-gateway-model")).toBe("up/m1");
});

test("the request reaches the upstream as chat: system, text and images, stop sequences, tools and tool choice", async () => {
  const { up, client } = setup([{ text: "ok" }]);
  await client.messages.create({
    model: "t1",
    max_tokens: 100,
    system: [{ type: "text", text: "You are terse." }],
    stop_sequences: ["END"],
    tools: [
      {
        name: "get_weather",
        description: "Weather now",
        input_schema: { type: "object", properties: { city: { type: "string" } } },
      },
    ],
    tool_choice: { type: "any", disable_parallel_tool_use: true },
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
        ],
      },
    ],
  });
  const sent = up.calls[0].body;
  expect(sent.messages[0]).toEqual({ role: "system", content: "You are terse." });
  expect(sent.messages[1]).toEqual({
    role: "user",
    content: [
      { type: "text", text: "What is this?" },
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
    ],
  });
  expect(sent).toMatchObject({
    stop: ["END"],
    max_tokens: 100,
    tool_choice: "required",
    parallel_tool_calls: false,
  });
  expect(sent.tools).toEqual([
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Weather now",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      },
    },
  ]);
});

test("streamed: the documented event order, and the SDK assembles the whole text", async () => {
  const { client, raw: post } = setup([{ stream: ["Hel", "lo", " there"] }]);
  const stream = client.messages.stream({ model: "auto", max_tokens: 64, messages: [{ role: "user", content: "hi" }] });
  const final = await stream.finalMessage();
  expect(final.content as unknown).toMatchObject([{ type: "text", text: "Hello there", citations: null }]);
  expect(final.stop_reason).toBe("end_turn");
  const text = await (
    await post({ model: "auto", max_tokens: 64, stream: true, messages: [{ role: "user", content: "hi" }] })
  ).text();
  expect(eventNames(text)).toEqual([
    "message_start",
    "ping",
    "content_block_start",
    "content_block_delta",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
  ]);
  expect(text).toContain('"usage":{"input_tokens":1,"output_tokens":3}');
});

test("a tool use round trip keeps the ids and the arguments, streamed in fragments", async () => {
  const call = (delta: Record<string, unknown>) => chunk({ tool_calls: [{ index: 0, ...delta }] });
  const { up, client } = setup([
    {
      stream: [
        raw(
          call({ id: "call_42", type: "function", function: { name: "get_weather", arguments: "" } }),
          call({ function: { arguments: '{"city":' } }),
          call({ function: { arguments: '"Paris"}' } }),
          chunk({}, "tool_calls"),
          "[DONE]",
        ),
      ],
      end: "eof",
    },
    { text: "It is sunny in Paris." },
  ]);
  const tools = [{ name: "get_weather", input_schema: { type: "object" as const } }];
  const first = await client.messages
    .stream({ model: "auto", max_tokens: 64, tools, messages: [{ role: "user", content: "Weather in Paris?" }] })
    .finalMessage();
  expect(first.stop_reason).toBe("tool_use");
  expect(first.content).toEqual([
    { type: "tool_use", id: "call_42", name: "get_weather", input: { city: "Paris" }, caller: { type: "direct" } },
  ]);
  const second = await client.messages.create({
    model: "auto",
    max_tokens: 64,
    tools,
    messages: [
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: first.content },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_42", content: "sunny, 24°C" },
          { type: "text", text: "Thanks" },
        ],
      },
    ],
  });
  expect(second.content).toEqual([{ type: "text", text: "It is sunny in Paris.", citations: null }]);
  const sent = up.calls[1].body.messages;
  expect(sent[1]).toEqual({
    role: "assistant",
    content: null,
    tool_calls: [{ id: "call_42", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
  });
  expect(sent[2]).toEqual({ role: "tool", tool_call_id: "call_42", content: "sunny, 24°C" });
  expect(sent[3]).toEqual({ role: "user", content: "Thanks" });
});

test("thinking: asked as a budget, sent as reasoning_effort; reasoning streams in its own thinking block", async () => {
  const {
    up,
    raw: post,
    lines,
  } = setup([{ stream: [chunk({ role: "assistant", reasoning_content: "Let me think." }), chunk({ content: "42" })] }]);
  const response = await post({
    model: "auto",
    max_tokens: 64,
    stream: true,
    thinking: { type: "enabled", budget_tokens: 10_000 },
    top_k: 5,
    messages: [{ role: "user", content: "Answer?" }],
  });
  const text = await response.text();
  expect(eventNames(text).slice(0, 6)).toEqual([
    "message_start",
    "ping",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "content_block_start",
  ]);
  expect(text).toContain('"content_block":{"type":"thinking","thinking":"","signature":""}');
  expect(text).toContain('"delta":{"type":"thinking_delta","thinking":"Let me think."}');
  expect(text).toContain('"delta":{"type":"text_delta","text":"42"}');
  expect(up.calls[0].body.reasoning_effort).toBe("medium");
  // Anthropic's own fields do not reach a chat upstream, and the log says so.
  expect(up.calls[0].body.top_k).toBeUndefined();
  expect(up.calls[0].body.thinking).toBeUndefined();
  expect(lines.some((l) => l.includes("dropped top_k, thinking for up/m1"))).toBe(true);
});

test("thinking blocks from an earlier turn are removed, deliberately and logged", async () => {
  const { up, client, lines } = setup([{ text: "ok" }]);
  await client.messages.create({
    model: "auto",
    max_tokens: 64,
    messages: [
      { role: "user", content: "a" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "hm", signature: "sig-abc" },
          { type: "text", text: "b" },
        ],
      },
      { role: "user", content: "c" },
    ],
  });
  expect(up.calls[0].body.messages[1]).toEqual({ role: "assistant", content: "b" });
  expect(lines.some((l) => l.includes("removed thinking blocks"))).toBe(true);
});

test("bad input gets Anthropic's error shape and names the field", async () => {
  const { client, raw: post } = setup([{ text: "ok" }]);
  const missing = await client.messages
    .create({ model: "auto", messages: [{ role: "user", content: "hi" }] } as never)
    .catch((e) => e);
  expect(missing.status).toBe(400);
  expect(missing.error).toEqual({
    type: "error",
    error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") },
  });
  const server = await post({
    model: "auto",
    max_tokens: 9,
    tools: [{ type: "web_search_20250305", name: "web_search" }],
    messages: [{ role: "user", content: "x" }],
  });
  expect(server.status).toBe(400);
  expect(((await server.json()) as { error: { message: string } }).error.message).toContain("web_search_20250305");
  const notJson = await gateway!.handle(new Request("http://gateway/v1/messages", { method: "POST", body: "{oops" }));
  expect(notJson.status).toBe(400);
  expect(await notJson.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
});

test("an unknown block type is skipped, not refused", async () => {
  const { up, raw: post } = setup([{ text: "ok" }]);
  const response = await post({
    model: "auto",
    max_tokens: 9,
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "hi" },
          { type: "brand_new_block", x: 1 },
        ],
      },
    ],
  });
  expect(response.status).toBe(200);
  expect(up.calls[0].body.messages).toEqual([{ role: "user", content: "hi" }]);
});

test("a missing or wrong key is a 401 in Anthropic's shape", async () => {
  const { client } = setup([{ text: "ok" }], { auth: { apiKeys: ["sk-right"] } });
  const error = await client.messages
    .create({ model: "auto", max_tokens: 9, messages: [{ role: "user", content: "hi" }] })
    .catch((e) => e);
  expect(error.status).toBe(401);
  expect(error.error.error.type).toBe("authentication_error");
});

test("a failure before the first content fails over invisibly; after it, Anthropic's error event and no message_stop", async () => {
  const before = setup({ m1: [{ status: 503 }], m2: [{ stream: ["saved"] }] });
  const saved = await before.client.messages
    .stream({ model: "auto", max_tokens: 9, messages: [{ role: "user", content: "hi" }] })
    .finalMessage();
  expect(saved.content as unknown).toMatchObject([{ type: "text", text: "saved", citations: null }]);
  await gateway!.close();
  const after = setup({ m1: [{ stream: ["par", "tial"], end: "cut" }], m2: [{ stream: ["never"] }] });
  const text = await (
    await after.raw({ model: "auto", max_tokens: 9, stream: true, messages: [{ role: "user", content: "hi" }] })
  ).text();
  const names = eventNames(text);
  expect(names.at(-1)).toBe("error");
  expect(names).not.toContain("message_stop");
  expect(text).toContain('"type":"error","error":{"type":"api_error"');
  const sdkError = await after.client.messages
    .stream({ model: "auto", max_tokens: 9, messages: [{ role: "user", content: "hi" }] })
    .finalMessage()
    .catch((e) => e);
  expect(sdkError).toBeInstanceOf(Error);
});

test("count_tokens answers locally, with the tokenizer of the model it would go to first", async () => {
  const up = scripted([{ text: "unused" }]);
  gateway = createGateway({
    config: defineConfig({
      providers: { up },
      tiers: { t1: { models: ["up/gpt-4o-mini"] }, t2: { models: ["up/qwen-max"] } },
      routing: { defaultTier: "t1" },
    }),
  });
  const g = gateway;
  const client = inMemoryClient(g);
  const body = {
    model: "auto",
    messages: [{ role: "user" as const, content: "The quick brown fox jumps over the lazy dog." }],
  };
  const counted = await client.messages.countTokens(body);
  // o200k: 10 tokens of text, plus the framing of the message and of the request.
  expect(counted.input_tokens).toBe(10 + 1 + 3 + 3);
  const estimated = await client.messages.countTokens({ ...body, model: "t2" });
  expect(estimated.input_tokens).toBe(Math.ceil(`user${body.messages[0].content}`.length / 4) + 6);
  const burst = await Promise.all(Array.from({ length: 50 }, () => client.messages.countTokens(body)));
  expect(burst.every((b) => b.input_tokens === counted.input_tokens)).toBe(true);
  expect(up.calls.length).toBe(0);
});

test("a model name the client insists on maps to a tier, or to auto, by routing.aliases", async () => {
  const up = scripted([{ text: "ok" }]);
  gateway = createGateway({
    config: defineConfig({
      providers: { up },
      tiers: { t1: { models: ["up/small"] }, t2: { models: ["up/large"] } },
      routing: { defaultTier: "t1", aliases: { "claude-sonnet-5": "t2", "claude-haiku-5-5": "auto" } },
    }),
  });
  const g = gateway;
  const client = inMemoryClient(g);
  const pinned = await client.messages
    .create({ model: "claude-sonnet-5", max_tokens: 9, messages: [{ role: "user", content: "hi" }] })
    .withResponse();
  expect(pinned.response.headers.get("x-gateway-tier")).toBe("t2");
  expect(pinned.response.headers.get("x-gateway-model")).toBe("up/large");
  const auto = await client.messages
    .create({ model: "claude-haiku-5-5", max_tokens: 9, messages: [{ role: "user", content: "hi" }] })
    .withResponse();
  expect(auto.response.headers.get("x-gateway-tier")).toBe("t1");
});

test("anthropic-beta reaches an Anthropic upstream as its header, and no other upstream", async () => {
  const seen: { url: string; headers: Headers; body: Record<string, unknown> }[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    seen.push({ url, headers: new Headers(init.headers), body: JSON.parse(String(init.body)) });
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-x",
      content: [{ type: "text", text: "hi" }],
      stop_reason: "end_turn",
      usage: { input_tokens: 3, output_tokens: 1 },
    };
    return Response.json(message);
  };
  const chat = scripted([{ text: "from chat" }]);
  gateway = createGateway({
    fetch,
    config: defineConfig({
      providers: { claude: anthropic({ baseURL: "http://anthropic.invalid/v1", apiKey: "sk-ant" }), chat },
      tiers: { t1: { models: ["claude/claude-x"] }, t2: { models: ["chat/gpt-x"] } },
      routing: { defaultTier: "t1" },
    }),
  });
  const client = inMemoryClient(gateway);
  const ask = (model: string) =>
    client.messages.create(
      { model, max_tokens: 9, messages: [{ role: "user", content: "hi" }] },
      { headers: { "anthropic-beta": "context-1m-2025-08-07" } },
    );
  await ask("t1");
  expect(seen[0].headers.get("anthropic-beta")).toBe("context-1m-2025-08-07");
  expect(seen[0].body.anthropic_beta).toBeUndefined();
  await ask("t2");
  expect(chat.calls[0].body.anthropic_beta).toBeUndefined();
  expect(chat.calls[0].body.native).toBeUndefined();
});
