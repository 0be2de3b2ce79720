/**
 * The `anthropic` provider: OpenAI chat ⇄ Anthropic Messages, both directions, as units (request
 * building, response and stream translation with realistic bodies) and through a real gateway in front
 * of the mock upstream's /v1/messages route, with the official openai client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type MockUpstream, mockReply, startMockUpstream } from "../../../bench/mock-upstream.ts";
import { anthropic } from "../../../plugins/index.ts";
import { type ChatRequest, env } from "../../../src/index.ts";
import { collectStream, type Harness, rawStream, startProtocolHarness } from "../../helpers/gateway-harness.ts";
import { target } from "../../helpers/run-hooks.ts";

type Obj = Record<string, unknown>;
const claude = target("claude/claude-sonnet-4-5");
const provider = anthropic({ baseURL: "https://api.anthropic.com/v1/", apiKey: "sk-ant-test" });
const request = (fields: Partial<ChatRequest> & Obj = {}): ChatRequest => ({
  model: "auto",
  messages: [{ role: "user", content: "hi" }],
  ...fields,
});
const built = (fields: Partial<ChatRequest> & Obj = {}, p = provider) =>
  JSON.parse(p.buildRequest(request(fields), claude).body) as Obj;
/** Feeds Anthropic SSE events (type + payload) through one fresh stream parser. */
const streamed = (events: Obj[], body = request()) => {
  const parse = provider.createStreamParser(body, claude);
  return events.flatMap((e) => parse({ event: String(e.type), data: JSON.stringify(e) })) as Obj[];
};
const deltas = (chunks: Obj[]) =>
  chunks.map((c) => ((c.choices as Obj[])[0] as Obj | undefined)?.delta as Obj | undefined);

