/**
 * POST /api/playground/send over real HTTP, as a signed-in admin, in front of the mock upstream: the
 * prompt runs through the same pipeline as /v1 (a gateway key is required there, none here), and the
 * answer comes back with its tier, model, attempts, latency and cost; the request is in the log.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mockReply } from "../../bench/mock-upstream.ts";
import { getLog, listLogs } from "../../src/store/queries/logs.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
let admin: AdminClient;
const ADMIN_PASSWORD = "correct staple horse battery";
const KEY = "sk-playground-test";

beforeAll(async () => {
  h = await startHarness({
    adminPassword: ADMIN_PASSWORD,
    apiKey: KEY,
    config: () => `
  auth: { apiKeys: ["${KEY}"] },
  tiers: {
    t1: { models: ["a/good?tokens=4"] },
    flaky: { models: ["a/bad?fault=status&status=503", "b/fb?tokens=3"] },
    dead: { models: ["a/dead?fault=status&status=500"] },
    cut: { models: ["a/cut?fault=cut&afterChunks=2"] },
  },
  retry: { perTarget: 1 },
  pricing: { "a/good?tokens=4": { input: 2, output: 4 } },`,
  });
  admin = new AdminClient(h.url);
  await admin.login("admin", ADMIN_PASSWORD);
});
afterAll(() => h.stop());

const send = (body: unknown) => admin.call("POST", "/api/playground/send", body);
const ask = (model: string, extra: Record<string, unknown> = {}) =>
  send({ model, messages: [{ role: "user", content: "hello playground" }], ...extra });

describe("POST /api/playground/send", () => {
  test("answers with the text, tier, model, attempts, latency and cost, and the request is in the log", async () => {
    const sent = await ask("t1");
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({
      status: 200,
      answer: mockReply(4),
      error: null,
      tier: "t1",
      model: "a/good?tokens=4",
      stream: false,
      logged: true,
    });
    const attempts = sent.json.attempts as { target: string; outcome: string; status: number }[];
    expect(attempts).toEqual([
      expect.objectContaining({ target: "a/good?tokens=4", outcome: "accepted", status: 200 }),
    ]);
    expect(sent.json.latencyMs).toBeGreaterThan(0);
    expect(sent.json.costUsd).toBeGreaterThan(0);

    const row = getLog(h.running.gateway.store!, sent.json.requestId as string)!;
    expect(row).toMatchObject({ apiKeyId: "playground", tier: "t1", status: 200, costUsd: sent.json.costUsd });
    const listed = listLogs(h.running.gateway.store!, { apiKeyId: "playground" }, { limit: 50 });
    expect(listed.items.map((i) => i.id)).toContain(sent.json.requestId as string);
  });

  test("a failover shows every attempt with its outcome", async () => {
    const sent = await ask("flaky");
    expect(sent.json).toMatchObject({ status: 200, answer: mockReply(3), tier: "flaky", model: "b/fb?tokens=3" });
    const attempts = sent.json.attempts as { target: string; outcome: string; status: number }[];
    expect(attempts.map((a) => [a.target, a.outcome, a.status])).toEqual([
      ["a/bad?fault=status&status=503", "failover", 503],
      ["b/fb?tokens=3", "accepted", 200],
    ]);
  });

  test("a streamed request is answered whole, its deltas joined, and logged as a stream", async () => {
    const sent = await ask("t1", { stream: true });
    expect(sent.json).toMatchObject({ status: 200, answer: mockReply(4), stream: true, logged: true });
    expect(getLog(h.running.gateway.store!, sent.json.requestId as string)?.stream).toBe(true);
  });

  test("a request every model fails is a 200 of the route with the failure's status, error and attempts", async () => {
    const sent = await ask("dead");
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({ answer: null, tier: "dead", model: null, logged: true });
    expect(sent.json.status).toBeGreaterThanOrEqual(500);
    expect((sent.json.error as { message: string }).message).not.toBe("");
    const attempts = sent.json.attempts as { target: string; status: number }[];
    expect(attempts.map((a) => [a.target, a.status])).toEqual([["a/dead?fault=status&status=500", 500]]);
  });

  test("a stream cut after its first bytes is reported as the failure the log recorded, not as an answer", async () => {
    const sent = await ask("cut", { stream: true });
    expect(sent.json).toMatchObject({
      answer: null,
      stream: true,
      logged: true,
      model: "a/cut?fault=cut&afterChunks=2",
    });
    expect(sent.json.status).toBeGreaterThanOrEqual(500);
    expect((sent.json.error as { code: string }).code).toMatch(/^(stream_cut|upstream_error)$/);
    expect((sent.json.attempts as { outcome: string }[]).map((a) => a.outcome)).toEqual(["cut"]);
  });

  test("bad input is a clear 400 naming the field, and nothing is logged", async () => {
    const before = listLogs(h.running.gateway.store!, { apiKeyId: "playground" }, { limit: 500 }).items.length;
    const noMessages = await send({ model: "t1" });
    expect(noMessages.status).toBe(400);
    expect(noMessages.json.error).toMatchObject({ code: "invalid_request", param: "messages" });
    const badStream = await ask("t1", { stream: "yes" });
    expect(badStream.status).toBe(400);
    expect(badStream.json.error).toMatchObject({ param: "stream" });
    await h.running.gateway.writer!.flush();
    expect(listLogs(h.running.gateway.store!, { apiKeyId: "playground" }, { limit: 500 }).items.length).toBe(before);
  });

  test("needs a signed-in session, and the page's CSRF header", async () => {
    const stranger = new AdminClient(h.url);
    const anonymous = await stranger.call("POST", "/api/playground/send", {
      model: "t1",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(anonymous.status).toBe(401);
    const forged = await admin.call(
      "POST",
      "/api/playground/send",
      { model: "t1", messages: [{ role: "user", content: "hi" }] },
      { csrf: false },
    );
    expect(forged.status).toBe(403);
    // /v1 itself still wants the gateway key: the playground is the session's door, not an open one.
    const v1 = await fetch(`${h.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "t1", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(v1.status).toBe(401);
  });
});
