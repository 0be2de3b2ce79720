/**
 * Pass-through: a door's request to an upstream of the door's own API goes as the client wrote it (only
 * `model` swapped) and its answer comes back untranslated, JSON and events. The official SDKs send the
 * requests; the upstreams are the real `anthropic()` and `openaiResponses()` providers behind a fake
 * `fetch` that records the exact bytes it got. Failover to a chat upstream translates as before.
 */
import { afterEach, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { anthropic, openaiResponses, type ScriptStep, scripted } from "../../plugins/index.ts";
import {
  type CompletionSummary,
  createGateway,
  defineConfig,
  definePlugin,
  type InMemoryGateway,
} from "../../src/index.ts";

let gateway: InMemoryGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const encoder = new TextEncoder();

/**
 * An upstream answer: JSON, or SSE events sent one per network chunk, then cut (`cut`), or kept open
 * with a `ping` every `pingMs` until the gateway hangs up.
 */
type Upstream = { json: unknown } | { events: string[]; cut?: boolean; pingMs?: number };

/** SSE text of named events, as Anthropic and OpenAI's Responses frame them. */
const events = (...list: [string, unknown][]) =>
  list.map(([name, data]) => `event: ${name}\ndata: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

/** `signal`: the gateway's abort, which ends the body as a real connection's would. */
function answer(up: Upstream, signal?: AbortSignal | null): Response {
  if ("json" in up) return Response.json(up.json);
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i < up.events.length) return controller.enqueue(encoder.encode(up.events[i++]));
      if (up.pingMs) {
        await Bun.sleep(up.pingMs);
        if (signal?.aborted) return controller.error(new Error("aborted"));
        return controller.enqueue(encoder.encode('event: ping\ndata: {"type": "ping"}\n\n'));
      }
      if (up.cut) controller.error(new Error("upstream connection reset"));
      else controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

function setup(answers: Upstream[], chatSteps: ScriptStep[] = [{ text: "from chat" }], idleMs?: number) {
  const sent: { url: string; body: string; headers: Headers }[] = [];
  const clientSent: string[] = [];
  const summaries: CompletionSummary[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    sent.push({ url, body: String(init.body), headers: new Headers(init.headers) });
    return answer(answers[Math.min(sent.length - 1, answers.length - 1)], init.signal);
  };
  const chat = scripted(chatSteps);
  gateway = createGateway({
    fetch,
    config: defineConfig({
      providers: {
        claude: anthropic({ baseURL: "http://anthropic.invalid/v1", apiKey: "sk-ant" }),
        oai: openaiResponses({ baseURL: "http://openai.invalid/v1", apiKey: "sk-oai" }),
        chat,
      },
      tiers: {
        claude: { models: ["claude/claude-x", "chat/gpt-chat"], ...(idleMs ? { timeouts: { idleMs } } : {}) },
        oai: { models: ["oai/gpt-x", "chat/gpt-chat"] },
        chatOnly: { models: ["chat/gpt-chat"] },
      },
      routing: { defaultTier: "claude" },
      plugins: [definePlugin({ name: "test:summaries", onComplete: (s) => void summaries.push(s) })],
    }),
  });
  const g = gateway;
  const handle = (url: string | URL | Request, init?: RequestInit) => {
    if (typeof init?.body === "string") clientSent.push(init.body);
    return g.handle(new Request(url, init));
  };
  const claude = new Anthropic({ baseURL: "http://gateway", apiKey: "k", maxRetries: 0, fetch: handle });
  const openai = new OpenAI({ baseURL: "http://gateway/v1", apiKey: "k", maxRetries: 0, fetch: handle });
  const post = (path: string, body: object) =>
    handle(`http://gateway${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  return { sent, clientSent, summaries, chat, claude, openai, post };
}

/** A Messages request no translation carries whole: cache_control, a signed thinking block, an unknown field. */
const messagesRequest = {
  model: "claude",
  max_tokens: 64,
  system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
  messages: [
    { role: "user", content: [{ type: "text", text: "Think, then answer.", cache_control: { type: "ephemeral" } }] },
    {
      role: "assistant",
      content: [
        { type: "thinking", thinking: "Let me think.", signature: "EqQBCkgIARABGAIiQK+sig==" },
        { type: "text", text: "Thought about it." },
      ],
    },
    { role: "user", content: "Go on." },
  ],
  thinking: { type: "enabled", budget_tokens: 1024 },
  future_field: { kept: [1, 2.5, "é"] },
};

const message = {
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude-x",
  content: [
    { type: "thinking", thinking: "Hmm.", signature: "sig-answer" },
    { type: "text", text: "Hello." },
  ],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 4, cache_read_input_tokens: 8 },
  container: null,
};

