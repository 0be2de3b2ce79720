/**
 * The admin contract (src/http/admin/contract/routes.ts) and the server cannot drift: every route the
 * Elysia apps serve is in the contract and every contract route is served, the public ones being
 * exactly the public app's. A body or query that its schema refuses is the gateway's 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type AdminApiParts, adminApps } from "../../src/http/admin/admin-api.ts";
import { adminRoutes } from "../../src/http/admin/contract/routes.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

describe("the contract lists the served routes", () => {
  // Building the apps only registers routes: none of these parts is called.
  const { publicApp, privateApp } = adminApps({ gateway: {}, auth: {}, security: {} } as unknown as AdminApiParts);
  const served = (app: { routes: { method: string; path: string }[] }) =>
    app.routes.map((route) => `${route.method} ${route.path}`);

  test("every served route is in the contract, and every contract route is served", () => {
    const all = [...served(publicApp), ...served(privateApp)];
    expect(new Set(all).size).toBe(all.length);
    expect(all.toSorted()).toEqual(Object.keys(adminRoutes).toSorted());
  });

  test("the public app serves the four public routes", () => {
    expect(served(publicApp).toSorted()).toEqual([
      "GET /api/auth/state",
      "POST /api/auth/invite/accept",
      "POST /api/auth/login",
      "POST /api/auth/setup",
    ]);
  });
});

describe("a refused body or query is the gateway's 400 naming the field", () => {
  let h: Harness;
  let admin: AdminClient;
  const ADMIN_PASSWORD = "correct staple horse battery";

  beforeAll(async () => {
    h = await startHarness({ adminPassword: ADMIN_PASSWORD, config: () => `  tiers: { t1: { models: ["a/good"] } },` });
    admin = new AdminClient(h.url);
    await admin.login("admin", ADMIN_PASSWORD);
  });
  afterAll(() => h.stop());

  const cases: [string, string, unknown, string, RegExp][] = [
    ["POST", "/api/keys", { name: 5 }, "name", /name is required/],
    ["POST", "/api/keys", { name: "k", limits: { tiers: [""] } }, "limits.tiers", /list of names/],
    ["POST", "/api/keys", { name: "k", limits: { requestsPerMinute: 0 } }, "limits.requestsPerMinute", /above 0/],
    ["PUT", "/api/settings", { sessionTtlMs: 5 }, "sessionTtlMs", /5 minutes to 30 days/],
    // A JSON string, not an object: read as {}, so the required field is named.
    ["POST", "/api/models/test", "not an object", "model", /required/],
    ["POST", "/api/config/rollback", { id: "1" }, "id", /version of the history/],
    ["POST", "/api/config/validate", { edits: [{ op: "zap", path: "x" }] }, "edits", /each edit is/],
    ["GET", "/api/logs?limit=abc", undefined, "limit", /whole number from 1 to 500/],
    ["GET", "/api/logs?limit=1.5", undefined, "limit", /whole number/],
    ["GET", "/api/logs?status=teapot", undefined, "status", /status must be/],
    ["GET", "/api/logs?from=yesterday", undefined, "from", /ISO-8601/],
    ["GET", "/api/logs/export?format=xml", undefined, "format", /csv/],
    ["GET", "/api/stats?bucketMs=10", undefined, "bucketMs", /60000/],
  ];
  for (const [method, path, body, param, message] of cases)
    test(`${method} ${path} ${JSON.stringify(body) ?? ""}`, async () => {
      const answer = await admin.call(method, path, body);
      expect(answer.status).toBe(400);
      expect(answer.json.error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param });
      expect(String((answer.json.error as { message: string }).message)).toMatch(message);
    });

  test("values the schemas take pass: numbers from the query, empty values as absent", async () => {
    expect((await admin.call("GET", "/api/logs?limit=5&status=404&from=0&tier=")).status).toBe(200);
    expect((await admin.call("GET", "/api/logs?status=ok&from=2024-01-01T00:00:00Z")).status).toBe(200);
  });
});
