/**
 * Requests the gateway refuses before routing are in the request log: a bad or missing key (401), a
 * key's rate limit (429), its tiers (403) and budget (429), bad input (400), a body too large (413), the
 * per-address admission cap (429), Redis down for shared limits (503), on every front door and on
 * embeddings. Each row has its status, the code the client got and the reason; the body only once the key
 * was accepted. They are found by status, code and reason, counted in the stats (not in the rollups), and
 * a flood of unknown keys from one address is bounded, its overflow counted in /metrics.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { request as httpRequest } from "node:http";
import { countLogs, getLog, listLogs } from "../../src/store/queries/logs.ts";
import { chat as clusterChat, startCluster } from "../helpers/cluster.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { closedPort, uniquePrefix } from "../helpers/redis.ts";
import { logSettled } from "../helpers/request-log.ts";

let h: Harness;
let cookie = "";
const ADMIN_PASSWORD = "correct staple horse battery";
const CONFIG_KEY = "cfg-key-for-refusals";
const store = () => h.running.gateway.store!;

beforeAll(async () => {
  h = await startHarness({
    adminPassword: ADMIN_PASSWORD,
    config: () => `  auth: { apiKeys: ["${CONFIG_KEY}"] },
  tiers: {
    t1: { models: ["a/good"] },
    t2: { models: ["b/second"] },
    slow: { models: ["a/slow?latencyMs=400"] },
    embed: { kind: "embeddings", models: ["a/embed"] },
  },
  pricing: { "a/good": { input: 1000, output: 1000 } },
  limits: { maxBodyBytes: 4096, maxRequestsPerClient: 1 },`,
  });
  const login = await fetch(`${h.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-smartroute-request": "1" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  cookie = login.headers.get("set-cookie")!.split(";")[0];
});
afterAll(() => h.stop());

interface Sent {
  status: number;
  id: string | undefined;
  json: { error?: { code?: string; message?: string } };
}

/**
 * A POST to the gateway from a chosen loopback address (any 127.0.0.x works on Linux), as the socket
 * tells it: the log's per-address limit is keyed by it.
 */
function post(path: string, body: string, key?: string, from = "127.0.0.1"): Promise<Sent> {
  const url = new URL(path, h.url);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "anthropic-version": "2023-06-01",
  };
  if (key) headers.authorization = `Bearer ${key}`;
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      { host: url.hostname, port: url.port, path, method: "POST", headers, localAddress: from, agent: false },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          const id = response.headers["x-request-id"];
          resolve({
            status: response.statusCode ?? 0,
            id: typeof id === "string" ? id : undefined,
            json: JSON.parse(text),
          });
        });
      },
    );
    sent.on("error", reject);
    sent.end(body);
  });
}

const chatBody = (model = "t1", extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, messages: [{ role: "user", content: "refuse me, politely" }], ...extra });

/** The logged row of a refused request, once written. */
async function row(sent: Sent) {
  expect(sent.id).toMatch(/^req_/);
  await logSettled(h);
  const detail = getLog(store(), sent.id!);
  expect(detail).toBeDefined();
  return detail!;
}