test("Messages to an Anthropic upstream: the client's bytes go up (model swapped) and its answer comes back as sent", async () => {
  const h = setup([{ json: message }]);
  const got = await h.claude.messages
    .create(messagesRequest as unknown as Anthropic.MessageCreateParamsNonStreaming, {
      headers: { "anthropic-beta": "context-1m-2025-08-07" },
    })
    .withResponse();
  expect(h.sent.length).toBe(1);
  expect(h.sent[0].url).toBe("http://anthropic.invalid/v1/messages");
  expect(h.clientSent[0]).toContain('"model":"claude"');
  expect(h.sent[0].body).toBe(h.clientSent[0].replace('"model":"claude"', '"model":"claude-x"'));
  expect(h.sent[0].headers.get("x-api-key")).toBe("sk-ant");
  expect(h.sent[0].headers.get("anthropic-beta")).toBe("context-1m-2025-08-07");
  // Untranslated: the signature and the field no translation knows are there.
  expect(got.data as unknown).toEqual(message);
  expect(got.response.headers.get("x-gateway-model")).toBe("claude/claude-x");
  expect(got.response.headers.get("x-gateway-attempts")).toBe("1");
  await Bun.sleep(0);
  expect(h.summaries[0].attempts[0].reason).toContain("passed through");
  // The log keeps the upstream's answer as it is (in the door's format already), not a translation of it.
  expect(JSON.parse(h.summaries[0].response as string)).toEqual(message);
});

test("Responses to a Responses upstream: encrypted reasoning and an unknown item type arrive intact", async () => {
  const response = {
    id: "resp_1",
    object: "response",
    created_at: 1,
    status: "completed",
    model: "gpt-x",
    output: [
      { id: "rs_1", type: "reasoning", summary: [], encrypted_content: "gAAAA-new" },
      {
        id: "msg_1",
        type: "message",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: "Done.", annotations: [] }],
      },
    ],
    usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 },
    future: "kept",
  };
  const h = setup([{ json: response }]);
  const input = [
    { role: "user", content: "Start." },
    { type: "reasoning", id: "rs_0", summary: [], encrypted_content: "gAAAA-opaque" },
    { type: "future_item", payload: { anything: true } },
    { role: "user", content: "Continue." },
  ];
  const got = await h.openai.responses.create({
    model: "oai",
    input,
    include: ["reasoning.encrypted_content"],
    store: false,
  } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming);
  expect(h.sent[0].url).toBe("http://openai.invalid/v1/responses");
  expect(h.sent[0].body).toBe(h.clientSent[0].replace('"model":"oai"', '"model":"gpt-x"'));
  expect(JSON.parse(h.sent[0].body).input).toEqual(input);
  expect(h.sent[0].headers.get("authorization")).toBe("Bearer sk-oai");
  const { output_text: _derived, ...plain } = got as unknown as Record<string, unknown>;
  expect(plain).toEqual(response);
});

const anthropicStream = events(
  [
    "message_start",
    {
      type: "message_start",
      message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } },
    },
  ],
  ["ping", '{"type": "ping"}'],
  [
    "content_block_start",
    { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } },
  ],
  [
    "content_block_delta",
    { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Hmm." } },
  ],
  [
    "content_block_delta",
    { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "sig-answer" } },
  ],
  ["content_block_stop", { type: "content_block_stop", index: 0 }],
  ["content_block_start", { type: "content_block_start", index: 1, content_block: { type: "text", text: "" } }],
  ["content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "text_delta", text: "Hello." } }],
  ["content_block_stop", { type: "content_block_stop", index: 1 }],
  [
    "message_delta",
    { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 4 } },
  ],
  ["message_stop", { type: "message_stop" }],
);

test("a streamed Messages pass-through arrives event for event as the upstream sent it", async () => {
  const h = setup([{ events: anthropicStream }]);
  const response = await h.post("/v1/messages", { ...messagesRequest, stream: true });
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  expect(response.headers.get("x-gateway-model")).toBe("claude/claude-x");
  expect(await response.text()).toBe(anthropicStream.join(""));
  expect(h.sent[0].body).toBe(h.clientSent[0].replace('"model":"claude"', '"model":"claude-x"'));
  // And the SDK reads it as Anthropic's own stream, signature included.
  const final = await h.claude.messages
    .stream({ ...messagesRequest, stream: true } as unknown as Anthropic.MessageStreamParams)
    .finalMessage();
  expect(final.content[0]).toEqual({ type: "thinking", thinking: "Hmm.", signature: "sig-answer" });
  expect(final.content[1]).toMatchObject({ type: "text", text: "Hello." });
});

