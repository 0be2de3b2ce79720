import { afterEach, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import {
  clearSessionCookie,
  loadOrCreateSecret,
  readSessionCookie,
  SESSION_KEY_FILE,
  SessionSigner,
  sessionCookie,
} from "../../src/auth/sessions.ts";

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;
const KEY = new Uint8Array(32).fill(7);
const signer = new SessionSigner(KEY);
const session = { sessionId: "s-1", userId: 42, username: "admin", now: NOW, ttlMs: HOUR };

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const parts = (token: string) => token.split(".") as [string, string, string];
const payloadOf = (token: string) =>
  JSON.parse(Buffer.from(parts(token)[1], "base64url").toString()) as Record<string, unknown>;

describe("SessionSigner", () => {
  test("a token it issued verifies, with the session's claims", async () => {
    const token = await signer.issue(session);
    expect(await signer.verify(token, NOW + 1000)).toEqual({
      sessionId: "s-1",
      userId: 42,
      username: "admin",
      issuedAt: NOW,
      expiresAt: NOW + HOUR,
    });
  });

  test("a token signed with another key is refused", async () => {
    const forger = new SessionSigner(new Uint8Array(32).fill(8));
    expect(await signer.verify(await forger.issue(session), NOW)).toBeUndefined();
  });

  test("an unsigned alg:none token is refused", async () => {
    const claims = payloadOf(await signer.issue(session));
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
    expect(await signer.verify(token, NOW)).toBeUndefined();
  });

  test("a tampered payload is refused", async () => {
    const [header, payload, signature] = parts(await signer.issue(session));
    const forged = b64({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "1" });
    expect(await signer.verify(`${header}.${forged}.${signature}`, NOW)).toBeUndefined();
  });

  test("another algorithm with the same key (HS512) is refused", async () => {
    const claims = payloadOf(await signer.issue(session));
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS512" }).sign(KEY);
    expect(await signer.verify(token, NOW)).toBeUndefined();
  });

  test("an expired token is refused", async () => {
    const token = await signer.issue(session);
    expect(await signer.verify(token, NOW + HOUR + 10_000)).toBeUndefined();
  });

  test("a token is still valid just before it expires", async () => {
    const token = await signer.issue(session);
    expect(await signer.verify(token, NOW + HOUR - 1000)).toBeDefined();
  });

  test("a token is refused before its not-before time", async () => {
    const token = await signer.issue(session);
    expect(await signer.verify(token, NOW - 60_000)).toBeUndefined();
  });

  test("a correctly signed token missing the session id is refused", async () => {
    const { jti: _dropped, ...claims } = payloadOf(await signer.issue(session));
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(KEY);
    expect(await signer.verify(token, NOW)).toBeUndefined();
  });

  test("a correctly signed token for another audience is refused", async () => {
    const claims = { ...payloadOf(await signer.issue(session)), aud: "something-else" };
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(KEY);
    expect(await signer.verify(token, NOW)).toBeUndefined();
  });

  test("a non-numeric user id is refused", async () => {
    const claims = { ...payloadOf(await signer.issue(session)), sub: "admin" };
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(KEY);
    expect(await signer.verify(token, NOW)).toBeUndefined();
  });

  test("garbage is refused without throwing", async () => {
    for (const token of ["", "abc", "a.b.c", "..."]) expect(await signer.verify(token, NOW)).toBeUndefined();
  });

  test("a key shorter than 32 bytes is rejected", () => {
    expect(() => new SessionSigner(new Uint8Array(16))).toThrow();
  });
});

describe("loadOrCreateSecret", () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "smartroute-key-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  test("creates a 32-byte key in session.key, readable by the owner only", async () => {
    const dir = await tempDir();
    const key = await loadOrCreateSecret(dir);
    expect(key).toHaveLength(32);
    expect((await stat(join(dir, SESSION_KEY_FILE))).mode & 0o777).toBe(0o600);
  });

  test("reuses the key on the next start", async () => {
    const dir = await tempDir();
    const first = await loadOrCreateSecret(dir);
    expect(await loadOrCreateSecret(dir)).toEqual(first);
  });

  test("processes starting together agree on one key and leave no temporary file", async () => {
    const dir = await tempDir();
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSecret(dir)));
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(await readdir(dir)).toEqual([SESSION_KEY_FILE]);
  });

  test("creates the data dir when it does not exist yet", async () => {
    const dir = join(await tempDir(), "nested", "data");
    expect(await loadOrCreateSecret(dir)).toHaveLength(32);
  });

  test("a file without a valid key is an error, not silently replaced", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, SESSION_KEY_FILE), "too-short\n");
    let error: unknown;
    try {
      await loadOrCreateSecret(dir);
    } catch (e) {
      error = e;
    }
    expect(String(error)).toContain(SESSION_KEY_FILE);
  });
});

describe("session cookie", () => {
  const TOKEN = "aaa.bbb.ccc";

  test("is HttpOnly, SameSite=Strict, for the whole site, with the asked lifetime", () => {
    const cookie = sessionCookie(TOKEN, { maxAgeS: 3600, secure: false });
    expect(cookie.split("; ")).toEqual([
      "smartroute_session=aaa.bbb.ccc",
      "Path=/",
      "Max-Age=3600",
      "HttpOnly",
      "SameSite=Strict",
    ]);
  });

  test("is Secure when asked", () => {
    expect(sessionCookie(TOKEN, { maxAgeS: 60, secure: true }).split("; ")).toContain("Secure");
  });

  test("clearing it empties the value and expires it at once, with the same scope", () => {
    const parts = clearSessionCookie().split("; ");
    expect(parts).toContain("smartroute_session=");
    expect(parts).toContain("Max-Age=0");
    expect(parts).toContain("Path=/");
    expect(clearSessionCookie({ secure: true }).split("; ")).toContain("Secure");
  });

  test("is read from a Cookie header among other cookies", () => {
    const headers = new Headers({ cookie: "theme=dark; smartroute_session=aaa.bbb.ccc; lang=en" });
    expect(readSessionCookie(headers)).toBe(TOKEN);
  });

  test("is read from a plain header record (Elysia's ctx.headers)", () => {
    expect(readSessionCookie({ cookie: "smartroute_session=aaa.bbb.ccc" })).toBe(TOKEN);
  });

  test("is absent when there is no such cookie", () => {
    expect(readSessionCookie(new Headers({ cookie: "smartroute_session_old=aaa.bbb.ccc" }))).toBeUndefined();
    expect(readSessionCookie(new Headers())).toBeUndefined();
  });

  test("a value that cannot be a JWT is ignored", () => {
    expect(readSessionCookie(new Headers({ cookie: "smartroute_session=<script>" }))).toBeUndefined();
  });
});
