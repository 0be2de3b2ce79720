/**
 * Through HTTP on a real gateway: a second admin invited with a one-time link, the read-only role
 * refused on every state-changing admin route (enumerated from the router, so a new route is covered
 * without editing this file) and answered on reads, key rotation and rename, a key's use over time,
 * the audit trail's filters and export, and what a failed login says at each step.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LoginThrottle } from "../../src/auth/throttle.ts";
import { currentCode } from "../../src/auth/totp.ts";
import { type AdminApiParts, adminApps } from "../../src/http/admin/admin-api.ts";
import { OWN_ACCOUNT_CHANGES, READS_BY_POST } from "../../src/http/admin/role-guard.ts";
import { AdminClient, chatStatus } from "../helpers/admin-client.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { logSettled } from "../helpers/request-log.ts";

const ADMIN_PASSWORD = "correct staple horse battery";
const VIEWER_PASSWORD = "quiet harbour seventeen lamps";

let h: Harness;
let admin: AdminClient;
let viewer: AdminClient;
let viewerTotp = "";

beforeAll(async () => {
  h = await startHarness({
    adminPassword: ADMIN_PASSWORD,
    config: () => `  tiers: { t1: { models: ["a/good"] } },`,
    // Wrong passwords and codes on purpose: no delay between them (throttling has its own tests).
    adminLimiter: new LoginThrottle({
      pair: { maxFailures: 50, lockoutMs: 60_000 },
      freeFailures: 100,
      baseDelayMs: 0,
    }),
  });
  admin = new AdminClient(h.url);
  await admin.login("admin", ADMIN_PASSWORD);
  viewer = new AdminClient(h.url);
});
afterAll(() => h.stop());

/** The routes the guard lets through, as served ("METHOD /api/path/:param"). */
function servedRoutes(): string[] {
  const { privateApp } = adminApps({ gateway: {}, auth: {}, security: {} } as unknown as AdminApiParts);
  return privateApp.routes.map((route) => `${route.method} ${route.path}`);
}

