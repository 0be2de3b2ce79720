/**
 * Admin security through HTTP: setup with the one-time token, login with and without TOTP, replayed
 * codes, recovery codes, lockout, session revocation, CSRF, forged and expired sessions, every private
 * route refusing anonymous calls.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { SignJWT } from "jose";
import { loadOrCreateSecret } from "../../src/auth/sessions.ts";
import { LoginThrottle } from "../../src/auth/throttle.ts";
import { currentCode } from "../../src/auth/totp.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
const PASSWORD = "correct horse battery";

/** A browser-like admin client: keeps its session cookie, sends the CSRF header unless told not to. */
class AdminClient {
  cookie = "";
  constructor(private readonly base: string) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
    if (options.csrf !== false) headers["x-smartroute-request"] = "1";
    if (this.cookie) headers.cookie = this.cookie;
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0].endsWith("=") ? "" : setCookie.split(";")[0];
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { text };
    }
    return { status: response.status, json, headers: response.headers, setCookie };
  }
}

beforeAll(async () => {
  h = await startHarness({
    config: () => `  tiers: { t1: { models: ["a/good"] } },`,
    adminLimiter: new LoginThrottle({ pair: { maxFailures: 5, lockoutMs: 60_000 }, freeFailures: 100, baseDelayMs: 0 }),
  });
});
afterAll(() => h.stop());

const anon = () => new AdminClient(h.url);
let admin: AdminClient;
let totpSecret = "";

