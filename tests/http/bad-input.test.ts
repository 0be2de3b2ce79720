/** Bad input of every kind gets the right status and an OpenAI-shaped error, and the gateway keeps serving. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
const KEY = "sk-gateway-test-key";

beforeAll(async () => {
  h = await startHarness({
    apiKey: KEY,
    config: () => `
  auth: { apiKeys: ["${KEY}"] },
  limits: { maxBodyBytes: 4096 },
  tiers: { t1: { models: ["a/good"] } },`,
  });
});
afterAll(() => h.stop());

async function post(
  body: string,
  headers: Record<string, string> = { authorization: `Bearer ${KEY}` },
  path = "/v1/chat/completions",
  method = "POST",
) {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: method === "GET" ? undefined : body,
  });
  return {
    status: response.status,
    json: (await response.json()) as { error?: { message: string; type: string; code: string; param: string | null } },
  };
}

function expectOpenAIError(json: unknown, code: string, param?: string) {
  const error = (json as { error: Record<string, unknown> }).error;
  expect(typeof error.message).toBe("string");
  expect(typeof error.type).toBe("string");
  expect(error.code).toBe(code);
  if (param) expect(error.param).toBe(param);
}

describe("bad input", () => {
  test("invalid JSON → 400", async () => {
    const { status, json } = await post("{not json");
    expect(status).toBe(400);
    expectOpenAIError(json, "invalid_request");
    expect(json.error!.message).toContain("not valid JSON");
  });

  test("an empty body → 400", async () => {
    const { status, json } = await post("");
    expect(status).toBe(400);
    expectOpenAIError(json, "invalid_request");
  });

  test("a JSON array instead of an object → 400", async () => {
    expect((await post("[1,2]")).status).toBe(400);
  });

  test("missing messages → 400 naming the field", async () => {
    const { status, json } = await post(JSON.stringify({ model: "t1" }));
    expect(status).toBe(400);
    expectOpenAIError(json, "invalid_request", "messages");
  });

  test("wrong types → 400 naming the field", async () => {
    expectOpenAIError(
      (await post(JSON.stringify({ model: 5, messages: [{ role: "user", content: "x" }] }))).json,
      "invalid_request",
      "model",
    );
    expectOpenAIError(
      (await post(JSON.stringify({ model: "t1", messages: "hello" }))).json,
      "invalid_request",
      "messages",
    );
    expectOpenAIError(
      (await post(JSON.stringify({ model: "t1", messages: [{ content: "x" }] }))).json,
      "invalid_request",
      "messages[0].role",
    );
    expectOpenAIError(
      (await post(JSON.stringify({ model: "t1", messages: [{ role: "user", content: "x" }], stream: "yes" }))).json,
      "invalid_request",
      "stream",
    );
  });

  test("an oversized body → 413, whether content-length says so or not", async () => {
    const big = JSON.stringify({ model: "t1", messages: [{ role: "user", content: "x".repeat(10_000) }] });
    const { status, json } = await post(big);
    expect(status).toBe(413);
    expectOpenAIError(json, "payload_too_large");
    // chunked upload without content-length
    const chunks = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const response = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
      body: chunks,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  test("an unknown route → 404", async () => {
    const { status, json } = await post("{}", { authorization: `Bearer ${KEY}` }, "/v1/embeddingz");
    expect(status).toBe(404);
    expectOpenAIError(json, "not_found");
    expect((await post("{}", {}, "/nothing-here", "POST")).status).toBe(404);
    const page = await fetch(`${h.url}/some/ui/route`); // the admin UI answers its own routes
    expect(page.headers.get("content-type")).toContain("text/html");
    await page.text();
  });

  test("a missing or wrong key → 401 with WWW-Authenticate", async () => {
    const body = JSON.stringify({ model: "t1", messages: [{ role: "user", content: "x" }] });
    const missing = await post(body, {});
    expect(missing.status).toBe(401);
    expectOpenAIError(missing.json, "invalid_api_key");
    const wrong = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-wrong" },
      body,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe("Bearer");
    expect((await post("", {}, "/v1/models", "GET")).status).toBe(401);
  });

  test("an unknown model is classified like auto by default", async () => {
    const { response } = await h.client.chat.completions
      .create({ model: "gpt-nonexistent", messages: [{ role: "user", content: "x" }] })
      .withResponse();
    expect(response.headers.get("x-gateway-tier")).toBe("t1");
  });
});

test("after all that, the gateway still serves (x-api-key works too)", async () => {
  const data = await h.client.chat.completions.create({ model: "t1", messages: [{ role: "user", content: "x" }] });
  expect(data.choices[0].message.content).toBe("w1 w2 w3 w4 w5 w6 w7 w8");
  const response = await fetch(`${h.url}/v1/models`, { headers: { "x-api-key": KEY } });
  expect(response.status).toBe(200);
  const list = (await response.json()) as { data: { id: string }[] };
  expect(list.data.map((m) => m.id)).toEqual(["auto", "t1", "a/good", "good"]);
});
