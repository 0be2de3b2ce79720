/**
 * `logging.maxBodyBytes` caps what one log row keeps of each body, in `full` mode too: a longer body is
 * cut (on a character boundary) and marked as cut. Real HTTP: openai client → gateway → mock → SQLite.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { CompletionSummary, ResolvedConfig } from "../../src/index.ts";
import { capBody, toRow } from "../../src/store/record.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { loggedRequest } from "../helpers/request-log.ts";

const CAP = 4096;
let h: Harness;
const bytes = (text: string) => new TextEncoder().encode(text).length;

beforeAll(async () => {
  h = await startHarness({
    config: () => `
  logging: { bodies: "full", maxBodyBytes: ${CAP} },
  tiers: { t1: { models: ["a/big?fault=hugeBody&bytes=200000"] } },`,
  });
});
afterAll(() => h.stop());

test("request and response bodies over the cap are cut to it and marked as cut", async () => {
  const prompt = "é".repeat(50_000); // 2 bytes each in UTF-8
  const { response } = await h.client.chat.completions
    .create({ model: "t1", messages: [{ role: "user", content: prompt }] })
    .withResponse();
  const row = await loggedRequest(h, response.headers.get("x-request-id")!);
  for (const body of [row.requestBody, row.responseBody]) {
    expect(typeof body).toBe("string"); // no longer JSON once cut
    expect(bytes(body as string)).toBeLessThanOrEqual(CAP);
    expect(body as string).toContain("[cut by logging.maxBodyBytes");
  }
  expect(row.requestBody as string).toStartWith('{"model":"t1","messages":[{"role":"user","content":"ééé');
  expect(row.responseBody as string).toStartWith('{"id":"chatcmpl-mock-body"');
});

test("a body within the cap is kept whole", () => {
  expect(capBody("short", CAP)).toBe("short");
  expect(capBody("汉".repeat(1365), CAP)).toBe("汉".repeat(1365)); // 4095 bytes
  const mixed = "a".repeat(2000) + "汉".repeat(696); // 4088 bytes, though 3 bytes a unit would not fit
  expect(capBody(mixed, CAP)).toBe(mixed);
});

test("a cut never splits a character", () => {
  const cut = capBody("汉".repeat(10_000), CAP);
  expect(bytes(cut)).toBeLessThanOrEqual(CAP);
  expect(cut).not.toContain("\uFFFD");
  expect(cut.split("…")[0]).toMatch(/^汉+$/);
});

test("a rejected attempt's body in the trace follows logging.bodies and the cap", () => {
  const attempt = {
    target: "a/x",
    startedAt: 0,
    durationMs: 1,
    outcome: "failover" as const,
    status: 200,
    reason: 'answer contains "overloaded"',
    body: "o".repeat(3000),
  };
  const summary = {
    request: {
      id: "r1",
      requestedModel: "auto",
      text: "hi",
      body: { model: "auto", messages: [{ role: "user", content: "hi" }] },
    },
    client: {},
    tier: "t1",
    tierReason: "test",
    status: 502,
    attempts: [attempt],
    stream: false,
    startedAt: 0,
    finishedAt: 1,
    overheadMs: 0,
  } as unknown as CompletionSummary;
  const trace = (bodies: "full" | "truncated" | "none", maxBodyBytes = CAP) =>
    JSON.parse(
      toRow(summary, { pricing: {}, logging: { bodies, maxBodyBytes } } as unknown as ResolvedConfig)
        .attemptTrace as string,
    )[0];
  expect(trace("full").body).toBe("o".repeat(3000));
  expect(trace("full", 1024).body).toContain("[cut by logging.maxBodyBytes");
  expect(trace("truncated").body).toBe(`${"o".repeat(2000)}…`);
  expect(trace("none")).not.toHaveProperty("body");
  expect(trace("none").reason).toBe(attempt.reason);
});
