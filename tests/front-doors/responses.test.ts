/**
 * The Responses front door as its users run it: the official `openai` package's `responses.create`
 * (streamed and not) against an in-memory gateway whose upstreams are scripted chat providers. What the
 * upstream received (the translated chat request) and what the client got (the Response object, the
 * event stream) are both checked.
 */
import { afterEach, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { type ScriptStep, scripted } from "../../plugins/index.ts";
import { createGateway, type InMemoryGateway } from "../../src/index.ts";

let gateway: InMemoryGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function clientFor(steps: Record<string, ScriptStep[]>) {
  const up = scripted(steps.up ?? [{}]);
  const other = scripted(steps.other ?? [{}]);
  gateway = createGateway({
    config: {
      providers: { up, other },
      tiers: { t1: { models: ["up/m1", "other/m2"] } },
      retry: { backoff: { baseMs: 1, maxMs: 2 } },
    },
  });
  const gw = gateway;
  const client = new OpenAI({
    apiKey: "unused",
    baseURL: "http://gateway/v1",
    maxRetries: 0,
    fetch: (url, init) => gw.handle(new Request(url, init)),
  });
  return { client, up, other, gw };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "chatcmpl-abc",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "m1",
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const usageChunk = {
  id: "chatcmpl-abc",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "m1",
  choices: [],
  usage: {
    prompt_tokens: 12,
    completion_tokens: 5,
    total_tokens: 17,
    prompt_tokens_details: { cached_tokens: 4 },
    completion_tokens_details: { reasoning_tokens: 2 },
  },
};
const completion = (message: Record<string, unknown>, finish = "stop") => ({
  id: "chatcmpl-abc",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "m1",
  choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finish }],
  usage: usageChunk.usage,
});
const WEATHER = {
  type: "function" as const,
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  strict: false,
};

/** Reads a stream of events to its end; the error a client would see is kept, not thrown. */
async function collect(stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>) {
  const events: OpenAI.Responses.ResponseStreamEvent[] = [];
  let error: unknown;
  try {
    for await (const event of stream) events.push(event);
  } catch (e) {
    error = e;
  }
  return { events, types: events.map((e) => e.type), error };
}

describe("Responses door, non-streamed", () => {
  test("text: instructions lead as the system message, usage is mapped, the Response is whole", async () => {
    const { client, up } = clientFor({ up: [{ body: completion({ content: "Hello there" }) }] });
    const response = await client.responses.create({
      model: "t1",
      instructions: "Be brief.",
      input: "Say hello",
      max_output_tokens: 50,
      temperature: 0.3,
      reasoning: { effort: "low" },
      metadata: { k: "v" },
      store: false,
    });
    expect(response.object).toBe("response");
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe("Hello there");
    expect(response.output[0]).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "Hello there" }],
    });
    expect(response.usage).toEqual({
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 17,
    });
    expect((response as unknown as { store: boolean }).store).toBe(false);
    const sent = up.calls[0].body;
    expect(sent.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Say hello" },
    ]);
    expect(sent.max_tokens).toBe(50);
    expect(sent.temperature).toBe(0.3);
    expect(sent.reasoning_effort).toBe("low");
    expect(sent.metadata).toBeUndefined();
    expect(sent.native).toBeUndefined();
  });

  test("a function call round trip keeps call_id and arguments intact both ways", async () => {
    const args = '{"city":"Paris"}';
    const call = { id: "call_42", type: "function", function: { name: "get_weather", arguments: args } };
    const { client, up } = clientFor({
      up: [
        { body: completion({ content: null, tool_calls: [call] }, "tool_calls") },
        { body: completion({ content: "Sunny in Paris" }) },
      ],
    });
    const first = await client.responses.create({
      model: "t1",
      input: [{ role: "user", content: [{ type: "input_text", text: "Weather in Paris?" }] }],
      tools: [WEATHER],
      tool_choice: { type: "function", name: "get_weather" },
    });
    const fc = first.output.find((o) => o.type === "function_call");
    expect(fc).toMatchObject({ type: "function_call", call_id: "call_42", name: "get_weather", arguments: args });
    expect(fc?.id).toMatch(/^fc_/);
    expect(up.calls[0].body.tools).toEqual([
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather for a city",
          parameters: WEATHER.parameters,
          strict: false,
        },
      },
    ]);
    expect(up.calls[0].body.tool_choice).toEqual({ type: "function", function: { name: "get_weather" } });

    const second = await client.responses.create({
      model: "t1",
      input: [
        { role: "user", content: "Weather in Paris?" },
        ...(first.output as OpenAI.Responses.ResponseInputItem[]),
        { type: "function_call_output", call_id: "call_42", output: "18C, sunny" },
      ],
      tools: [WEATHER],
    });
    expect(second.output_text).toBe("Sunny in Paris");
    expect(up.calls[1].body.messages).toEqual([
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, tool_calls: [call] },
      { role: "tool", tool_call_id: "call_42", content: "18C, sunny" },
    ]);
  });

  test("reasoning items are removed and unknown item types skipped, not refused; developer becomes system", async () => {
    const { client, up, gw } = clientFor({ up: [{ body: completion({ content: "ok" }) }] });
    const input = [
      { type: "message", role: "developer", content: "Use tools wisely." },
      { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "opaque" },
      { type: "some_future_item", payload: 1 },
      { role: "user", content: [{ type: "input_text", text: "hi" }, { type: "input_hologram" }] },
    ] as unknown as OpenAI.Responses.ResponseInput;
    const response = await client.responses.create({ model: "t1", input });
    expect(response.status).toBe("completed");
    expect(up.calls[0].body.messages).toEqual([
      { role: "system", content: "Use tools wisely." },
      { role: "user", content: "hi" },
    ]);
    expect(gw).toBeDefined();
  });

  test("images and files become chat content parts", async () => {
    const { client, up } = clientFor({ up: [{ body: completion({ content: "a cat" }) }] });
    await client.responses.create({
      model: "t1",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "What is this?" },
            { type: "input_image", image_url: "data:image/png;base64,AAAA", detail: "low" },
            { type: "input_file", filename: "a.pdf", file_data: "data:application/pdf;base64,BBBB" },
          ],
        },
      ],
    });
    expect(up.calls[0].body.messages[0].content).toEqual([
      { type: "text", text: "What is this?" },
      { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "low" } },
      { type: "file", file: { file_data: "data:application/pdf;base64,BBBB", filename: "a.pdf" } },
    ]);
  });

  test("text.format json_schema becomes response_format; a length finish is incomplete", async () => {
    const { client, up } = clientFor({ up: [{ body: completion({ content: '{"a":' }, "length") }] });
    const schema = { type: "object", properties: { a: { type: "number" } } };
    const response = await client.responses.create({
      model: "t1",
      input: "json please",
      text: { format: { type: "json_schema", name: "thing", schema, strict: true } },
    });
    expect(up.calls[0].body.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "thing", schema, strict: true },
    });
    expect(response.status).toBe("incomplete");
    expect(response.incomplete_details).toEqual({ reason: "max_output_tokens" });
  });

  test("failover before the first content is invisible: the second target answers", async () => {
    const { client, up, other } = clientFor({
      up: [{ status: 503 }],
      other: [{ body: completion({ content: "from b" }) }],
    });
    const response = await client.responses.create({ model: "t1", input: "hi" });
    expect(response.output_text).toBe("from b");
    expect(up.calls.length).toBeGreaterThanOrEqual(1);
    expect(other.calls.length).toBe(1);
  });
});