describe("request: OpenAI chat → Anthropic Messages", () => {
  test("POST {baseURL}/messages with x-api-key and anthropic-version, no bearer token", () => {
    const req = provider.buildRequest(request(), claude);
    expect(req.url).toBe("https://api.anthropic.com/v1/messages");
    expect(req.headers).toMatchObject({
      "x-api-key": "sk-ant-test",
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
    });
    expect(req.headers.authorization).toBeUndefined();
    const custom = anthropic({
      baseURL: "https://x/v1",
      apiKey: env("SMARTROUTE_TEST_UNSET_KEY", "from-env"),
      version: "2024-01-01",
      headers: { "anthropic-beta": "b1" },
    });
    expect(custom.buildRequest(request(), claude).headers).toMatchObject({
      "x-api-key": "from-env",
      "anthropic-version": "2024-01-01",
      "anthropic-beta": "b1",
    });
  });

  test("every system message goes to `system`, joined; consecutive same-role turns are merged", () => {
    const body = built({
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "first" },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", content: "second" },
        { role: "assistant", content: "un" },
        { role: "assistant", content: "deux" },
        { role: "user", content: "trois?" },
      ],
    });
    expect(body.system).toBe("You are terse.\n\nAnswer in French.");
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "first" },
          { type: "text", text: "second" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "un" },
          { type: "text", text: "deux" },
        ],
      },
      { role: "user", content: [{ type: "text", text: "trois?" }] },
    ]);
  });

  test("images: a data: URI becomes a base64 source with its media type, an https URL a url source", () => {
    const body = built({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "compare" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "high" } },
          ],
        },
      ],
    });
    expect((body.messages as Obj[])[0].content).toEqual([
      { type: "text", text: "compare" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
    ]);
  });

  test("assistant tool_calls become tool_use blocks; tool messages become tool_result blocks of one user turn", () => {
    const body = built({
      messages: [
        { role: "user", content: "Weather in Paris and Rome?" },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "toolu_01", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "toolu_02", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: "tool", tool_call_id: "toolu_01", content: "18°C" },
        { role: "tool", tool_call_id: "toolu_02", content: [{ type: "text", text: "24°C" }] },
        { role: "user", content: "Thanks" },
      ],
    });
    expect(body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in Paris and Rome?" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "toolu_01", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "toolu_02", name: "get_weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_01", content: "18°C" },
          { type: "tool_result", tool_use_id: "toolu_02", content: [{ type: "text", text: "24°C" }] },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  test("function tools and every tool_choice form", () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather by city",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
    ];
    expect(built({ tools }).tools).toEqual([
      {
        name: "get_weather",
        description: "Weather by city",
        input_schema: { type: "object", properties: { city: { type: "string" } } },
      },
    ]);
    const choice = (tool_choice: unknown, extra: Obj = {}) => built({ tools, tool_choice, ...extra }).tool_choice;
    expect(choice("auto")).toEqual({ type: "auto" });
    expect(choice("none")).toEqual({ type: "none" });
    expect(choice("required")).toEqual({ type: "any" });
    expect(choice({ type: "function", function: { name: "get_weather" } })).toEqual({
      type: "tool",
      name: "get_weather",
    });
    expect(choice("required", { parallel_tool_calls: false })).toEqual({
      type: "any",
      disable_parallel_tool_use: true,
    });
    expect(built({ tool_choice: "auto" }).tool_choice).toBeUndefined(); // no tools: no choice to make
  });

  test("max_tokens: max_completion_tokens, else max_tokens, else defaultMaxTokens", () => {
    expect(built({ max_completion_tokens: 300, max_tokens: 100 }).max_tokens).toBe(300);
    expect(built({ max_tokens: 100 }).max_tokens).toBe(100);
    expect(built().max_tokens).toBe(4096);
    expect(built({}, anthropic({ baseURL: "https://x/v1", apiKey: "k", defaultMaxTokens: 1024 })).max_tokens).toBe(
      1024,
    );
  });

  test("sampling, stop, stream and user are mapped; OpenAI-only fields are not forwarded", () => {
    const body = built({
      temperature: 0.4,
      top_p: 0.9,
      stop: ["END", "###"],
      stream: true,
      user: "user-42",
      stream_options: { include_usage: true },
      frequency_penalty: 0.5,
      presence_penalty: 0.1,
      logit_bias: { "50256": -100 },
      n: 2,
      seed: 7,
      response_format: { type: "json_object" },
      logprobs: true,
    });
    expect(body).toEqual({
      model: "claude-sonnet-4-5",
      max_tokens: 4096,
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      temperature: 0.4,
      top_p: 0.9,
      stop_sequences: ["END", "###"],
      stream: true,
      metadata: { user_id: "user-42" },
    });
    expect(built({ stop: "END" }).stop_sequences).toEqual(["END"]);
    expect(built({ temperature: 1.6 }).temperature).toBe(1); // Anthropic's range ends at 1
  });

  test("Anthropic-native fields an adapter sets (top_k, thinking) are passed through", () => {
    expect(built({ top_k: 40, thinking: { type: "enabled", budget_tokens: 2048 } })).toMatchObject({
      top_k: 40,
      thinking: { type: "enabled", budget_tokens: 2048 },
    });
  });

  test("a trailing assistant message is sent last (a prefill), without its trailing whitespace", () => {
    const body = built({
      messages: [
        { role: "user", content: "Count" },
        { role: "assistant", content: "w1 w2 w3 " },
      ],
    });
    expect((body.messages as Obj[]).at(-1)).toEqual({
      role: "assistant",
      content: [{ type: "text", text: "w1 w2 w3" }],
    });
  });
});

