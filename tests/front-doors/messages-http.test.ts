/**
 * The Messages door over real HTTP, as Claude Code reaches it (`ANTHROPIC_BASE_URL` pointed at the
 * gateway): the official `@anthropic-ai/sdk` client, the gateway on a loopback port, the mock upstream
 * speaking chat completions and Anthropic's own API. Anthropic's fields reach an Anthropic upstream, the
 * request log keeps the door, the client's own request and the answer in its format.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { type Harness, ROOT, startHarness } from "../helpers/gateway-harness.ts";
import { loggedRequest } from "../helpers/request-log.ts";

let h: Harness;
let client: Anthropic;

beforeAll(async () => {
  h = await startHarness({
    imports: `import { anthropic } from "${ROOT}/plugins/index.ts";`,
    providers: (url) => `claude: anthropic({ baseURL: "${url}", apiKey: "sk-ant-test" }),`,
    config: () => `  tiers: { t1: { models: ["a/chat-model"] }, t2: { models: ["claude/claude-sonnet-5"] } },
  routing: { defaultTier: "t1" },`,
  });
  client = new Anthropic({ baseURL: h.url, apiKey: "unused", maxRetries: 0 });
});
afterAll(() => h.stop());

test("a chat upstream answers a Messages client; the log row says messages and keeps both bodies in that format", async () => {
  const { data, response } = await client.messages
    .create({ model: "t1", max_tokens: 50, messages: [{ role: "user", content: "Say hello" }] })
    .withResponse();
  expect(data.type).toBe("message");
  expect(data.content[0]).toMatchObject({ type: "text" });
  const row = await loggedRequest(h, response.headers.get("x-request-id")!);
  expect(row.door).toBe("messages");
  expect(row.requestBody).toMatchObject({
    model: "t1",
    max_tokens: 50,
    messages: [{ role: "user", content: "Say hello" }],
  });
  expect(row.responseBody).toMatchObject({
    type: "message",
    role: "assistant",
    content: [{ type: "text" }],
  });
});

test("streamed through an Anthropic upstream: Anthropic's own fields reach it, the SDK assembles the answer", async () => {
  const stream = client.messages.stream({
    model: "t2",
    max_tokens: 2000,
    thinking: { type: "enabled", budget_tokens: 1024 },
    top_k: 7,
    messages: [{ role: "user", content: "Say hello" }],
  } as never);
  const final = await stream.finalMessage();
  expect(final.stop_reason).toBe("end_turn");
  expect(final.content.some((b) => b.type === "text")).toBe(true);
  const sent = h.mock.stats.bodies["claude-sonnet-5"]?.at(-1) as Record<string, unknown>;
  expect(sent).toMatchObject({ top_k: 7, thinking: { type: "enabled", budget_tokens: 1024 } });
});

test("over HTTP to an Anthropic upstream: passed through, cache_control and a signed thinking block intact (the mock refuses fields Anthropic does not know), logged as such", async () => {
  const request = {
    model: "t2",
    max_tokens: 200,
    system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
    messages: [
      { role: "user", content: "Say hello" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "Greeting.", signature: "sig-abc" },
          { type: "text", text: "Hello." },
        ],
      },
      { role: "user", content: [{ type: "text", text: "Again", cache_control: { type: "ephemeral" } }] },
    ],
  };
  const { data, response } = await client.messages.create(request as never).withResponse();
  expect(data.type).toBe("message");
  const sent = h.mock.stats.bodies["claude-sonnet-5"]?.at(-1) as Record<string, unknown>;
  expect(sent).toEqual({ ...request, model: "claude-sonnet-5" });
  const row = await loggedRequest(h, response.headers.get("x-request-id")!);
  expect(row.attemptTrace[0].reason).toContain("passed through");
  expect(row.responseBody).toMatchObject({ type: "message", role: "assistant" });
});

test("count_tokens over HTTP: a burst of 50 in a second, no upstream call", async () => {
  const before = Object.values(h.mock.stats.requests).reduce((a, b) => a + b, 0);
  const counts = await Promise.all(
    Array.from({ length: 50 }, () =>
      client.messages.countTokens({ model: "t1", messages: [{ role: "user", content: "How many tokens is this?" }] }),
    ),
  );
  expect(new Set(counts.map((c) => c.input_tokens)).size).toBe(1);
  expect(counts[0].input_tokens).toBeGreaterThan(5);
  expect(Object.values(h.mock.stats.requests).reduce((a, b) => a + b, 0)).toBe(before);
});
