/**
 * Embeddings over real HTTP: the official `openai` client, the gateway on a loopback port, the mock
 * upstream's `/v1/embeddings`. A failing model fails over; the request log keeps the row with its tokens.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { loggedRequest } from "../helpers/request-log.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    config: () => `  tiers: {
    t1: { models: ["a/chat"] },
    embed: { kind: "embeddings", models: ["a/embed-down?fault=error", "b/text-embedding-3-small"] },
  },`,
  });
});
afterAll(() => h.stop());

test("embeddings.create: vectors from the healthy model, logged with its tokens", async () => {
  const { data, response } = await h.client.embeddings
    .create({ model: "embed", input: ["hello world", "bonjour"], dimensions: 4 })
    .withResponse();
  expect(data.data).toHaveLength(2);
  expect(data.data[0].embedding).toHaveLength(4);
  expect(response.headers.get("x-gateway-model")).toBe("b/text-embedding-3-small");
  expect(h.seen("embed-down?fault=error")).toBeGreaterThan(0);
  const row = await loggedRequest(h, response.headers.get("x-request-id")!);
  expect(row).toMatchObject({ door: "embeddings", tier: "embed", status: 200, promptTokens: data.usage.prompt_tokens });
  expect(row.attempts).toBeGreaterThan(1);
});