describe("Responses door, refused and answered by the gateway", () => {
  const post = (gw: InMemoryGateway, body: string) =>
    gw.handle(
      new Request("http://gateway/v1/responses", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      }),
    );
  type ErrorBody = { error: { message: string; type: string; code: string; param: string | null } };

  test("a hosted tool is a 400 naming its type; no upstream is called", async () => {
    const { client, up } = clientFor({});
    try {
      await client.responses.create({ model: "t1", input: "hi", tools: [{ type: "web_search" }] });
      throw new Error("expected a 400");
    } catch (error) {
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const e = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(e.message).toContain('"web_search"');
      expect(e.param).toBe("tools[0].type");
    }
    expect(up.calls.length).toBe(0);
  });

  test("previous_response_id is a 400 saying no server-side state is kept", async () => {
    const { gw, up } = clientFor({});
    const answer = await post(gw, JSON.stringify({ model: "t1", input: "hi", previous_response_id: "resp_1" }));
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as ErrorBody;
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: "previous_response_id" });
    expect(body.error.message).toContain("keeps no server-side state");
    expect(up.calls.length).toBe(0);
  });

  test("a bad value the pipeline refuses is named as the client wrote it (max_output_tokens, not max_tokens)", async () => {
    const { gw, up } = clientFor({});
    const answer = await post(gw, JSON.stringify({ model: "t1", input: "hi", max_output_tokens: 0 }));
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as ErrorBody;
    expect(body.error.param).toBe("max_output_tokens");
    expect(body.error.message).toContain("`max_output_tokens`");
    expect(body.error.message).not.toContain("max_tokens`");
    expect(up.calls.length).toBe(0);
  });

  test("bad JSON is a 400 in OpenAI's error shape", async () => {
    const { gw } = clientFor({});
    const answer = await post(gw, "{not json");
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as ErrorBody;
    expect(body.error).toEqual({
      message: expect.stringContaining("The request body is not valid JSON"),
      type: "invalid_request_error",
      code: "invalid_request",
      param: null,
    });
  });

  test("GET /v1/responses (a WebSocket attempt) is a 426 telling the client to POST over HTTP", async () => {
    const { gw } = clientFor({});
    const answer = await gw.handle(
      new Request("http://gateway/v1/responses", { headers: { upgrade: "websocket", connection: "Upgrade" } }),
    );
    expect(answer.status).toBe(426);
    const body = (await answer.json()) as ErrorBody;
    expect(body.error.code).toBe("upgrade_required");
    expect(body.error.message).toContain("POST /v1/responses");
  });

  test("an upstream's own 4xx reaches the client in the error shape with its status", async () => {
    const { client } = clientFor({ up: [{ status: 400, error: { message: "bad thing", code: "bad_thing" } }] });
    try {
      await client.responses.create({ model: "t1", input: "hi" });
      throw new Error("expected a 400");
    } catch (error) {
      const e = error as InstanceType<typeof OpenAI.APIError>;
      expect(e.status).toBe(400);
      expect(e.message).toContain("bad thing");
    }
  });
});

