/**
 * The one-time setup token printed at first start (when no admin exists and GATEWAY_ADMIN_PASSWORD is
 * not set). Whoever can read the console can create the first admin; nobody else can (the original
 * made the first person to log in as "admin" the owner, reference §15.3).
 */
// Imported rather than assumed global: Deno asks for node:buffer (DESIGN §9).
import { Buffer } from "node:buffer";
import { createHash, timingSafeEqual } from "node:crypto";

const TOKEN_BYTES = 32;

const digest = (value: string) => createHash("sha256").update(value).digest();

/** One outstanding setup token: random, expiring, usable once. */
export class SetupToken {
  /** The token to print in the setup link (43 URL-safe characters). */
  readonly token: string;
  /** When it stops working, in ms since the epoch. */
  readonly expiresAt: number;
  /** Only the digest is compared, so candidates of any length compare in constant time. */
  private readonly expected: Buffer;
  private used = false;

  constructor(token: string, expiresAt: number) {
    this.token = token;
    this.expiresAt = expiresAt;
    this.expected = digest(token);
  }

  /** True when `candidate` is this token, unused and unexpired at `now`. Does not use it up (for the setup page). */
  matches(candidate: string, now: number): boolean {
    // Compare first, whatever the state, so timing does not tell "used" or "expired" from "wrong".
    const equal = timingSafeEqual(digest(candidate), this.expected);
    return equal && !this.used && now < this.expiresAt;
  }

  /**
   * Uses the token: true once, for the right unexpired token; false ever after. Validate the new
   * account's input before calling it, so a typo in the form does not burn the token.
   */
  consume(candidate: string, now: number): boolean {
    if (!this.matches(candidate, now)) return false;
    this.used = true;
    return true;
  }

  /** True once the token is used or expired: the caller may drop it and stop printing the link. */
  spent(now: number): boolean {
    return this.used || now >= this.expiresAt;
  }
}

/** A new setup token valid for `ttlMs` (default one hour) from `now` (ms). */
export function createSetupToken(now: number, ttlMs = 3_600_000): SetupToken {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES))).toString("base64url");
  return new SetupToken(token, now + ttlMs);
}