describe("a second admin, invited with the read-only role", () => {
  let token = "";

  test("an admin invites: the link's token is in the answer once, listed invites never show it", async () => {
    const created = await admin.call("POST", "/api/admins/invites", { role: "viewer" });
    expect(created.status).toBe(201);
    token = created.json.token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const listed = await admin.call("GET", "/api/admins");
    expect(listed.text).not.toContain(token);
    expect((listed.json.invites as { role: string }[]).map((i) => i.role)).toEqual(["viewer"]);
    expect((await admin.call("POST", "/api/admins/invites", { role: "owner" })).status).toBe(400);
  });

  test("the invitee sets username and a strong password (a weak one is refused), then must enrol TOTP", async () => {
    const weak = await viewer.call("POST", "/api/auth/invite/accept", {
      token,
      username: "reader",
      password: "0123456789",
    });
    expect(weak.status).toBe(400);
    expect(weak.json.error).toMatchObject({ param: "password" });
    const accepted = await viewer.call("POST", "/api/auth/invite/accept", {
      token,
      username: "reader",
      password: VIEWER_PASSWORD,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.json.user).toMatchObject({ username: "reader", role: "viewer", mustEnrol: true });
    expect((await viewer.call("GET", "/api/keys")).status).toBe(403); // enrol first
    const enrol = await viewer.call("POST", "/api/auth/totp/enrol");
    viewerTotp = enrol.json.secret as string;
    expect(
      (await viewer.call("POST", "/api/auth/totp/confirm", { code: await currentCode(viewerTotp, Date.now()) })).status,
    ).toBe(200);
    expect((await viewer.call("GET", "/api/auth/me")).json).toMatchObject({ role: "viewer", mustEnrol: false });
  });

  test("the link works once", async () => {
    const again = await new AdminClient(h.url).call("POST", "/api/auth/invite/accept", {
      token,
      username: "another",
      password: VIEWER_PASSWORD,
    });
    expect(again.status).toBe(403);
    expect(String((again.json.error as { message: string }).message)).toMatch(/invalid, used or expired/);
  });

  test("the read-only role gets 403 on every state-changing route but its own account's", async () => {
    const own = new Set<string>([...OWN_ACCOUNT_CHANGES, ...READS_BY_POST]);
    const changes = servedRoutes().filter((route) => !route.startsWith("GET ") && !own.has(route));
    // The router is the source: a sanity floor so an empty list cannot pass.
    expect(changes.length).toBeGreaterThan(15);
    expect(changes).toContain("POST /api/config/apply");
    expect(changes).toContain("POST /api/admins/invites");
    for (const route of changes) {
      const [method, pattern] = route.split(" ");
      const path = pattern.replace(/:[a-zA-Z]+/g, "x1");
      const answer = await viewer.call(method, path, {});
      expect({ route, status: answer.status }).toEqual({ route, status: 403 });
      expect(answer.json.error).toMatchObject({ code: "forbidden", param: "role" });
    }
    // and nothing changed: no key was made, no invite
    expect((await admin.call("GET", "/api/keys")).json.keys).toEqual([]);
  });

  test("the read-only role reads every page's data", async () => {
    const reads = servedRoutes().filter(
      // The tail is an endless stream; routes with a parameter need a real id.
      (route) => route.startsWith("GET ") && !route.includes(":") && route !== "GET /api/logs/tail",
    );
    expect(reads.length).toBeGreaterThan(8);
    for (const route of reads) {
      const answer = await viewer.call("GET", route.slice(4));
      expect({ route, status: answer.status }).toEqual({ route, status: 200 });
    }
  });

  test("the viewer may explain a request in the playground (a POST that changes nothing)", async () => {
    const explained = await viewer.call("POST", "/api/explain", {
      model: "auto",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(explained.status).toBe(200);
  });

  test("the viewer still manages its own account: its sessions, signing out", async () => {
    const sessions = await viewer.call("GET", "/api/auth/sessions");
    expect(sessions.status).toBe(200);
    expect((await viewer.call("POST", "/api/auth/logout")).status).toBe(200);
  });

  test("an admin removes the viewer; the last admin cannot remove themself", async () => {
    const { admins } = (await admin.call("GET", "/api/admins")).json as { admins: { id: number; username: string }[] };
    const reader = admins.find((a) => a.username === "reader")!;
    const me = admins.find((a) => a.username === "admin")!;
    const self = await admin.call("DELETE", `/api/admins/${me.id}?confirmSelf=true`);
    expect(self.status).toBe(409);
    expect(String((self.json.error as { message: string }).message)).toMatch(/last admin/);
    expect((await admin.call("DELETE", `/api/admins/${reader.id}`)).status).toBe(200);
    const login = await new AdminClient(h.url).call("POST", "/api/auth/login", {
      username: "reader",
      password: VIEWER_PASSWORD,
    });
    expect(login.status).toBe(401);
  });
});

describe("keys: rename, rotate, use over time", () => {
  test("rotating gives a new secret for the same id and history; the old secret is refused at once", async () => {
    const created = await admin.call("POST", "/api/keys", { name: "ci", limits: { requestsPerMinute: 100 } });
    const oldKey = created.json.key as string;
    const id = (created.json.record as { id: string }).id;
    expect(await chatStatus(h.url, oldKey)).toBe(200);

    const rotated = await admin.call("POST", `/api/keys/${id}/rotate`);
    expect(rotated.status).toBe(200);
    const newKey = rotated.json.key as string;
    expect(newKey).not.toBe(oldKey);
    expect(rotated.json.record).toMatchObject({ id, name: "ci", limits: { requestsPerMinute: 100 } });
    expect(await chatStatus(h.url, oldKey)).toBe(401);
    expect(await chatStatus(h.url, newKey)).toBe(200);

    const listed = (
      (await admin.call("GET", "/api/keys")).json.keys as { id: string; requestCount: number; prefix: string }[]
    ).find((k) => k.id === id)!;
    expect(listed.requestCount).toBe(2); // one request before, one after: one key's history
    expect(listed.prefix).toBe(newKey.slice(0, 10));
    expect((await admin.call("GET", "/api/keys")).text).not.toContain(newKey);

    await logSettled(h);
    const usage = await admin.call("GET", `/api/keys/${id}/usage?bucket=hour`);
    expect(usage.status).toBe(200);
    const points = usage.json.points as { ts: number; requests: number }[];
    expect(points.reduce((sum, p) => sum + p.requests, 0)).toBe(2);
    expect(points.every((p) => p.ts % 3_600_000 === 0)).toBe(true);
    expect((await admin.call("GET", `/api/keys/${id}/usage?bucket=week`)).status).toBe(400);

    const audit = await admin.call("GET", "/api/audit?action=key.rotate");
    expect(audit.text).not.toContain(newKey);
    expect((audit.json.entries as { detail: { id: string } }[])[0].detail.id).toBe(id);
  });

  test("renaming keeps the key; a revoked key cannot be rotated; unknown ids are 404", async () => {
    const created = await admin.call("POST", "/api/keys", { name: "old name" });
    const id = (created.json.record as { id: string }).id;
    const renamed = await admin.call("PUT", `/api/keys/${id}/name`, { name: "  new name " });
    expect(renamed.json).toMatchObject({ id, name: "new name" });
    expect(await chatStatus(h.url, created.json.key as string)).toBe(200);
    expect((await admin.call("PUT", `/api/keys/${id}/name`, { name: " " })).status).toBe(400);
    await admin.call("DELETE", `/api/keys/${id}`);
    expect((await admin.call("POST", `/api/keys/${id}/rotate`)).status).toBe(404);
    expect((await admin.call("GET", "/api/keys/key_nope/usage")).status).toBe(404);
  });
});

describe("the audit trail says who did what, filtered and exported", () => {
  test("filters by who, action (a prefix) and time", async () => {
    const keys = await admin.call("GET", "/api/audit?action=key.&actor=admin");
    const actions = (keys.json.entries as { action: string; actor: string }[]).map((e) => e.action);
    expect(actions.length).toBeGreaterThan(3);
    expect(actions.every((a) => a.startsWith("key."))).toBe(true);
    const byReader = (await admin.call("GET", "/api/audit?actor=reader")).json.entries as { action: string }[];
    expect(byReader.map((e) => e.action)).toContain("totp.enabled");
    expect((await admin.call("GET", `/api/audit?from=${Date.now() + 60_000}`)).json.entries).toEqual([]);
    expect((await admin.call("GET", "/api/audit?to=2000-01-01T00:00:00Z")).json.entries).toEqual([]);
    expect((await admin.call("GET", "/api/audit?from=yesterday")).status).toBe(400);
    // LIKE's wildcards are literal: "%" matches no action
    expect((await admin.call("GET", "/api/audit?action=%25")).json.entries).toEqual([]);
  });

  test("exports CSV and JSON Lines with the same filters", async () => {
    const csv = await admin.call("GET", "/api/audit/export?format=csv&action=admin.");
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.headers["content-disposition"]).toMatch(/attachment; filename="smartroute-audit-.*\.csv"/);
    const lines = csv.text.trim().split("\n");
    expect(lines[0]).toBe("id,time,actor,action,clientIp,detail");
    expect(lines.slice(1).map((l) => l.split(",")[3])).toEqual(["admin.remove", "admin.invite"]);
    const jsonl = await admin.call("GET", "/api/audit/export?format=jsonl&actor=reader");
    const entries = jsonl.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { actor: string });
    expect(entries.length).toBeGreaterThan(1);
    expect(entries.every((e) => e.actor === "reader")).toBe(true);
  });
});

describe("weak passwords are refused wherever one is set", () => {
  test("a password change to a guessable password is a 400 with zxcvbn's advice; the old one still works", async () => {
    for (const next of ["0123456789", "password123"]) {
      const answer = await admin.call("POST", "/api/auth/password", { current: ADMIN_PASSWORD, next });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toMatchObject({ code: "invalid_request", param: "next" });
      expect(String((answer.json.error as { message: string }).message)).toMatch(/too easy to guess/);
    }
    await new AdminClient(h.url).login("admin", ADMIN_PASSWORD);
  });
});

describe("what a failed login says", () => {
  test("the password step says username or password; the code step says the code", async () => {
    const anon = () => new AdminClient(h.url);
    const wrong = await anon().call("POST", "/api/auth/login", { username: "admin", password: "not the password" });
    expect(wrong.json.error).toMatchObject({ message: "Wrong username or password." });
    const enrol = await admin.call("POST", "/api/auth/totp/enrol");
    const secret = enrol.json.secret as string;
    const confirm = await admin.call("POST", "/api/auth/totp/confirm", { code: await currentCode(secret, Date.now()) });
    const [firstCode] = confirm.json.recoveryCodes as string[];
    const badCode = await anon().call("POST", "/api/auth/login", {
      username: "admin",
      password: ADMIN_PASSWORD,
      code: "000000",
    });
    expect(String((badCode.json.error as { message: string }).message)).toMatch(/^Wrong code/);
    await anon().login("admin", ADMIN_PASSWORD, firstCode);
    const reused = await anon().call("POST", "/api/auth/login", {
      username: "admin",
      password: ADMIN_PASSWORD,
      code: firstCode,
    });
    expect(reused.status).toBe(401);
    expect(String((reused.json.error as { message: string }).message)).toMatch(/recovery code was used already/);
  });
});