describe("response: Anthropic message → chat.completion", () => {
  const message = {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content: [
      { type: "thinking", thinking: "The user wants the weather.", signature: "EqQBCgIYAhIM" },
      { type: "text", text: "Let me check " },
      { type: "text", text: "that." },
      {
        type: "tool_use",
        id: "toolu_01A09q90qw90lq917835lq9",
        name: "get_weather",
        input: { city: "Paris", unit: "c" },
      },
    ],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 472, cache_creation_input_tokens: 100, cache_read_input_tokens: 2000, output_tokens: 89 },
  };

  test("text, tool calls, thinking, id, model and usage (cached tokens counted in the prompt)", () => {
    const out = provider.parseResponse(message, claude, request()) as Obj;
    expect(out).toMatchObject({
      id: "msg_01XFDUDYJgAACzvnptvVoYEL",
      object: "chat.completion",
      model: "claude-sonnet-4-5-20250929",
    });
    expect((out.choices as Obj[])[0]).toEqual({
      index: 0,
      finish_reason: "tool_calls",
      logprobs: null,
      message: {
        role: "assistant",
        content: "Let me check that.",
        reasoning_content: "The user wants the weather.",
        tool_calls: [
          {
            id: "toolu_01A09q90qw90lq917835lq9",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris","unit":"c"}' },
          },
        ],
      },
    });
    expect(out.usage).toEqual({
      prompt_tokens: 2572,
      completion_tokens: 89,
      total_tokens: 2661,
      prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 100 },
    });
  });

  test("stop_reason → finish_reason", () => {
    const finish = (stop_reason: string) =>
      ((provider.parseResponse({ ...message, stop_reason }, claude, request()) as Obj).choices as Obj[])[0]
        .finish_reason;
    expect([
      finish("end_turn"),
      finish("stop_sequence"),
      finish("max_tokens"),
      finish("tool_use"),
      finish("refusal"),
    ]).toEqual(["stop", "stop", "length", "tool_calls", "content_filter"]);
  });

  test("only tool calls: content is null, as OpenAI sends it", () => {
    const out = provider.parseResponse({ ...message, content: [message.content[3]] }, claude, request()) as Obj;
    expect(((out.choices as Obj[])[0].message as Obj).content).toBeNull();
  });

  test("an error body comes out as an OpenAI error object the gateway sees as an error", () => {
    const out = provider.parseResponse(
      { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      claude,
      request(),
    );
    expect(out).toEqual({
      error: { message: "Overloaded", type: "overloaded_error", code: "overloaded_error", param: null },
    });
  });

  test("a continued prefill loses the whitespace that was trimmed from the request", () => {
    const prefilled = request({
      messages: [
        { role: "user", content: "Count" },
        { role: "assistant", content: "w1 w2 " },
      ],
    });
    const out = provider.parseResponse(
      { ...message, content: [{ type: "text", text: " w3" }], stop_reason: "end_turn" },
      claude,
      prefilled,
    ) as Obj;
    expect(((out.choices as Obj[])[0].message as Obj).content).toBe("w3");
  });
});

const textStream: Obj[] = [
  {
    type: "message_start",
    message: {
      id: "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY",
      type: "message",
      role: "assistant",
      content: [],
      model: "claude-sonnet-4-5-20250929",
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 25, cache_read_input_tokens: 5, output_tokens: 1 },
    },
  },
  { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
  { type: "ping" },
  { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } },
  { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "!" } },
  { type: "content_block_stop", index: 0 },
  { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 15 } },
  { type: "message_stop" },
];

