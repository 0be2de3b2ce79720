/**
 * The `openaiResponses` provider: OpenAI chat ⇄ OpenAI Responses, both directions, as units (request
 * building, response and stream translation with realistic bodies) and through a real gateway in front
 * of the mock upstream's /v1/responses route, with the official openai client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type MockUpstream, mockReply, startMockUpstream } from "../../../bench/mock-upstream.ts";
import { openaiResponses } from "../../../plugins/index.ts";
import type { ChatRequest } from "../../../src/index.ts";
import { collectStream, type Harness, rawStream, startProtocolHarness } from "../../helpers/gateway-harness.ts";
import { target } from "../../helpers/run-hooks.ts";

type Obj = Record<string, unknown>;
const gpt = target("oair/gpt-5-mini");
const provider = openaiResponses({ baseURL: "https://api.openai.com/v1", apiKey: "sk-test" });
const request = (fields: Partial<ChatRequest> & Obj = {}): ChatRequest => ({
  model: "auto",
  messages: [{ role: "user", content: "hi" }],
  ...fields,
});
const built = (fields: Partial<ChatRequest> & Obj = {}) =>
  JSON.parse(provider.buildRequest(request(fields), gpt).body) as Obj;
/** Feeds Responses SSE events through one fresh stream parser. */
const streamed = (events: Obj[]) => {
  const parse = provider.createStreamParser(request(), gpt);
  return events.flatMap((e) => parse({ event: String(e.type), data: JSON.stringify(e) })) as Obj[];
};
const deltas = (chunks: Obj[]) =>
  chunks.map((c) => ((c.choices as Obj[])[0] as Obj | undefined)?.delta as Obj | undefined);
const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather by city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

describe("request: OpenAI chat → Responses", () => {
  test("POST {baseURL}/responses with a bearer token; not stored unless asked", () => {
    const req = provider.buildRequest(request(), gpt);
    expect(req.url).toBe("https://api.openai.com/v1/responses");
    expect(req.headers.authorization).toBe("Bearer sk-test");
    expect(built().store).toBe(false);
    expect(built({ store: true }).store).toBe(true);
  });

  test("system and developer messages → instructions, joined; user and assistant text and images → input items", () => {
    const body = built({
      messages: [
        { role: "system", content: "You are terse." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" } },
          ],
        },
        { role: "assistant", content: "Un chat." },
        { role: "user", content: "Sûr ?" },
      ],
    });
    expect(body.instructions).toBe("You are terse.\n\nAnswer in French.");
    expect(body.input).toEqual([
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "What is this?" },
          { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" },
        ],
      },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Un chat.", annotations: [] }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "Sûr ?" }] },
    ]);
  });

  test("assistant tool_calls → function_call items keyed by call_id (not id); tool messages → function_call_output", () => {
    const body = built({
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_abc", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_abc", content: "18°C" },
      ],
    });
    expect((body.input as Obj[]).slice(1)).toEqual([
      { type: "function_call", call_id: "call_abc", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: "call_abc", output: "18°C" },
    ]);
  });

  test("tools are flattened (not strict unless asked, as in chat) and tool_choice is mapped", () => {
    expect(built({ tools: [weatherTool] }).tools).toEqual([
      {
        type: "function",
        name: "get_weather",
        description: "Weather by city",
        parameters: { type: "object", properties: { city: { type: "string" } } },
        strict: false,
      },
    ]);
    const choice = (tool_choice: unknown) => built({ tools: [weatherTool], tool_choice }).tool_choice;
    expect([choice("auto"), choice("none"), choice("required")]).toEqual(["auto", "none", "required"]);
    expect(choice({ type: "function", function: { name: "get_weather" } })).toEqual({
      type: "function",
      name: "get_weather",
    });
  });

  test("max tokens, sampling, reasoning effort; chat-only fields are not forwarded", () => {
    const body = built({
      max_completion_tokens: 500,
      temperature: 0.3,
      top_p: 0.8,
      stream: true,
      reasoning_effort: "low",
      user: "u1",
      parallel_tool_calls: false,
      stop: ["END"],
      n: 2,
      seed: 7,
      frequency_penalty: 0.5,
      presence_penalty: 0.2,
      logit_bias: { "1": 1 },
      stream_options: { include_usage: true },
    });
    expect(body).toEqual({
      model: "gpt-5-mini",
      input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
      store: false,
      max_output_tokens: 500,
      temperature: 0.3,
      top_p: 0.8,
      stream: true,
      reasoning: { effort: "low" },
      user: "u1",
      parallel_tool_calls: false,
    });
    expect(built({ max_tokens: 64 }).max_output_tokens).toBe(64);
  });

  test("response_format json_schema → text.format with the schema's fields one level up", () => {
    const schema = {
      type: "object",
      properties: { answer: { type: "string" } },
      required: ["answer"],
      additionalProperties: false,
    };
    expect(
      built({ response_format: { type: "json_schema", json_schema: { name: "answer", schema, strict: true } } }).text,
    ).toEqual({ format: { type: "json_schema", name: "answer", schema, strict: true } });
    expect(built({ response_format: { type: "json_object" } }).text).toEqual({ format: { type: "json_object" } });
  });
});

