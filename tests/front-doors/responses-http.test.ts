/**
 * The Responses front door over real HTTP: a gateway on a loopback port in front of the mock upstream,
 * once speaking chat completions (`openai`) and once the Responses API (`openaiResponses`, so the
 * request goes Responses → chat → Responses), with the official client's `responses.create`.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type OpenAI from "openai";
import { mockReply } from "../../bench/mock-upstream.ts";
import { type Harness, startProtocolHarness } from "../helpers/gateway-harness.ts";

type Obj = Record<string, unknown>;
const WEATHER = {
  type: "function" as const,
  name: "get_weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
  strict: false,
};

let g: Harness;
beforeAll(async () => {
  g = await startProtocolHarness({
    factory: "openaiResponses",
    entry: (url) => `resp: openaiResponses({ baseURL: "${url}", apiKey: "sk-test" })`,
    tiers: `
    chat: { models: ["oai/mini?tokens=5"] },
    resp: { models: ["resp/rmini?tokens=5"] },
    respTool: { models: ["resp/rtooly?tool=get_weather"] },
    midError: { models: ["oai/mid?fault=errorBody&asEvent=1&afterChunks=3&chunkDelayMs=20"] },
  `,
  });
});
afterAll(() => g.stop());

async function events(stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>) {
  const all: OpenAI.Responses.ResponseStreamEvent[] = [];
  for await (const event of stream) all.push(event);
  return all;
}

describe.each([
  ["a chat upstream", "chat", "mini?tokens=5"],
  ["a Responses upstream", "resp", "rmini?tokens=5"],
])("POST /v1/responses over HTTP, %s", (_, text, textModel) => {
  test("non-streamed text with instructions and usage", async () => {
    const response = await g.client.responses.create({
      model: text,
      instructions: "Be brief.",
      input: "hello",
      prompt_cache_key: "conv-1",
    });
    expect(response.status).toBe("completed");
    expect(response.output_text).toBe(mockReply(5));
    expect(response.usage?.output_tokens).toBe(5);
    expect(response.usage?.total_tokens).toBe((response.usage?.input_tokens ?? 0) + 5);
    const sent = g.mock.stats.bodies[textModel].at(-1) as Obj;
    // prompt_cache_key is a Responses field: it reaches a Responses upstream only.
    if (text === "resp") expect(sent).toMatchObject({ instructions: "Be brief.", prompt_cache_key: "conv-1" });
    else {
      expect((sent.messages as Obj[])[0]).toEqual({ role: "system", content: "Be brief." });
      expect(sent.prompt_cache_key).toBeUndefined();
    }
  });

  test("streamed text: the event sequence and response.completed with usage", async () => {
    const all = await events(await g.client.responses.create({ model: text, input: "hello", stream: true }));
    const types = all.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
    ]);
    expect(types.slice(-4)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const deltas = all.filter((e) => e.type === "response.output_text.delta");
    expect(deltas.map((e) => e.delta).join("")).toBe(mockReply(5));
    const completed = all.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.usage?.output_tokens).toBe(5);
  });
});

// The chat mock answers text only (no tool calls): the chat-upstream round trip is in responses.test.ts.
test("a function call round trip through a Responses upstream: call_id and arguments intact, streamed and not", async () => {
  const stream = await g.client.responses.create({
    model: "respTool",
    input: "Weather?",
    tools: [WEATHER],
    stream: true,
  });
  const all = await events(stream);
  const done = all.find((e) => e.type === "response.function_call_arguments.done");
  expect(done && JSON.parse(done.arguments)).toEqual({ city: "Paris" });
  const first = await g.client.responses.create({ model: "respTool", input: "Weather in Paris?", tools: [WEATHER] });
  const call = first.output.find((o) => o.type === "function_call");
  expect(call).toMatchObject({ name: "get_weather", arguments: '{"city":"Paris"}' });
  const callId = (call as OpenAI.Responses.ResponseFunctionToolCall).call_id;
  const second = await g.client.responses.create({
    model: "respTool",
    tools: [WEATHER],
    input: [
      { role: "user", content: "Weather in Paris?" },
      ...(first.output as OpenAI.Responses.ResponseInputItem[]),
      { type: "function_call_output", call_id: callId, output: "18°C" },
    ],
  });
  expect(second.output_text).toBe(mockReply(8));
  const sent = g.mock.stats.bodies["rtooly?tool=get_weather"].at(-1) as Obj;
  // Passed through (a Responses upstream): the items go up as the client sent them, `id` and `status` too.
  expect((sent.input as Obj[]).slice(1)).toEqual([
    {
      type: "function_call",
      id: call?.id,
      status: "completed",
      call_id: callId,
      name: "get_weather",
      arguments: '{"city":"Paris"}',
    },
    { type: "function_call_output", call_id: callId, output: "18°C" },
  ]);
});

test("a failure after commit over HTTP: an error event and response.failed, no response.completed", async () => {
  const all = await events(await g.client.responses.create({ model: "midError", input: "hello", stream: true }));
  const types = all.map((e) => e.type);
  expect(types).not.toContain("response.completed");
  expect(types.slice(-2)).toEqual(["error", "response.failed"]);
  const text = all.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta);
  expect(text.join("")).toBe("w1 w2 w3 ");
});