describe("first start", () => {
  test("no default account: setup is required and a one-time token exists", async () => {
    expect((await anon().call("GET", "/api/auth/state")).json).toEqual({ setupRequired: true });
    expect(h.running.setupToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const login = await anon().call("POST", "/api/auth/login", { username: "admin", password: "anything-at-all" });
    expect(login.status).toBe(401); // nobody becomes admin by logging in first
  });

  test("a wrong token is refused; a weak password is refused without using up the token", async () => {
    expect(
      (await anon().call("POST", "/api/auth/setup", { token: "nope", username: "root", password: PASSWORD })).status,
    ).toBe(403);
    const weak = await anon().call("POST", "/api/auth/setup", {
      token: h.running.setupToken,
      username: "root",
      password: "short",
    });
    expect(weak.status).toBe(400);
    expect((weak.json.error as { param: string }).param).toBe("password");
  });

  test("the setup link creates the admin and signs them in; it works only once", async () => {
    admin = new AdminClient(h.url);
    const created = await admin.call("POST", "/api/auth/setup", {
      token: h.running.setupToken,
      username: "Root",
      password: PASSWORD,
    });
    expect(created.status).toBe(200);
    expect(created.setCookie).toMatch(/smartroute_session=.+; .*HttpOnly/i);
    expect(created.setCookie).toMatch(/SameSite=Strict/i);
    expect((await admin.call("GET", "/api/auth/me")).json).toMatchObject({ username: "root", totpEnabled: false });
    expect(
      (
        await anon().call("POST", "/api/auth/setup", {
          token: h.running.setupToken,
          username: "x2",
          password: PASSWORD,
        })
      ).status,
    ).toBe(409);
    expect((await anon().call("GET", "/api/auth/state")).json).toEqual({ setupRequired: false });
  });
});

describe("login", () => {
  test("a wrong password and an unknown user get the same answer", async () => {
    const wrong = await anon().call("POST", "/api/auth/login", { username: "root", password: "not the password" });
    const unknown = await anon().call("POST", "/api/auth/login", { username: "nobody", password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
  });

  test("the right password opens a session", async () => {
    const client = anon();
    expect((await client.call("POST", "/api/auth/login", { username: "root", password: PASSWORD })).status).toBe(200);
    expect((await client.call("GET", "/api/auth/me")).json.username).toBe("root");
  });
});

describe("TOTP", () => {
  test("enrol, then confirm with a code of the server's secret: recovery codes are shown once", async () => {
    const enrol = await admin.call("POST", "/api/auth/totp/enrol");
    expect(enrol.headers.get("cache-control")).toBe("no-store");
    totpSecret = enrol.json.secret as string;
    expect(enrol.json.uri).toContain("otpauth://totp/");
    expect(String(enrol.json.qrSvg)).toContain("<svg");
    // A pending secret does not make login ask for a code.
    expect((await anon().call("POST", "/api/auth/login", { username: "root", password: PASSWORD })).status).toBe(200);
    expect((await admin.call("POST", "/api/auth/totp/confirm", { code: "000000" })).status).toBe(403);
    const confirm = await admin.call("POST", "/api/auth/totp/confirm", {
      code: await currentCode(totpSecret, Date.now()),
    });
    expect(confirm.status).toBe(200);
    expect((confirm.json.recoveryCodes as string[]).length).toBe(10);
    recoveryCodes = confirm.json.recoveryCodes as string[];
  });

  let recoveryCodes: string[] = [];

  test("the password alone now answers totp_required (the contract)", async () => {
    const login = await anon().call("POST", "/api/auth/login", { username: "root", password: PASSWORD });
    expect(login.status).toBe(401);
    expect((login.json.error as { code: string }).code).toBe("totp_required");
  });

  test("a code opens a session once: the same code replayed is refused", async () => {
    const code = await currentCode(totpSecret, Date.now() + 30_000); // the next step: the confirm used this one
    expect((await anon().call("POST", "/api/auth/login", { username: "root", password: PASSWORD, code })).status).toBe(
      200,
    );
    expect((await anon().call("POST", "/api/auth/login", { username: "root", password: PASSWORD, code })).status).toBe(
      401,
    );
  });

  test("a recovery code works once", async () => {
    const code = recoveryCodes[0];
    expect((await anon().call("POST", "/api/auth/login", { username: "root", password: PASSWORD, code })).status).toBe(
      200,
    );
    expect((await anon().call("POST", "/api/auth/login", { username: "root", password: PASSWORD, code })).status).toBe(
      401,
    );
  });

  test("disabling needs the password and a code", async () => {
    expect((await admin.call("POST", "/api/auth/totp/disable", { password: PASSWORD })).status).toBe(403);
    expect(
      (await admin.call("POST", "/api/auth/totp/disable", { password: PASSWORD, code: recoveryCodes[1] })).status,
    ).toBe(200);
    expect((await admin.call("GET", "/api/auth/me")).json.totpEnabled).toBe(false);
  });
});

describe("sessions", () => {
  test("logout revokes the session on the server, not only the cookie", async () => {
    const client = anon();
    await client.call("POST", "/api/auth/login", { username: "root", password: PASSWORD });
    const stolen = client.cookie;
    expect((await client.call("POST", "/api/auth/logout")).status).toBe(200);
    const replay = new AdminClient(h.url);
    replay.cookie = stolen;
    expect((await replay.call("GET", "/api/auth/me")).status).toBe(401);
  });

  test("the sessions list shows where the admin is signed in, and one can be signed out from another", async () => {
    const laptop = anon();
    await laptop.call(
      "POST",
      "/api/auth/login",
      { username: "root", password: PASSWORD },
      { headers: { "user-agent": "Mozilla/5.0 Firefox/140.0" } },
    );
    const listed = (await admin.call("GET", "/api/auth/sessions")).json.sessions as {
      id: string;
      current: boolean;
      userAgent: string | null;
    }[];
    expect(listed.filter((s) => s.current).length).toBe(1);
    const other = listed.find((s) => s.userAgent?.includes("Firefox"))!;
    expect(other.id.length).toBe(8); // a handle, not the whole session id
    expect((await admin.call("DELETE", `/api/auth/sessions/${other.id}`)).status).toBe(200);
    expect((await laptop.call("GET", "/api/auth/me")).status).toBe(401);
    expect((await admin.call("GET", "/api/auth/me")).status).toBe(200);
  });

  test("a password change revokes the other sessions and keeps this one", async () => {
    const other = anon();
    await other.call("POST", "/api/auth/login", { username: "root", password: PASSWORD });
    expect(
      (await admin.call("POST", "/api/auth/password", { current: "wrong one here", next: "another long passphrase" }))
        .json.error,
    ).toMatchObject({ code: "wrong_credentials" });
    expect(
      (await admin.call("POST", "/api/auth/password", { current: PASSWORD, next: "another long passphrase" })).status,
    ).toBe(200);
    expect((await other.call("GET", "/api/auth/me")).status).toBe(401);
    expect((await admin.call("GET", "/api/auth/me")).status).toBe(200);
    expect(
      (await admin.call("POST", "/api/auth/password", { current: "another long passphrase", next: PASSWORD })).status,
    ).toBe(200);
  });

  test("a username change needs the password, refuses a taken name, and keeps the session", async () => {
    expect(
      (await admin.call("POST", "/api/auth/username", { username: "chief", password: "wrong password x" })).status,
    ).toBe(403);
    expect(
      (await admin.call("POST", "/api/auth/username", { username: "chief", password: PASSWORD })).json,
    ).toMatchObject({ ok: true, username: "chief" });
    expect((await admin.call("GET", "/api/auth/me")).json.username).toBe("chief");
    expect((await anon().call("POST", "/api/auth/login", { username: "chief", password: PASSWORD })).status).toBe(200);
    expect(
      (await admin.call("POST", "/api/auth/username", { username: "root", password: PASSWORD })).json.username,
    ).toBe("root");
  });

  test("forged, expired and alg:none tokens are refused", async () => {
    const claims = { sub: "1", jti: "x", name: "root", iss: "smartroute", aud: "smartroute-admin" };
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("a".repeat(32)));
    const none = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")}.${btoa(JSON.stringify({ ...claims, exp: 9_999_999_999 })).replace(/=+$/, "")}.`;
    const [, payload, signature] = admin.cookie.split("=")[1].split(".");
    const tampered = `${admin.cookie.split("=")[1].split(".")[0]}.${btoa(JSON.stringify({ ...JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))), exp: 9_999_999_999 })).replace(/=+$/, "")}.${signature}`;
    // Signed with the gateway's own key, for a real session, but expired an hour ago.
    const key = await loadOrCreateSecret(join(h.dir, "data"));
    const own = admin.cookie.split("=")[1];
    const ownClaims = JSON.parse(atob(own.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    const expired = await new SignJWT({
      ...ownClaims,
      exp: Math.floor(Date.now() / 1000) - 3600,
      iat: Math.floor(Date.now() / 1000) - 7200,
      nbf: Math.floor(Date.now() / 1000) - 7200,
    })
      .setProtectedHeader({ alg: "HS256" })
      .sign(key);
    for (const token of [forged, none, tampered, expired]) {
      const client = new AdminClient(h.url);
      client.cookie = `smartroute_session=${token}`;
      expect((await client.call("GET", "/api/auth/me")).status).toBe(401);
    }
  });
});

describe("guards", () => {
  const PRIVATE: [string, string][] = [
    ["GET", "/api/auth/me"],
    ["POST", "/api/auth/logout"],
    ["POST", "/api/auth/password"],
    ["POST", "/api/auth/username"],
    ["POST", "/api/auth/totp/enrol"],
    ["POST", "/api/auth/totp/confirm"],
    ["POST", "/api/auth/totp/disable"],
    ["POST", "/api/auth/recovery-codes"],
    ["GET", "/api/auth/sessions"],
    ["DELETE", "/api/auth/sessions/abcdefgh"],
    ["GET", "/api/settings"],
    ["PUT", "/api/settings"],
    ["GET", "/api/audit"],
    ["GET", "/api/keys"],
    ["POST", "/api/keys"],
    ["DELETE", "/api/keys/key_x"],
    ["GET", "/api/logs"],
    ["GET", "/api/logs/x"],
    ["GET", "/api/logs/export"],
    ["GET", "/api/logs/tail"],
    ["GET", "/api/stats"],
    ["GET", "/api/health"],
    ["POST", "/api/health/reset"],
    ["POST", "/api/explain"],
    ["POST", "/api/models/test"],
    ["GET", "/api/nonexistent"],
    ["GET", "/api/config"],
    ["POST", "/api/config/validate"],
    ["POST", "/api/config/apply"],
    ["POST", "/api/config/secret"],
    ["POST", "/api/config/secrets/move"],
    ["GET", "/api/config/history"],
    ["GET", "/api/config/history/1"],
    ["GET", "/api/config/diff"],
    ["POST", "/api/config/rollback"],
  ];

  test("every private admin route refuses an anonymous call", async () => {
    for (const [method, path] of PRIVATE) {
      const result = await anon().call(method, path, method === "GET" ? undefined : {});
      expect([method, path, result.status]).toEqual([method, path, 401]);
    }
  });

  test("a state-changing request without the CSRF header, or from another origin, is refused", async () => {
    expect((await admin.call("POST", "/api/keys", { name: "x" }, { csrf: false })).json.error).toMatchObject({
      code: "csrf_rejected",
    });
    expect(
      (await admin.call("POST", "/api/keys", { name: "x" }, { headers: { origin: "https://evil.example" } })).status,
    ).toBe(403);
    expect(
      (await anon().call("POST", "/api/auth/login", { username: "root", password: PASSWORD }, { csrf: false })).status,
    ).toBe(403);
  });

  test("failed attempts lock the account for a while, with Retry-After", async () => {
    for (let i = 0; i < 5; i++)
      await anon().call("POST", "/api/auth/login", { username: "victim", password: "guess number x" });
    const locked = await anon().call("POST", "/api/auth/login", { username: "victim", password: "guess number y" });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  test("with 2FA required, an admin without it can only enrol", async () => {
    // turning it on requires having it: enrol and confirm first
    const enrol = await admin.call("POST", "/api/auth/totp/enrol");
    await admin.call("POST", "/api/auth/totp/confirm", {
      code: await currentCode(enrol.json.secret as string, Date.now()),
    });
    expect((await admin.call("PUT", "/api/settings", { require2fa: true })).status).toBe(200);
    const second = new AdminClient(h.url);
    h.running.auth!.accounts.create("helper", await Bun.password.hash("helper password 1"), Date.now());
    expect(
      (await second.call("POST", "/api/auth/login", { username: "helper", password: "helper password 1" })).status,
    ).toBe(200);
    expect((await second.call("GET", "/api/keys")).status).toBe(403);
    expect((await second.call("GET", "/api/auth/me")).json.mustEnrol).toBe(true);
    expect((await second.call("POST", "/api/auth/totp/enrol")).status).toBe(200);
  });

  test("the audit log records logins, failures, key and 2FA changes", async () => {
    const actions = ((await admin.call("GET", "/api/audit?limit=500")).json.entries as { action: string }[]).map(
      (e) => e.action,
    );
    for (const action of [
      "account.create",
      "login",
      "login.failed",
      "login.recovery_code",
      "logout",
      "totp.enrol",
      "totp.enabled",
      "totp.disabled",
      "account.password",
      "settings.update",
      "login.throttled",
    ]) {
      expect(actions).toContain(action);
    }
  });
});