describe("stream: Anthropic events → chat.completion.chunk objects", () => {
  test("a text answer: role chunk, content, finish reason, then a usage-only chunk", () => {
    const chunks = streamed(textStream);
    expect(
      chunks.every(
        (c) =>
          c.id === "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY" &&
          c.model === "claude-sonnet-4-5-20250929" &&
          c.object === "chat.completion.chunk",
      ),
    ).toBe(true);
    expect(deltas(chunks).slice(0, 3)).toEqual([
      { role: "assistant", content: "" },
      { content: "Hello" },
      { content: "!" },
    ]);
    expect((chunks[3].choices as Obj[])[0]).toEqual({ index: 0, delta: {}, finish_reason: "stop" });
    expect(chunks[4]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 30, completion_tokens: 15, total_tokens: 45 },
    });
    expect(chunks.length).toBe(5);
  });

  test("thinking, then text, then two tool calls: reasoning_content, content, and tool_calls indexed among the calls", () => {
    const chunks = streamed([
      textStream[0],
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Two cities." } },
      { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "EqQBCgIYAhIM" } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Checking." } },
      { type: "content_block_stop", index: 1 },
      {
        type: "content_block_start",
        index: 2,
        content_block: { type: "tool_use", id: "toolu_A", name: "get_weather", input: {} },
      },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: "" } },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '{"city": "Pa' } },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: 'ris"}' } },
      { type: "content_block_stop", index: 2 },
      {
        type: "content_block_start",
        index: 3,
        content_block: { type: "tool_use", id: "toolu_B", name: "get_time", input: {} },
      },
      { type: "content_block_stop", index: 3 },
      { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 60 } },
      { type: "message_stop" },
    ]);
    expect(deltas(chunks).slice(1, -2)).toEqual([
      { reasoning_content: "Two cities." },
      { content: "Checking." },
      { tool_calls: [{ index: 0, id: "toolu_A", type: "function", function: { name: "get_weather", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": "Pa' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ris"}' } }] },
      { tool_calls: [{ index: 1, id: "toolu_B", type: "function", function: { name: "get_time", arguments: "" } }] },
      { tool_calls: [{ index: 1, function: { arguments: "{}" } }] }, // no input at all: still valid JSON
    ]);
    expect((chunks.at(-2)!.choices as Obj[])[0].finish_reason).toBe("tool_calls");
  });

  test("an error event becomes an error chunk; ping and unknown events produce nothing", () => {
    const chunks = streamed([
      textStream[0],
      { type: "ping" },
      { type: "some_future_event" },
      { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
    ]);
    expect(chunks.slice(1)).toEqual([
      { error: { message: "Overloaded", type: "overloaded_error", code: "overloaded_error", param: null } },
    ]);
  });

  test("each stream has its own parser: interleaved streams keep their own ids, tool indexes and usage", () => {
    const one = provider.createStreamParser(request(), claude);
    const two = provider.createStreamParser(request(), claude);
    const feed = (parse: typeof one, e: Obj) => parse({ data: JSON.stringify(e) }) as Obj[];
    feed(one, { ...textStream[0], message: { id: "msg_one", model: "m", usage: { input_tokens: 1 } } });
    feed(two, { ...textStream[0], message: { id: "msg_two", model: "m", usage: { input_tokens: 2 } } });
    feed(one, {
      type: "content_block_start",
      index: 0,
      content_block: { type: "tool_use", id: "t1", name: "f", input: {} },
    });
    const second = feed(two, {
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "t2", name: "g", input: {} },
    });
    expect(second[0]).toMatchObject({ id: "msg_two", choices: [{ delta: { tool_calls: [{ index: 0, id: "t2" }] } }] });
    expect(feed(one, { type: "message_stop" })[0]).toMatchObject({ id: "msg_one", usage: { prompt_tokens: 1 } });
  });

  test("a continued prefill: the whitespace trimmed from the request is cut from the continuation, across deltas", () => {
    const prefilled = request({
      messages: [
        { role: "user", content: "Count" },
        { role: "assistant", content: "w1 w2\n\n" },
      ],
    });
    const chunks = streamed(
      [
        textStream[0],
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "\n" } },
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "\nw3 " } },
        { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " w4" } },
      ],
      prefilled,
    );
    expect(deltas(chunks).slice(1)).toEqual([{ content: "w3 " }, { content: " w4" }]);
  });
});

