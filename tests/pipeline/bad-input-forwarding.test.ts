/**
 * Bad input is the client's 400 and never reaches an upstream: no attempt, no failover, no health
 * penalty. Real HTTP: openai client (or raw fetch for bodies it would not send) → gateway → mock.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
const MODEL = "good?tokens=3";

beforeAll(async () => {
  h = await startHarness({ config: () => `  tiers: { t1: { models: ["a/${MODEL}"] } },` });
});
afterAll(() => h.stop());

async function post(body: string) {
  const response = await fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const json = (await response.json()) as { error?: { code: string; param: string | null; message: string } };
  return { status: response.status, error: json.error };
}

test("a 100 KB body nested 50,000 deep is a 400 before it is parsed, and the upstream never sees it", async () => {
  const deep = `{"model":"t1","messages":[{"role":"user","content":"hi"}],"metadata":${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
  const { status, error } = await post(deep);
  expect(status).toBe(400);
  expect(error).toMatchObject({ code: "invalid_request" });
  expect(error!.message).toContain("limits.maxJsonDepth");
  expect(h.seen(MODEL)).toBe(0);
  expect(h.running.gateway.health.view(`a/${MODEL}`, Date.now()).score).toBe(100);
});

test("a content part of unknown type is a 400 naming it, not an upstream failure", async () => {
  const messages = [
    {
      role: "user",
      content: [
        { type: "text", text: "a" },
        { type: "video_url", video_url: { url: "x" } },
      ],
    },
  ];
  const { status, error } = await post(JSON.stringify({ model: "t1", messages }));
  expect(status).toBe(400);
  expect(error!.param).toBe("messages[0].content[1].type");
  expect(h.seen(MODEL)).toBe(0);
});

test("an out-of-range parameter through the openai client is a 400 with its param", async () => {
  try {
    await h.client.chat.completions.create({ model: "t1", messages: [{ role: "user", content: "x" }], n: 0 });
    throw new Error("expected a 400");
  } catch (e) {
    expect((e as { status?: number }).status).toBe(400);
    expect((e as { param?: string }).param).toBe("n");
  }
  expect(h.seen(MODEL)).toBe(0);
});

test("a valid request with unknown top-level fields is forwarded with them untouched", async () => {
  const extra = {
    seed: 3,
    vendor_extension: { nested: [1, { deep: true }] },
    tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }],
  };
  const response = await fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "t1", messages: [{ role: "user", content: "x" }], ...extra }),
  });
  expect(response.status).toBe(200);
  expect(h.mock.stats.bodies[MODEL].at(-1)).toMatchObject(extra);
});