describe("response: Responses object → chat.completion", () => {
  const response = {
    id: "resp_67ccd3a9da748190baa7f1570fe91ac6",
    object: "response",
    created_at: 1741476777,
    status: "completed",
    model: "gpt-5-mini-2025-08-07",
    output: [
      {
        type: "reasoning",
        id: "rs_1",
        summary: [
          { type: "summary_text", text: "Need the weather." },
          { type: "summary_text", text: "Call the tool." },
        ],
      },
      {
        type: "message",
        id: "msg_1",
        status: "completed",
        role: "assistant",
        content: [
          { type: "output_text", text: "Checking ", annotations: [] },
          { type: "output_text", text: "now.", annotations: [] },
        ],
      },
      {
        type: "function_call",
        id: "fc_12345xyz",
        call_id: "call_12345xyz",
        name: "get_weather",
        arguments: '{"city":"Paris"}',
        status: "completed",
      },
    ],
    usage: {
      input_tokens: 328,
      input_tokens_details: { cached_tokens: 128 },
      output_tokens: 52,
      output_tokens_details: { reasoning_tokens: 30 },
      total_tokens: 380,
    },
    error: null,
    incomplete_details: null,
  };

  test("text, tool calls (id = call_id), reasoning summary, usage", () => {
    const out = provider.parseResponse(response, gpt, request()) as Obj;
    expect(out).toMatchObject({
      id: "resp_67ccd3a9da748190baa7f1570fe91ac6",
      object: "chat.completion",
      created: 1741476777,
      model: "gpt-5-mini-2025-08-07",
    });
    expect((out.choices as Obj[])[0]).toEqual({
      index: 0,
      finish_reason: "tool_calls",
      message: {
        role: "assistant",
        content: "Checking now.",
        reasoning_content: "Need the weather.\n\nCall the tool.",
        tool_calls: [
          { id: "call_12345xyz", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        ],
      },
    });
    expect(out.usage).toEqual({
      prompt_tokens: 328,
      completion_tokens: 52,
      total_tokens: 380,
      prompt_tokens_details: { cached_tokens: 128 },
      completion_tokens_details: { reasoning_tokens: 30 },
    });
  });

  test("status → finish_reason", () => {
    const finish = (fields: Obj) =>
      (
        (provider.parseResponse({ ...response, output: [response.output[1]], ...fields }, gpt, request()) as Obj)
          .choices as Obj[]
      )[0].finish_reason;
    expect(finish({})).toBe("stop");
    expect(finish({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } })).toBe("length");
    expect(finish({ status: "incomplete", incomplete_details: { reason: "content_filter" } })).toBe("content_filter");
  });

  test("a failed response or an error body comes out as an OpenAI error object", () => {
    expect(
      provider.parseResponse(
        { ...response, status: "failed", output: [], error: { code: "server_error", message: "The model failed" } },
        gpt,
        request(),
      ),
    ).toEqual({
      error: { message: "The model failed", type: "server_error", code: "server_error", param: null },
    });
  });
});