test("a streamed Responses pass-through arrives event for event", async () => {
  const done = {
    id: "resp_1",
    object: "response",
    created_at: 1,
    status: "completed",
    model: "gpt-x",
    output: [
      {
        id: "msg_1",
        type: "message",
        role: "assistant",
        status: "completed",
        content: [{ type: "output_text", text: "Hi", annotations: [] }],
      },
    ],
    usage: { input_tokens: 3, output_tokens: 1, total_tokens: 4 },
  };
  const item = { id: "msg_1", type: "message", role: "assistant", status: "in_progress", content: [] };
  const stream = events(
    [
      "response.created",
      { type: "response.created", sequence_number: 0, response: { ...done, status: "in_progress", output: [] } },
    ],
    ["response.output_item.added", { type: "response.output_item.added", sequence_number: 1, output_index: 0, item }],
    [
      "response.output_text.delta",
      {
        type: "response.output_text.delta",
        sequence_number: 2,
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        delta: "Hi",
      },
    ],
    ["response.completed", { type: "response.completed", sequence_number: 3, response: done }],
  );
  const h = setup([{ events: stream }]);
  const response = await h.post("/v1/responses", { model: "oai", input: "hi", stream: true });
  expect(await response.text()).toBe(stream.join(""));
  const sdk = await h.openai.responses.create({ model: "oai", input: "hi", stream: true });
  const types: string[] = [];
  for await (const event of sdk) types.push(event.type);
  expect(types).toEqual([
    "response.created",
    "response.output_item.added",
    "response.output_text.delta",
    "response.completed",
  ]);
});

test("a pass-through stream failing before content fails over, invisibly, to a translated chat attempt", async () => {
  const h = setup([{ events: anthropicStream.slice(0, 2), cut: true }], [{ stream: ["from ", "chat"] }]);
  const final = await h.claude.messages
    .stream({ ...messagesRequest, stream: true } as unknown as Anthropic.MessageStreamParams)
    .finalMessage();
  expect(final.content.map((b) => (b.type === "text" ? b.text : b.type))).toEqual(["from chat"]);
  const chatBody = h.chat.calls[0].body;
  expect(JSON.stringify(chatBody)).not.toContain("cache_control");
  expect(JSON.stringify(chatBody)).not.toContain("signature");
  expect(chatBody.future_field).toBeUndefined();
  await Bun.sleep(0);
  const attempts = h.summaries[0].attempts;
  const last = attempts[attempts.length - 1];
  expect(attempts[0].target).toBe("claude/claude-x");
  expect(attempts[0].reason).toContain("passed through");
  expect(last).toMatchObject({ target: "chat/gpt-chat", outcome: "accepted" });
  expect(last.reason).not.toContain("passed through");
});

test("a pass-through stream failing after commit ends with Anthropic's in-band error, never message_stop", async () => {
  const h = setup([{ events: anthropicStream.slice(0, 8), cut: true }]);
  const response = await h.post("/v1/messages", { ...messagesRequest, stream: true });
  const text = await response.text();
  expect(text.startsWith(anthropicStream.slice(0, 8).join(""))).toBe(true);
  const rest = text.slice(anthropicStream.slice(0, 8).join("").length);
  expect(rest).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"[a-z_]+","message":".*cut/);
  expect(text).not.toContain("message_stop");
  expect(h.chat.calls.length).toBe(0); // no continuation onto a chat upstream after native events
  const sdk = await h.claude.messages
    .stream({ ...messagesRequest, stream: true } as unknown as Anthropic.MessageStreamParams)
    .finalMessage()
    .catch((e) => e);
  expect(sdk).toBeInstanceOf(Error);
});

test("a door's request to an upstream of another API is translated, as before", async () => {
  const h = setup([{ json: message }]);
  // Responses door → the Anthropic provider: a translated Messages body, not the client's Responses body.
  await h.post("/v1/responses", { model: "claude", input: "hi", future: 1 });
  const body = JSON.parse(h.sent[0].body);
  expect(body.model).toBe("claude-x");
  expect(body.messages).toEqual([{ role: "user", content: [{ type: "text", text: "hi" }] }]);
  expect(body.input).toBeUndefined();
  expect(body.future).toBeUndefined();
  // Messages door → a chat upstream (the Responses tier's second model after a failing first).
  const chatOnly = setup([{ json: { error: { message: "overloaded" } } }]);
  await chatOnly.claude.messages.create(messagesRequest as unknown as Anthropic.MessageCreateParamsNonStreaming);
  expect(chatOnly.chat.calls.length).toBe(1);
  expect(JSON.stringify(chatOnly.chat.calls[0].body)).not.toContain("cache_control");
});