async function admin(path: string) {
  const response = await fetch(`${h.url}${path}`, { headers: { cookie, "x-smartroute-request": "1" } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("each refusal is logged with its status, code and reason", () => {
  test("an unknown key: 401, cheaply (no body read or kept, no model)", async () => {
    const sent = await post("/v1/chat/completions", chatBody(), "sk-not-a-key");
    expect(sent.status).toBe(401);
    expect(await row(sent)).toMatchObject({
      status: 401,
      errorClass: "invalid_api_key",
      errorMessage: "Invalid API key.",
      refused: true,
      requestedModel: "",
      tier: "",
      model: null,
      attempts: 0,
      attemptTrace: [],
      apiKeyId: null,
      clientIp: "127.0.0.1",
      door: "chat",
      requestBody: null,
      responseBody: null,
    });
  });

  test("a missing key on each front door and on embeddings: 401 under that door", async () => {
    for (const [path, door] of [
      ["/v1/messages", "messages"],
      ["/v1/responses", "responses"],
      ["/v1/embeddings", "embeddings"],
    ]) {
      const sent = await post(path, "{}");
      expect(sent.status).toBe(401);
      expect(await row(sent)).toMatchObject({ status: 401, errorClass: "invalid_api_key", door, refused: true });
    }
  });

  test("a key's requests per minute: 429, the row is the key's, no body", async () => {
    const { key, record } = await h.running.gateway.keys.create(
      { name: "rpm", limits: { requestsPerMinute: 1 } },
      Date.now(),
    );
    expect((await post("/v1/chat/completions", chatBody(), key)).status).toBe(200);
    const sent = await post("/v1/chat/completions", chatBody(), key);
    expect(sent.status).toBe(429);
    const logged = await row(sent);
    expect(logged).toMatchObject({ status: 429, errorClass: "rate_limited", apiKeyId: record.id, requestBody: null });
    expect(logged.errorMessage).toContain("1 requests per minute");
    // The key's rows: the one it was served and the one it was refused.
    await logSettled(h);
    expect(listLogs(store(), { apiKeyId: record.id }).items.map((r) => r.status)).toEqual([429, 200]);
  });

  test("a key's tiers: 403 once routing chose t1; the body and the prompt are kept", async () => {
    const { key, record } = await h.running.gateway.keys.create(
      { name: "t2 only", limits: { tiers: ["t2"] } },
      Date.now(),
    );
    const sent = await post("/v1/chat/completions", chatBody("t1"), key);
    expect(sent.status).toBe(403);
    const logged = await row(sent);
    expect(logged).toMatchObject({
      status: 403,
      errorClass: "forbidden",
      refused: true,
      apiKeyId: record.id,
      requestedModel: "t1",
      tier: "t1",
      promptPreview: "refuse me, politely",
    });
    expect(logged.errorMessage).toContain("may not use tier t1");
    expect((logged.requestBody as { model: string }).model).toBe("t1");
  });

  test("a key's budget: 429 budget_exceeded, with its reason", async () => {
    const { key } = await h.running.gateway.keys.create({ name: "broke", limits: { budgetUsd: 0.01 } }, Date.now());
    const sent = await post("/v1/chat/completions", chatBody("t1", { max_tokens: 100_000 }), key);
    expect(sent.status).toBe(429);
    expect(sent.json.error?.code).toBe("budget_exceeded");
    const logged = await row(sent);
    expect(logged).toMatchObject({ status: 429, errorClass: "budget_exceeded", refused: true });
    expect(logged.errorMessage).toContain("budget of $0.01");
  });

  test("bad input: 400, the body as it came (not JSON, kept as text)", async () => {
    const sent = await post("/v1/chat/completions", '{"model": "t1", "messages": [', CONFIG_KEY);
    expect(sent.status).toBe(400);
    const logged = await row(sent);
    expect(logged).toMatchObject({
      status: 400,
      errorClass: "invalid_request",
      apiKeyId: expect.stringMatching(/^cfg_/),
    });
    expect(logged.requestBody).toBe('{"model": "t1", "messages": [');
  });

  test("a door's bad input: 400 under the door, its own body kept", async () => {
    const sent = await post("/v1/messages", JSON.stringify({ messages: [] }), CONFIG_KEY);
    expect(sent.status).toBe(400);
    const logged = await row(sent);
    expect(logged).toMatchObject({ status: 400, door: "messages", refused: true });
    expect(logged.requestBody).toEqual({ messages: [] });
  });

  test("an embeddings request without a model: 400 under embeddings", async () => {
    const sent = await post("/v1/embeddings", JSON.stringify({ input: "x" }), CONFIG_KEY);
    expect(sent.status).toBe(400);
    expect(await row(sent)).toMatchObject({ status: 400, door: "embeddings", errorClass: "invalid_request" });
  });

  test("a body over limits.maxBodyBytes: 413 at the edge, no body kept", async () => {
    const sent = await post("/v1/responses", JSON.stringify({ input: "x".repeat(5000) }), CONFIG_KEY);
    expect(sent.status).toBe(413);
    expect(await row(sent)).toMatchObject({
      status: 413,
      errorClass: "payload_too_large",
      door: "responses",
      requestBody: null,
      refused: true,
    });
  });

  test("the per-address admission cap: 429 while the address has a request open", async () => {
    const slow = post("/v1/chat/completions", chatBody("slow"), CONFIG_KEY, "127.0.0.9");
    await Bun.sleep(100);
    const sent = await post("/v1/chat/completions", chatBody(), CONFIG_KEY, "127.0.0.9");
    expect(sent.status).toBe(429);
    expect((await slow).status).toBe(200);
    const logged = await row(sent);
    expect(logged).toMatchObject({ status: 429, errorClass: "rate_limited", clientIp: "127.0.0.9" });
    expect(logged.errorMessage).toContain("limits.maxRequestsPerClient");
  });
});

describe("refused requests are found, counted, and bounded", () => {
  test("by status, by code, by reason, and as refused", async () => {
    await logSettled(h);
    const tooMany = listLogs(store(), { status: 429 }, { limit: 500 }).items;
    expect(tooMany.length).toBeGreaterThanOrEqual(3);
    expect(tooMany.every((r) => r.status === 429 && r.refused)).toBe(true);
    expect(listLogs(store(), { errorCode: "budget_exceeded" }).items.map((r) => r.errorClass)).toEqual([
      "budget_exceeded",
    ]);
    const byReason = listLogs(store(), { q: "may not use tier" }).items;
    expect(byReason.map((r) => r.status)).toEqual([403]);
    expect(byReason[0].errorMessage).toContain("may not use tier t1");
    const refused = countLogs(store(), { refused: true }).total;
    const all = countLogs(store(), {}).total;
    expect(refused).toBeGreaterThanOrEqual(11);
    expect(countLogs(store(), { refused: false }).total).toBe(all - refused);
  });

  test("the admin API: the logs filter by refused and code, the stats count them by code", async () => {
    const list = await admin("/api/logs?refused=true&code=invalid_api_key");
    expect((list.json.items as { errorClass: string }[]).every((r) => r.errorClass === "invalid_api_key")).toBe(true);
    expect((list.json.items as unknown[]).length).toBe(4);
    const stats = await admin(`/api/stats?from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`);
    const refused = stats.json.refused as {
      requests: number;
      byCode: { code: string; status: number; requests: number }[];
    };
    expect(refused.byCode).toContainEqual({ code: "invalid_api_key", status: 401, requests: 4 });
    expect(refused.byCode).toContainEqual({ code: "budget_exceeded", status: 429, requests: 1 });
    expect(refused.requests).toBe(refused.byCode.reduce((n, c) => n + c.requests, 0));
    // The rollups hold the routed requests only: no tier "" appears, and their total is the routed rows.
    const totals = stats.json.totals as { requests: number };
    expect(totals.requests).toBe(countLogs(store(), { refused: false }).total);
    expect((stats.json.byTier as { tier: string }[]).map((t) => t.tier)).not.toContain("");
  });

  test("a flood of unknown keys from one address is logged up to its share; the rest is counted", async () => {
    const metric = async (limit: string) => {
      const text = await (await fetch(`${h.url}/metrics`)).text();
      return Number(new RegExp(`smartroute_refused_not_logged_total\\{limit="${limit}"\\} (\\d+)`).exec(text)?.[1]);
    };
    const before = await metric("address");
    const FLOOD = 120;
    const sent: Sent[] = [];
    for (let i = 0; i < FLOOD; i++) sent.push(await post("/v1/chat/completions", "{}", `sk-guess-${i}`, "127.0.0.66"));
    expect(sent.every((s) => s.status === 401)).toBe(true);
    await logSettled(h);
    const logged = countLogs(store(), { errorCode: "invalid_api_key", q: undefined }).total;
    const fromFlood = listLogs(store(), { errorCode: "invalid_api_key" }, { limit: 500 }).items.filter(
      (r) => getLog(store(), r.id)?.clientIp === "127.0.0.66",
    ).length;
    // A burst of 30, then one every 2 s: the flood takes well under a second (a slow machine: a few more).
    expect(fromFlood).toBeGreaterThanOrEqual(30);
    expect(fromFlood).toBeLessThanOrEqual(33);
    expect(logged).toBeGreaterThanOrEqual(fromFlood);
    // Only the logged ones name a row.
    expect(sent.filter((s) => s.id !== undefined).length).toBe(fromFlood);
    expect((await metric("address")) - before).toBe(FLOOD - fromFlood);
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/smartroute_refused_total\{status="401",code="invalid_api_key"\} \d+/);
    // Another address still has its own share.
    const other = await post("/v1/chat/completions", "{}", "sk-guess-elsewhere", "127.0.0.67");
    expect((await row(other)).clientIp).toBe("127.0.0.67");
  });
});

test("Redis down for a key's shared limits (closed): 503 limits_unavailable, logged as the key's", async () => {
  const cluster = await startCluster(1, { redisUrl: `redis://127.0.0.1:${closedPort()}`, prefix: uniquePrefix() });
  try {
    const [node] = cluster.nodes;
    const { key, id } = await cluster.createKey({ requestsPerMinute: 10 });
    expect(await clusterChat(node.url, key)).toEqual({ status: 503, code: "limits_unavailable" });
    for (let i = 0; i < 200 && node.gateway.writer!.stats.queued > 0; i++) await Bun.sleep(5);
    const [logged] = listLogs(node.gateway.store!, { refused: true }).items;
    expect(logged).toMatchObject({ status: 503, errorClass: "limits_unavailable", apiKeyId: id });
  } finally {
    await cluster.stop();
  }
});
