/**
 * Admin sessions: HS256 JWTs in an httpOnly cookie. The signing key is random, made on first start
 * and kept in the data dir (the original fell back to a public placeholder, reference §15.1). A
 * token only proves who signed it and when: the caller still looks the session up by `sessionId`
 * to honour logout and password-change revocation.
 */
// Imported rather than assumed global: Deno asks for node:buffer (DESIGN §9).
import { Buffer } from "node:buffer";
import { link, mkdir, open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { jwtVerify, SignJWT } from "jose";
import { SecretBox } from "./secret-box.ts";

/** The session cookie's name. */
const SESSION_COOKIE = "smartroute_session";
/** File in the data dir that holds the signing key (base64url text, so an operator can copy it to other instances). */
export const SESSION_KEY_FILE = "session.key";

const KEY_BYTES = 32;
const ISSUER = "smartroute";
/** Scopes tokens to admin sessions: a token minted later for another purpose with the same key is not a session. */
const AUDIENCE = "smartroute-admin";
/** Seconds of clock difference tolerated on nbf/exp, for several gateway processes behind one balancer (DESIGN §12). */
const CLOCK_TOLERANCE_S = 5;

/** What a valid session token says. Times in ms since the epoch (whole seconds: JWT precision). */
interface SessionClaims {
  sessionId: string;
  userId: number;
  /** The username at issue time, for display only: authorise by `userId` (a rename must not change rights). */
  username: string;
  issuedAt: number;
  expiresAt: number;
}

/** Inputs of `SessionSigner.issue`. */
interface IssueOptions {
  sessionId: string;
  userId: number;
  username: string;
  /** Current time in ms. */
  now: number;
  /** Lifetime in ms. */
  ttlMs: number;
}

const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** Signs and verifies session tokens with one HS256 key. */
export class SessionSigner {
  private readonly key: Uint8Array;

  /** @param secret at least 32 bytes (HS256 wants a key as long as its hash). */
  constructor(secret: Uint8Array) {
    if (secret.length < KEY_BYTES) throw new Error(`The session key must be at least ${KEY_BYTES} bytes.`);
    this.key = new Uint8Array(secret);
  }

  /**
   * Encryption at rest keyed from the same file (HKDF gives each `purpose` its own key, unrelated to
   * the signing one): losing or replacing `session.key` also makes what it sealed unreadable.
   */
  box(purpose: string): SecretBox {
    return new SecretBox(this.key, purpose);
  }

  /** A signed token for a new session. */
  issue(options: IssueOptions): Promise<string> {
    const issued = toSeconds(options.now);
    return new SignJWT({ name: options.username })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(String(options.userId))
      .setJti(options.sessionId)
      .setIssuedAt(issued)
      .setNotBefore(issued)
      .setExpirationTime(toSeconds(options.now + options.ttlMs))
      .sign(this.key);
  }

  /**
   * The token's claims, or undefined when it is not a valid session token at `now` (ms): bad
   * signature, any algorithm but HS256 (`none` included), expired, not yet valid, wrong issuer or
   * audience, or a missing or mistyped claim. Never throws: every refusal looks the same to callers.
   */
  async verify(token: string, now: number): Promise<SessionClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ["HS256"],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ["sub", "jti", "iat", "nbf", "exp", "name"],
        currentDate: new Date(now),
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      const { sub, jti, name, iat, exp } = payload;
      if (typeof sub !== "string" || !/^\d+$/.test(sub) || typeof jti !== "string" || jti === "") return undefined;
      if (typeof name !== "string" || typeof iat !== "number" || typeof exp !== "number") return undefined;
      return { sessionId: jti, userId: Number(sub), username: name, issuedAt: iat * 1000, expiresAt: exp * 1000 };
    } catch {
      return undefined;
    }
  }
}

const decodeKey = (text: string) =>
  /^[A-Za-z0-9_-]+$/.test(text) ? new Uint8Array(Buffer.from(text, "base64url")) : new Uint8Array();

/**
 * The session signing key from `<dataDir>/session.key`, created on first start (32 random bytes,
 * mode 0600). Creation is atomic: the key is written and synced under a temporary name, then
 * hard-linked into place, which fails if the file appeared meanwhile, so two processes starting
 * together agree on one key and a crash never leaves a half-written key behind.
 * Throws when an existing file does not hold a key of at least 32 bytes: silently replacing it would
 * hide the problem (and log everyone out).
 */
export async function loadOrCreateSecret(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, SESSION_KEY_FILE);
  try {
    return checkedKey(await readFile(path, "utf8"), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const temp = `${path}.${Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString("hex")}.tmp`;
  try {
    const file = await open(temp, "wx", 0o600);
    try {
      await file.writeFile(`${Buffer.from(crypto.getRandomValues(new Uint8Array(KEY_BYTES))).toString("base64url")}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await link(temp, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error; // another process won the race: use its key
    });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  return checkedKey(await readFile(path, "utf8"), path);
}

/** The settings row that holds a cluster's session key. */
const SHARED_KEY_SETTING = "sessions.signingKey";

/**
 * Cluster mode: the key every replica signs sessions (and seals TOTP secrets) with, kept in the shared
 * database and made once, so a session opened on one replica is valid on all. The first replica to
 * start offers its data dir's key (what it signed and sealed stays valid); every other adopts it.
 */
export async function sharedSessionKey(
  settings: { settingOnce<T>(key: string, value: T, now: number): Promise<T> },
  offered: Uint8Array,
  now: number,
): Promise<Uint8Array> {
  const text = await settings.settingOnce(SHARED_KEY_SETTING, Buffer.from(offered).toString("base64url"), now);
  return checkedKey(text, `the database's ${SHARED_KEY_SETTING} setting`);
}

function checkedKey(text: string, path: string): Uint8Array {
  const key = decodeKey(text.trim());
  if (key.length < KEY_BYTES)
    throw new Error(`${path} does not hold a session key of ${KEY_BYTES}+ bytes (base64url): fix or delete it.`);
  return key;
}

/** Cookie options. */
interface SessionCookieOptions {
  /** Lifetime in seconds; match the token's ttl so the browser drops it when it expires. */
  maxAgeS: number;
  /** Add `Secure`: set it whenever the admin UI is served over HTTPS. */
  secure: boolean;
}

/**
 * A `Set-Cookie` value for the session. HttpOnly: scripts (and so XSS) cannot read the token.
 * SameSite=Strict: other sites cannot make the browser send it (CSRF).
 */
export function sessionCookie(token: string, options: SessionCookieOptions): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeS))}`,
    "HttpOnly",
    "SameSite=Strict",
  ];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/** A `Set-Cookie` value that deletes the session cookie (logout). */
export function clearSessionCookie(options: { secure?: boolean } = {}): string {
  const parts = [
    `${SESSION_COOKIE}=`,
    "Path=/",
    "Max-Age=0",
    "Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    "HttpOnly",
    "SameSite=Strict",
  ];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * The session token from a request's `Cookie` header, or undefined. Accepts `Headers` or a plain
 * header record (Elysia's `ctx.headers`). A value that cannot be a JWT is ignored.
 */
export function readSessionCookie(headers: Headers | Record<string, string | undefined>): string | undefined {
  const header = headers instanceof Headers ? headers.get("cookie") : (headers.cookie ?? headers.Cookie);
  if (!header) return undefined;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value) ? value : undefined;
  }
  return undefined;
}