test("a pass-through Responses stream failing after commit ends with an error event, never response.completed", async () => {
  const stream = events(
    [
      "response.created",
      { type: "response.created", sequence_number: 0, response: { id: "resp_1", status: "in_progress", output: [] } },
    ],
    [
      "response.output_text.delta",
      {
        type: "response.output_text.delta",
        sequence_number: 1,
        item_id: "msg_1",
        output_index: 0,
        content_index: 0,
        delta: "Par",
      },
    ],
  );
  const h = setup([{ events: stream, cut: true }]);
  const text = await (await h.post("/v1/responses", { model: "oai", input: "hi", stream: true })).text();
  expect(text.startsWith(stream.join(""))).toBe(true);
  expect(text.slice(stream.join("").length)).toMatch(/^event: error\ndata: \{"type":"error","code":"stream_cut"/);
  expect(text).not.toContain("response.completed");
  // The SDK yields the error event (it raises only for `data.error`): the stream ends on it, not completed.
  const seen: string[] = [];
  for await (const event of await h.openai.responses.create({ model: "oai", input: "hi", stream: true }))
    seen.push(event.type);
  expect(seen).toEqual(["response.created", "response.output_text.delta", "error"]);
});

const applyPatch = {
  type: "custom",
  name: "apply_patch",
  description: "Apply a patch",
  format: { type: "grammar", syntax: "lark", definition: "start: /.+/" },
};

test("a custom tool goes to a Responses upstream only, passed through; its call is an answer, not an empty one", async () => {
  const call = {
    id: "ctc_1",
    type: "custom_tool_call",
    call_id: "call_1",
    name: "apply_patch",
    input: "*** Begin Patch",
  };
  const response = { id: "resp_1", object: "response", status: "completed", model: "gpt-x", output: [call] };
  const h = setup([{ json: response }]);
  const got = await h.openai.responses.create({
    model: "oai",
    input: "Fix it.",
    tools: [applyPatch],
    tool_choice: { type: "custom", name: "apply_patch" },
  } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming);
  expect(h.sent[0].body).toBe(h.clientSent[0].replace('"model":"oai"', '"model":"gpt-x"'));
  expect(got.output).toEqual([call] as unknown as typeof got.output);
  expect(h.chat.calls.length).toBe(0);

  // Streamed: a call whose input arrives in custom_tool_call_input deltas commits like any tool call.
  const item = { ...call, input: "" };
  const stream = events(
    ["response.created", { type: "response.created", sequence_number: 0, response: { ...response, output: [] } }],
    ["response.output_item.added", { type: "response.output_item.added", sequence_number: 1, output_index: 0, item }],
    [
      "response.custom_tool_call_input.delta",
      {
        type: "response.custom_tool_call_input.delta",
        sequence_number: 2,
        item_id: "ctc_1",
        output_index: 0,
        delta: "*** Begin",
      },
    ],
    ["response.completed", { type: "response.completed", sequence_number: 3, response }],
  );
  const s = setup([{ events: stream }]);
  const text = await (
    await s.post("/v1/responses", { model: "oai", input: "Fix it.", tools: [applyPatch], stream: true })
  ).text();
  expect(text).toBe(stream.join(""));
});

test("a custom tool never reaches a chat upstream: failover skips it, and a tier without a Responses upstream is a 400", async () => {
  const h = setup([{ json: { error: { message: "overloaded", type: "server_error" } } }]);
  const failed = await h.post("/v1/responses", { model: "oai", input: "Fix it.", tools: [applyPatch] });
  expect(failed.status).toBeGreaterThanOrEqual(500);
  expect(h.chat.calls.length).toBe(0);
  const refused = await h.post("/v1/responses", {
    model: "chatOnly",
    input: "Fix it.",
    tools: [{ type: "function", name: "f" }, applyPatch],
  });
  expect(refused.status).toBe(400);
  const body = (await refused.json()) as { error: { param: string; message: string } };
  expect(body.error.param).toBe("tools[1].type");
  expect(body.error.message).toContain("Responses upstream");
  expect(h.chat.calls.length).toBe(0);
});

test("a passed-through stream's pings go to the client but do not hold off the stall budget", async () => {
  const h = setup([{ events: anthropicStream.slice(0, 8), pingMs: 20 }], undefined, 150);
  const started = Date.now();
  const text = await (await h.post("/v1/messages", { ...messagesRequest, stream: true })).text();
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(text.slice(anthropicStream.slice(0, 8).join("").length)).toContain("event: ping");
  expect(text).toMatch(
    /event: error\ndata: \{"type":"error","error":\{"type":"[a-z_]+","message":"The upstream stream stalled/,
  );
  expect(text).not.toContain("message_stop");
});