describe("stream: Responses events → chat.completion.chunk objects", () => {
  const created = {
    type: "response.created",
    sequence_number: 0,
    response: {
      id: "resp_1",
      object: "response",
      created_at: 1741290958,
      status: "in_progress",
      model: "gpt-5-mini",
      output: [],
    },
  };
  const completed = (output: Obj[]) => ({
    type: "response.completed",
    sequence_number: 20,
    response: {
      ...created.response,
      status: "completed",
      output,
      usage: { input_tokens: 37, output_tokens: 11, total_tokens: 48 },
    },
  });

  test("a text answer: role chunk, content deltas, finish reason, usage-only chunk", () => {
    const chunks = streamed([
      created,
      { type: "response.in_progress", sequence_number: 1, response: created.response },
      {
        type: "response.output_item.added",
        sequence_number: 2,
        output_index: 0,
        item: { id: "msg_1", type: "message", status: "in_progress", role: "assistant", content: [] },
      },
      {
        type: "response.content_part.added",
        sequence_number: 3,
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        part: { type: "output_text", text: "", annotations: [] },
      },
      {
        type: "response.output_text.delta",
        sequence_number: 4,
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        delta: "Hi",
      },
      {
        type: "response.output_text.delta",
        sequence_number: 5,
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        delta: " there",
      },
      {
        type: "response.output_text.done",
        sequence_number: 6,
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        text: "Hi there",
      },
      completed([]),
    ]);
    expect(chunks.every((c) => c.id === "resp_1" && c.model === "gpt-5-mini" && c.created === 1741290958)).toBe(true);
    expect(deltas(chunks).slice(0, 3)).toEqual([
      { role: "assistant", content: "" },
      { content: "Hi" },
      { content: " there" },
    ]);
    expect((chunks[3].choices as Obj[])[0].finish_reason).toBe("stop");
    expect(chunks[4]).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 37, completion_tokens: 11, total_tokens: 48 },
    });
    expect(chunks.length).toBe(5);
  });

  test("reasoning, then a function call after it: tool_calls indexed among calls, id = call_id, finish tool_calls", () => {
    const chunks = streamed([
      created,
      { type: "response.output_item.added", output_index: 0, item: { id: "rs_1", type: "reasoning", summary: [] } },
      { type: "response.reasoning_summary_part.added", item_id: "rs_1", output_index: 0, summary_index: 0 },
      {
        type: "response.reasoning_summary_text.delta",
        item_id: "rs_1",
        output_index: 0,
        summary_index: 0,
        delta: "Need weather.",
      },
      { type: "response.reasoning_summary_part.added", item_id: "rs_1", output_index: 0, summary_index: 1 },
      {
        type: "response.reasoning_summary_text.delta",
        item_id: "rs_1",
        output_index: 0,
        summary_index: 1,
        delta: "Call it.",
      },
      {
        type: "response.output_item.added",
        output_index: 1,
        item: {
          id: "fc_1",
          type: "function_call",
          call_id: "call_1",
          name: "get_weather",
          arguments: "",
          status: "in_progress",
        },
      },
      { type: "response.function_call_arguments.delta", item_id: "fc_1", output_index: 1, delta: '{"city":' },
      { type: "response.function_call_arguments.delta", item_id: "fc_1", output_index: 1, delta: '"Paris"}' },
      {
        type: "response.function_call_arguments.done",
        item_id: "fc_1",
        output_index: 1,
        arguments: '{"city":"Paris"}',
      },
      completed([]),
    ]);
    expect(deltas(chunks).slice(1, -2)).toEqual([
      { reasoning_content: "Need weather." },
      { reasoning_content: "\n\n" },
      { reasoning_content: "Call it." },
      { tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
    ]);
    expect((chunks.at(-2)!.choices as Obj[])[0].finish_reason).toBe("tool_calls");
  });

  test("arguments sent only in the .done event still reach the client", () => {
    const chunks = streamed([
      created,
      {
        type: "response.output_item.added",
        output_index: 0,
        item: { id: "fc_9", type: "function_call", call_id: "call_9", name: "f", arguments: "" },
      },
      { type: "response.function_call_arguments.done", item_id: "fc_9", output_index: 0, arguments: "{}" },
    ]);
    expect(deltas(chunks).at(-1)).toEqual({ tool_calls: [{ index: 0, function: { arguments: "{}" } }] });
  });

  test("response.incomplete → length; response.failed and error events → error chunks", () => {
    const incomplete = streamed([
      created,
      {
        type: "response.incomplete",
        response: { ...created.response, status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
      },
    ]);
    expect((incomplete[1].choices as Obj[])[0].finish_reason).toBe("length");
    const failed = streamed([
      created,
      {
        type: "response.failed",
        response: { ...created.response, status: "failed", error: { code: "server_error", message: "boom" } },
      },
    ]);
    expect(failed[1]).toEqual({ error: { message: "boom", type: "server_error", code: "server_error", param: null } });
    const error = streamed([
      { type: "error", code: "rate_limit_exceeded", message: "slow down", param: null, sequence_number: 3 },
    ]);
    expect(error[0]).toEqual({
      error: { message: "slow down", type: "server_error", code: "rate_limit_exceeded", param: null },
    });
  });
});