describe("mock upstream /v1/messages checks the protocol as the real API does", () => {
  let mock: MockUpstream;
  beforeAll(() => {
    mock = startMockUpstream();
  });
  afterAll(() => mock.stop());
  const post = async (
    body: Obj,
    headers: Record<string, string> = { "x-api-key": "k", "anthropic-version": "2023-06-01" },
  ) => {
    const res = await fetch(`${mock.url}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Obj };
  };
  const valid = { model: "m", max_tokens: 64, messages: [{ role: "user", content: "hi" }] };

  test("a valid request gets a message", async () => {
    const { status, body } = await post(valid);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "text", text: mockReply(8) }],
      stop_reason: "end_turn",
    });
  });

  test.each([
    ["max_tokens missing", { model: "m", messages: valid.messages }, "max_tokens: Field required"],
    [
      "a system role message",
      { ...valid, messages: [{ role: "system", content: "be nice" }, ...valid.messages] },
      'Unexpected role "system"',
    ],
    [
      "content neither a string nor blocks",
      { ...valid, messages: [{ role: "user", content: { text: "hi" } }] },
      "content",
    ],
    ["an OpenAI-only field", { ...valid, frequency_penalty: 0.5 }, "frequency_penalty: Extra inputs are not permitted"],
    [
      "trailing whitespace in a prefill",
      { ...valid, messages: [...valid.messages, { role: "assistant", content: "w1 " }] },
      "trailing whitespace",
    ],
    [
      "a tool_result without its tool_use",
      { ...valid, messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "x", content: "1" }] }] },
      "tool_use_id",
    ],
  ])("400 for %s", async (_name, body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(String((res.body.error as Obj).message)).toContain(message);
  });

  test("401 without x-api-key, 400 without anthropic-version", async () => {
    expect((await post(valid, {})).status).toBe(401);
    expect((await post(valid, { "x-api-key": "k" })).status).toBe(400);
  });
});

/** A real gateway whose providers are `anthropic` and `openai` (oai), both on the mock upstream. */
const startGatewayWith = (tiers: string) =>
  startProtocolHarness({
    factory: "anthropic",
    entry: (url) => `claude: anthropic({ baseURL: "${url}", apiKey: "sk-ant-test" })`,
    tiers,
  });

describe("through a real gateway, with the openai client", () => {
  let g: Harness;
  const msg = [{ role: "user" as const, content: "hello" }];
  const weather = [
    {
      type: "function" as const,
      function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
    },
  ];
  beforeAll(async () => {
    g = await startGatewayWith(`
    ok: { models: ["claude/haiku?tokens=5"] },
    tool: { models: ["claude/tooly?tool=get_weather"] },
    down: { models: ["claude/down?fault=status&status=529", "oai/fb-down?tokens=4"] },
    errbody: { models: ["claude/errbody?fault=errorBody", "oai/fb-errbody?tokens=4"] },
    midError: { models: ["claude/mid?fault=errorBody&afterChunks=3&chunkDelayMs=20"] },
    p3: { models: ["claude/par?tokens=3&chunkDelayMs=5"] },
    p6: { models: ["claude/par?tokens=6&chunkDelayMs=5"] },
    p9: { models: ["claude/par?tokens=9&chunkDelayMs=5"] },
    p12: { models: ["claude/par?tokens=12&chunkDelayMs=5"] },
    firstError: { models: ["claude/first?fault=errorBody", "claude/fb-first?tokens=4"] },
    cont: { models: ["claude/cut?fault=cut&afterChunks=3", { model: "claude/cont?tokens=8", prefill: true }] },
  `);
  });
  afterAll(() => g.stop());

  test("non-stream: the answer, the upstream's model and usage", async () => {
    const { data, response } = await g.client.chat.completions.create({ model: "ok", messages: msg }).withResponse();
    expect(data.choices[0].message.content).toBe(mockReply(5));
    expect(data.choices[0].finish_reason).toBe("stop");
    expect(data.model).toBe("haiku");
    expect(data.usage?.completion_tokens).toBe(5);
    expect(response.headers.get("x-gateway-model")).toBe("claude/haiku?tokens=5");
    const sent = g.mock.stats.bodies["haiku?tokens=5"][0] as Obj;
    expect(sent).toMatchObject({
      max_tokens: 4096,
      messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }],
    });
  });

  test("stream: the assembled text is the canonical reply, usage on request, a clean [DONE]", async () => {
    const { text, chunks, error } = await collectStream(
      await g.client.chat.completions.create({
        model: "ok",
        messages: msg,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(error).toBeUndefined();
    expect(text).toBe(mockReply(5));
    expect(chunks.some((c) => c.choices[0]?.finish_reason === "stop")).toBe(true);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(5);
    const raw = await rawStream(g.url, { model: "ok", messages: msg });
    expect(raw.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  test("concurrent streams do not mix: each gets its own answer", async () => {
    const counts = [3, 6, 9, 12];
    const texts = await Promise.all(
      counts.map(
        async (n) =>
          (await collectStream(await g.client.chat.completions.create({ model: `p${n}`, messages: msg, stream: true })))
            .text,
      ),
    );
    expect(texts).toEqual(counts.map((n) => mockReply(n)));
  });

  test("tool call round trip: the call comes out as tool_calls, and its result goes back as a tool_result with the same id", async () => {
    const first = await g.client.chat.completions.create({
      model: "tool",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: weather,
    });
    const call = first.choices[0].message.tool_calls?.[0];
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    expect(call?.type === "function" && call.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
    const second = await g.client.chat.completions.create({
      model: "tool",
      tools: weather,
      messages: [
        { role: "user", content: "Weather in Paris?" },
        first.choices[0].message,
        { role: "tool", tool_call_id: call!.id, content: "18°C and sunny" },
      ],
    });
    expect(second.choices[0].message.content).toBe(mockReply(8));
    const sent = g.mock.stats.bodies["tooly?tool=get_weather"][1] as { messages: { content: Obj[] }[] };
    expect(sent.messages[1].content[0]).toEqual({
      type: "tool_use",
      id: call!.id,
      name: "get_weather",
      input: { city: "Paris" },
    });
    expect(sent.messages[2].content[0]).toEqual({
      type: "tool_result",
      tool_use_id: call!.id,
      content: "18°C and sunny",
    });
  });

  test("stream tool call: the client assembles the call and its arguments", async () => {
    const stream = await g.client.chat.completions.create({
      model: "tool",
      messages: [{ role: "user", content: "Weather?" }],
      tools: weather,
      stream: true,
    });
    const { chunks, error } = await collectStream(stream);
    expect(error).toBeUndefined();
    const args = chunks
      .flatMap((c) => c.choices[0]?.delta?.tool_calls ?? [])
      .map((t) => t.function?.arguments ?? "")
      .join("");
    expect(JSON.parse(args)).toEqual({ city: "Paris" });
    expect(chunks.some((c) => c.choices[0]?.finish_reason === "tool_calls")).toBe(true);
  });

  test("an overloaded (529) Anthropic target is retried, then the next target answers", async () => {
    const { data, response } = await g.client.chat.completions.create({ model: "down", messages: msg }).withResponse();
    expect(data.choices[0].message.content).toBe(mockReply(4));
    expect(response.headers.get("x-gateway-model")).toBe("oai/fb-down?tokens=4");
    expect(g.mock.stats.requests["down?fault=status&status=529"]).toBe(2);
  });

  test("a 200 error body from Anthropic is an error in disguise: failover", async () => {
    const { data, response } = await g.client.chat.completions
      .create({ model: "errbody", messages: msg })
      .withResponse();
    expect(data.choices[0].message.content).toBe(mockReply(4));
    expect(response.headers.get("x-gateway-model")).toBe("oai/fb-errbody?tokens=4");
  });

  test("an error event before any content: invisible failover", async () => {
    const { text, error } = await collectStream(
      await g.client.chat.completions.create({ model: "firstError", messages: msg, stream: true }),
    );
    expect(error).toBeUndefined();
    expect(text).toBe(mockReply(4));
  });

  test("an error event mid-stream ends the stream with an in-band error and no [DONE], as on the OpenAI path", async () => {
    const { text, error } = await collectStream(
      await g.client.chat.completions.create({ model: "midError", messages: msg, stream: true }),
    );
    expect(text).toBe("w1 w2 w3 ");
    expect(String(error)).toContain("Overloaded");
    const raw = await rawStream(g.url, { model: "midError", messages: msg });
    expect(raw.text).toContain('"code":"upstream_error"');
    expect(raw.text).not.toContain("[DONE]");
  });

  test("a stream cut mid-answer is continued by an Anthropic prefill target: the client sees the whole answer", async () => {
    const { text, error } = await collectStream(
      await g.client.chat.completions.create({ model: "cont", messages: msg, stream: true }),
    );
    expect(error).toBeUndefined();
    expect(text).toBe(mockReply(8));
    const continued = g.mock.stats.bodies["cont?tokens=8"][0] as { messages: Obj[] };
    expect(continued.messages.at(-1)).toEqual({ role: "assistant", content: [{ type: "text", text: "w1 w2 w3" }] });
  });
});
