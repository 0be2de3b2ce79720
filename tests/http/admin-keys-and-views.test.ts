/**
 * Through HTTP as a signed-in admin (account made from GATEWAY_ADMIN_PASSWORD): the API key lifecycle
 * with limits, and the views on traffic (logs, export, tail, stats, health, explain, model test).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
let cookie = "";
const ADMIN_PASSWORD = "correct staple horse battery";

async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Headers }> {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: { "content-type": "application/json", "x-smartroute-request": "1", cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    // CSV, SSE
  }
  return { status: response.status, json, text, headers: response.headers };
}

const chat = (key: string | undefined, model = "t1") =>
  fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hello views" }] }),
  });

beforeAll(async () => {
  h = await startHarness({
    adminPassword: ADMIN_PASSWORD,
    config: () => `  tiers: { t1: { models: ["a/good", "b/other"] }, t2: { models: ["b/second"] } },`,
  });
  expect(h.running.setupToken).toBeUndefined(); // the password made the account: no setup link
  const login = await fetch(`${h.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-smartroute-request": "1" },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  cookie = login.headers.get("set-cookie")!.split(";")[0];
});
afterAll(() => h.stop());

describe("API keys", () => {
  let key = "";
  let id = "";

  test("with no key anywhere /v1 is open; once one exists it needs a key", async () => {
    expect((await chat(undefined)).status).toBe(200);
    const created = await api("POST", "/api/keys", { name: "ci pipeline" });
    expect(created.status).toBe(201);
    key = created.json.key as string;
    id = (created.json.record as { id: string }).id;
    expect(key).toMatch(/^sr-/);
    expect((created.json.record as { prefix: string }).prefix).toBe(key.slice(0, 10));
    expect((await chat(undefined)).status).toBe(401);
    expect((await chat("sr-not-a-real-key")).status).toBe(401);
    expect((await chat(key)).status).toBe(200);
  });

  test("the list shows the prefix, usage and limits, never the key or its hash", async () => {
    await chat(key);
    const listed = await api("GET", "/api/keys");
    const record = (listed.json.keys as Record<string, unknown>[]).find((k) => k.id === id)!;
    expect(record).toMatchObject({ name: "ci pipeline", requestCount: 2 });
    expect(typeof record.lastUsedAt).toBe("number");
    expect(listed.text).not.toContain(key);
    expect("hash" in record).toBe(false);
  });

  test("requests are logged with the key's id", async () => {
    await Bun.sleep(60);
    const logs = await api("GET", `/api/logs?key=${id}`);
    expect((logs.json.items as unknown[]).length).toBe(2);
  });

  test("limits: allowed tiers and models, requests per minute", async () => {
    const limited = await api("POST", "/api/keys", {
      name: "limited",
      limits: { tiers: ["t1"], models: ["b/other"], requestsPerMinute: 2 },
    });
    const limitedKey = limited.json.key as string;
    const first = await chat(limitedKey);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-gateway-model")).toBe("b/other"); // a/good is not allowed for this key
    expect((await chat(limitedKey, "t2")).status).toBe(403);
    const third = await chat(limitedKey);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await api("POST", "/api/keys", { name: "bad", limits: { tiers: ["t9"] } })).status).toBe(400);
  });

  test("GET /v1/models needs a valid key but never spends its requests per minute", async () => {
    const made = await api("POST", "/api/keys", { name: "lister", limits: { requestsPerMinute: 1 } });
    const listerKey = made.json.key as string;
    const models = (key: string) => fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 3; i++) expect((await models(listerKey)).status).toBe(200);
    expect((await models("sr-not-a-real-key")).status).toBe(401);
    expect((await chat(listerKey)).status).toBe(200); // the minute's one request is still there
    expect((await chat(listerKey)).status).toBe(429);
    const listed = (await api("GET", "/api/keys")).json.keys as { id: string; name: string; requestCount: number }[];
    // The key's count is its chat requests, the refused one too: as many as its rows in the log.
    const lister = listed.find((k) => k.name === "lister");
    expect(lister?.requestCount).toBe(2);
    await Bun.sleep(60);
    expect(((await api("GET", `/api/logs?key=${lister?.id}`)).json.items as unknown[]).length).toBe(2);
  });

  test("an auto request of a key limited to some tiers goes to the best tier it allows; a pinned tier stays refused", async () => {
    const made = await api("POST", "/api/keys", { name: "t2 only", limits: { tiers: ["t2"] } });
    const upKey = made.json.key as string;
    const upId = (made.json.record as { id: string }).id;
    const auto = await chat(upKey, "auto"); // no classifier here: the default tier t1, outside the key
    expect(auto.status).toBe(200);
    expect(auto.headers.get("x-gateway-tier")).toBe("t2");
    expect((await chat(upKey, "t1")).status).toBe(403);
    await Bun.sleep(60);
    const logs = await api("GET", `/api/logs?key=${upId}&status=200`);
    const [row] = logs.json.items as { id: string }[];
    const detail = await api("GET", `/api/logs/${row.id}`);
    expect(String(detail.json.tierReason)).toContain("this API key may use t2: best allowed tier t2");
  });

  test("budget and in-flight cap: set through PUT /api/keys/:id/limits, listed with spend and headroom", async () => {
    const made = await api("POST", "/api/keys", { name: "budgeted", limits: { tiers: ["t1"], budgetUsd: 5 } });
    expect(made.status).toBe(201);
    const keyId = (made.json.record as { id: string }).id;
    const put = await api("PUT", `/api/keys/${keyId}/limits`, {
      limits: { tiers: ["t1"], budgetUsd: 0.5, budgetPeriod: "day", maxConcurrent: 2 },
    });
    expect(put.status).toBe(200);
    expect(put.json.limits).toEqual({ tiers: ["t1"], budgetUsd: 0.5, budgetPeriod: "day", maxConcurrent: 2 });
    expect((await chat(made.json.key as string)).status).toBe(200);
    const listed = ((await api("GET", "/api/keys")).json.keys as { id: string; spend: Record<string, number> }[]).find(
      (k) => k.id === keyId,
    );
    expect(listed?.spend).toMatchObject({ period: "day", limitMicros: 500_000, inFlight: 0, reservedMicros: 0 });
    expect(listed?.spend.headroomMicros).toBe(500_000 - listed!.spend.spentMicros);
    expect(listed?.spend.resetAt).toBeGreaterThan(Date.now());
    const bad = await api("PUT", `/api/keys/${keyId}/limits`, { limits: { budgetPeriod: "week" } });
    expect(bad.status).toBe(400);
    expect((await api("PUT", "/api/keys/key_nope/limits", { limits: {} })).status).toBe(404);
    const actions = ((await api("GET", "/api/audit")).json.entries as { action: string }[]).map((e) => e.action);
    expect(actions).toContain("key.limits");
  });

  test("an expired key is refused", async () => {
    const soon = await api("POST", "/api/keys", { name: "short-lived", expiresAt: Date.now() + 150 });
    expect((await chat(soon.json.key as string)).status).toBe(200);
    await Bun.sleep(200);
    expect((await chat(soon.json.key as string)).status).toBe(401);
  });

  test("a revoked key stops working at once, and the change is audited", async () => {
    expect((await api("DELETE", `/api/keys/${id}`)).status).toBe(200);
    expect((await chat(key)).status).toBe(401);
    expect((await api("DELETE", `/api/keys/${id}`)).status).toBe(404);
    const actions = ((await api("GET", "/api/audit")).json.entries as { action: string }[]).map((e) => e.action);
    expect(actions).toContain("key.create");
    expect(actions).toContain("key.revoke");
  });
});

describe("views on traffic", () => {
  test("log detail, filtered list and export", async () => {
    await Bun.sleep(60);
    const list = await api("GET", "/api/logs?status=ok&limit=2");
    const items = list.json.items as { id: string }[];
    expect(items.length).toBe(2);
    expect(typeof list.json.nextCursor).toBe("string");
    const next = await api("GET", `/api/logs?status=ok&limit=2&cursor=${list.json.nextCursor}`);
    expect((next.json.items as { id: string }[]).map((r) => r.id)).not.toContain(items[0].id);
    expect((await api("GET", "/api/logs?cursor=12")).status).toBe(400);
    const count = await api("GET", "/api/logs/count?status=ok");
    expect(count.json).toMatchObject({ capped: false });
    expect(count.json.total as number).toBeGreaterThanOrEqual(2);
    const detail = await api("GET", `/api/logs/${items[0].id}`);
    expect(detail.json).toMatchObject({ id: items[0].id, status: 200 });
    expect((await api("GET", "/api/logs/req_unknown")).status).toBe(404);
    expect((await api("GET", "/api/logs?from=yesterday")).status).toBe(400);
    const csv = await api("GET", "/api/logs/export?format=csv");
    expect(csv.headers.get("content-disposition")).toContain(".csv");
    expect(csv.text.split("\n")[0]).toStartWith("id,ts,");
  });

  test("stats for a range", async () => {
    const stats = await api("GET", `/api/stats?from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}`);
    expect((stats.json.totals as { requests: number }).requests).toBeGreaterThan(3);
    // These simulated models have no price: not priced, never $0 of savings claimed over them.
    expect(stats.json.totals).toMatchObject({ savings: { requests: 0, savedMicros: 0 } });
    expect((stats.json.totals as { unpriced: number }).unpriced).toBeGreaterThan(0);
    expect(stats.json.savingsBaseline).toBe("the most expensive model each request could reach");
    expect(stats.json.catalog).toMatchObject({ source: "@pydantic/genai-prices", snapshot: "2026-09-23" });
  });

  test("the live tail streams new requests", async () => {
    const response = await fetch(`${h.url}/api/logs/tail`, { headers: { cookie } });
    const reader = response.body!.getReader();
    await reader.read();
    const sent = await chat(undefined);
    expect(sent.status).toBe(401); // keys exist now: a refused request is logged, and tailed, too
    const keyed = await api("POST", "/api/keys", { name: "tail" });
    const answered = await chat(keyed.json.key as string);
    let seen = "";
    while (!seen.includes(answered.headers.get("x-request-id")!))
      seen += new TextDecoder().decode((await reader.read()).value);
    expect(seen).toContain(sent.headers.get("x-request-id")!);
    expect(seen).toContain('"refused":true');
    await reader.cancel();
  });

  test("health of every target, and a manual reset", async () => {
    const health = await api("GET", "/api/health");
    const targets = health.json.targets as { target: string; score: number; state: string; tiers: string[] }[];
    expect(targets.find((t) => t.target === "a/good")).toMatchObject({ score: 100, state: "closed", tiers: ["t1"] });
    expect((await api("POST", "/api/health/reset", { target: "a/good" })).status).toBe(200);
    expect((await api("POST", "/api/health/reset", { target: "zz/none" })).status).toBe(400);
  });

  test("explain and model test", async () => {
    const explained = await api("POST", "/api/explain", { model: "auto", messages: [{ role: "user", content: "hi" }] });
    expect(explained.json).toMatchObject({ tier: "t1", route: "auto" });
    expect((await api("POST", "/api/explain", { messages: "nope" })).status).toBe(400);
    const tested = await api("POST", "/api/models/test", { model: "a/good" });
    expect(tested.json).toMatchObject({ ok: true, model: "a/good" });
    const broken = await api("POST", "/api/models/test", { model: "a/down?fault=status&status=500" });
    expect(broken.json.ok).toBe(false);
    expect(String(broken.json.error)).toContain("500");
  });
});