describe("mock upstream /v1/responses checks the protocol as the real API does", () => {
  let mock: MockUpstream;
  beforeAll(() => {
    mock = startMockUpstream();
  });
  afterAll(() => mock.stop());
  const post = async (body: Obj) => {
    const res = await fetch(`${mock.url}/responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { error?: { message: string } } & Obj };
  };
  const call = { type: "function_call", call_id: "call_1", name: "f", arguments: "{}" };

  test.each([
    [
      "a function_call_output whose call_id matches no call",
      [{ type: "function_call_output", call_id: "call_1", output: "x" }],
      "No tool call found",
    ],
    [
      "a function_call keyed by a chat tool call id",
      [{ ...call, id: "call_1" }],
      "Expected an ID that begins with 'fc'",
    ],
    [
      "an assistant message with input_text",
      [{ type: "message", role: "assistant", content: [{ type: "input_text", text: "x" }] }],
      "Invalid value: 'input_text'",
    ],
  ])("400 for %s", async (_name, input, message) => {
    const res = await post({ model: "m", input });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toContain(message);
  });

  test("400 for an unknown parameter and for the chat nesting of json_schema", async () => {
    expect((await post({ model: "m", input: "hi", max_tokens: 5 })).body.error?.message).toBe(
      "Unknown parameter: 'max_tokens'.",
    );
    const nested = await post({
      model: "m",
      input: "hi",
      text: { format: { type: "json_schema", json_schema: { name: "a", schema: {} } } },
    });
    expect(nested.body.error?.message).toContain("text.format.name");
  });

  test("a call followed by its output is accepted", async () => {
    expect(
      (await post({ model: "m", input: [call, { type: "function_call_output", call_id: "call_1", output: "x" }] }))
        .status,
    ).toBe(200);
  });
});

/** A real gateway whose providers are `openaiResponses` and `openai` (oai), both on the mock upstream. */
const startGatewayWith = (tiers: string) =>
  startProtocolHarness({
    factory: "openaiResponses",
    entry: (url) => `resp: openaiResponses({ baseURL: "${url}", apiKey: "sk-test" })`,
    tiers,
  });

describe("through a real gateway, with the openai client", () => {
  let g: Harness;
  const msg = [{ role: "user" as const, content: "hello" }];
  const tools = [
    {
      type: "function" as const,
      function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
    },
  ];
  beforeAll(async () => {
    g = await startGatewayWith(`
    ok: { models: ["resp/mini?tokens=5"] },
    tool: { models: ["resp/tooly?tool=get_weather"] },
    down: { models: ["resp/down?fault=status&status=500", "oai/fb-down?tokens=4"] },
    failed: { models: ["resp/failed?fault=errorBody", "oai/fb-failed?tokens=4"] },
    midError: { models: ["resp/mid?fault=errorBody&afterChunks=3&chunkDelayMs=20"] },
  `);
  });
  afterAll(() => g.stop());

  test("non-stream: the answer, the upstream's model and usage", async () => {
    const data = await g.client.chat.completions.create({
      model: "ok",
      messages: [{ role: "system", content: "Be brief." }, ...msg],
    });
    expect(data.choices[0].message.content).toBe(mockReply(5));
    expect(data.choices[0].finish_reason).toBe("stop");
    expect(data.model).toBe("mini");
    expect(data.usage?.completion_tokens).toBe(5);
    expect(g.mock.stats.bodies["mini?tokens=5"][0]).toMatchObject({ instructions: "Be brief.", store: false });
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
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(5);
    const raw = await rawStream(g.url, { model: "ok", messages: msg });
    expect(raw.text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  test("tool call round trip: the call_id comes back in the next request's function_call and function_call_output", async () => {
    const first = await g.client.chat.completions.create({
      model: "tool",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools,
    });
    const call = first.choices[0].message.tool_calls?.[0];
    expect(first.choices[0].finish_reason).toBe("tool_calls");
    expect(call?.id).toMatch(/^call_mock_/); // the call_id, not the item's fc_ id
    expect(call?.type === "function" && call.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
    const second = await g.client.chat.completions.create({
      model: "tool",
      tools,
      messages: [
        { role: "user", content: "Weather in Paris?" },
        first.choices[0].message,
        { role: "tool", tool_call_id: call!.id, content: "18°C" },
      ],
    });
    expect(second.choices[0].message.content).toBe(mockReply(8));
    const sent = g.mock.stats.bodies["tooly?tool=get_weather"][1] as { input: Obj[] };
    expect(sent.input.slice(1)).toEqual([
      { type: "function_call", call_id: call!.id, name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: call!.id, output: "18°C" },
    ]);
  });

  test("stream tool call: the client assembles the call, with the call_id as its id", async () => {
    const { chunks, error } = await collectStream(
      await g.client.chat.completions.create({
        model: "tool",
        messages: [{ role: "user", content: "Weather?" }],
        tools,
        stream: true,
      }),
    );
    expect(error).toBeUndefined();
    const parts = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
    expect(parts[0].id).toMatch(/^call_mock_/);
    expect(JSON.parse(parts.map((t) => t.function?.arguments ?? "").join(""))).toEqual({ city: "Paris" });
    expect(chunks.some((c) => c.choices[0]?.finish_reason === "tool_calls")).toBe(true);
  });

  test("a 500 from the Responses target is retried, then the next target answers", async () => {
    const { data, response } = await g.client.chat.completions.create({ model: "down", messages: msg }).withResponse();
    expect(data.choices[0].message.content).toBe(mockReply(4));
    expect(response.headers.get("x-gateway-model")).toBe("oai/fb-down?tokens=4");
    expect(g.mock.stats.requests["down?fault=status&status=500"]).toBe(2);
  });

  test("a failed response (200) and a response.failed event before content: failover", async () => {
    expect(
      (await g.client.chat.completions.create({ model: "failed", messages: msg })).choices[0].message.content,
    ).toBe(mockReply(4));
    const { text, error } = await collectStream(
      await g.client.chat.completions.create({ model: "failed", messages: msg, stream: true }),
    );
    expect(error).toBeUndefined();
    expect(text).toBe(mockReply(4));
  });

  test("response.failed mid-stream ends the stream with an in-band error and no [DONE]", async () => {
    const { text, error } = await collectStream(
      await g.client.chat.completions.create({ model: "midError", messages: msg, stream: true }),
    );
    expect(text).toBe("w1 w2 w3 ");
    expect(String(error)).toContain("Overloaded");
    const raw = await rawStream(g.url, { model: "midError", messages: msg });
    expect(raw.text).not.toContain("[DONE]");
  });
});