describe("Responses door, streamed", () => {
  test("text: the documented event order, sequence numbers, and response.completed with usage", async () => {
    const { client } = clientFor({
      up: [
        {
          stream: [
            chunk({ role: "assistant", content: "Hel" }),
            chunk({ content: "lo" }),
            chunk({}, "stop"),
            usageChunk,
          ],
          end: "noDone" as const,
        },
      ],
    });
    const stream = await client.responses.create({ model: "t1", input: "hi", stream: true });
    const { events, types, error } = await collect(stream);
    expect(error).toBeUndefined();
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const done = events.find((e) => e.type === "response.output_text.done");
    expect(done).toMatchObject({ text: "Hello", output_index: 0, content_index: 0 });
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.status).toBe("completed");
    // output_text is the SDK's convenience for non-streamed answers; the stream carries the items.
    expect(completed.response.output[0]).toMatchObject({ type: "message", content: [{ text: "Hello" }] });
    expect(completed.response.usage?.input_tokens).toBe(12);
    expect(completed.response.usage?.output_tokens_details.reasoning_tokens).toBe(2);
    const created = events[0] as OpenAI.Responses.ResponseCreatedEvent;
    expect(created.response.id).toBe(completed.response.id);
    expect(created.response.status).toBe("in_progress");
  });

  test("a function call streams its argument deltas and .done with the arguments intact", async () => {
    const call = (fn: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      chunk({ tool_calls: [{ index: 0, ...extra, function: fn }] });
    const { client, up } = clientFor({
      up: [
        {
          stream: [
            chunk({ role: "assistant", content: "Checking." }),
            call({ name: "get_weather", arguments: "" }, { id: "call_7", type: "function" }),
            call({ arguments: '{"city":' }),
            call({ arguments: '"Paris"}' }),
            chunk({}, "tool_calls"),
            usageChunk,
          ],
          end: "noDone" as const,
        },
      ],
    });
    const stream = await client.responses.create({ model: "t1", input: "hi", tools: [WEATHER], stream: true });
    const { events, types } = await collect(stream);
    expect(up.calls[0].body.stream_options).toEqual({ include_usage: true });
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const added = events[8] as OpenAI.Responses.ResponseOutputItemAddedEvent;
    expect(added.output_index).toBe(1);
    expect(added.item).toMatchObject({ type: "function_call", call_id: "call_7", name: "get_weather" });
    const argsDone = events[11] as OpenAI.Responses.ResponseFunctionCallArgumentsDoneEvent;
    expect(argsDone).toMatchObject({ arguments: '{"city":"Paris"}', name: "get_weather", output_index: 1 });
    expect(argsDone.item_id).toBe((added.item as { id: string }).id);
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.output[1]).toMatchObject({
      type: "function_call",
      call_id: "call_7",
      arguments: '{"city":"Paris"}',
      status: "completed",
    });
  });

  test("failover before the first content is invisible in the stream", async () => {
    const { client, up, other } = clientFor({
      up: [{ status: 503 }],
      other: [{ stream: [chunk({ role: "assistant", content: "from b" })] }],
    });
    const stream = await client.responses.create({ model: "t1", input: "hi", stream: true });
    const { events, types } = await collect(stream);
    expect(types.filter((t) => t === "response.created").length).toBe(1);
    expect(types.at(-1)).toBe("response.completed");
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.output[0]).toMatchObject({ content: [{ text: "from b" }] });
    expect(up.calls.length).toBeGreaterThanOrEqual(1);
    expect(other.calls.length).toBe(1);
  });

  test("a failure after commit ends with an error event and response.failed, never response.completed", async () => {
    const { client } = clientFor({
      up: [{ stream: [chunk({ role: "assistant", content: "partial" })], end: "cut" as const }],
      other: [{ stream: [chunk({ role: "assistant", content: "partial" })], end: "cut" as const }],
    });
    const stream = await client.responses.create({ model: "t1", input: "hi", stream: true });
    const { events, types } = await collect(stream);
    expect(types).not.toContain("response.completed");
    expect(types.slice(0, 2)).toEqual(["response.created", "response.in_progress"]);
    expect(types).toContain("response.output_text.delta");
    expect(types.slice(-2)).toEqual(["error", "response.failed"]);
    const error = events.at(-2) as OpenAI.Responses.ResponseErrorEvent;
    expect(error.code).toBe("stream_cut");
    const failed = events.at(-1) as OpenAI.Responses.ResponseFailedEvent;
    expect(failed.response.status).toBe("failed");
    expect(failed.response.error?.message).toBeTruthy();
  });
});
