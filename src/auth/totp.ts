/**
 * TOTP (RFC 6238) for admin logins: SHA-1, 6 digits, 30 s steps, the defaults every authenticator
 * app understands. Verification accepts one step of clock skew either way and refuses any code of
 * a step already used (the original had no replay protection, reference §12).
 */
import { generate, generateSecret, generateURI, verify } from "otplib";
import { renderSVG } from "uqr";

/** Length of one TOTP step in seconds. */
const TOTP_PERIOD_S = 30;
/** The issuer shown in authenticator apps. */
const TOTP_ISSUER = "SmartRoute";

/** A new random base32 secret (20 bytes = 160 bits, RFC 4226's recommended length). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The `otpauth://totp/...` URI an authenticator app scans. */
export function otpauthUri(options: { secret: string; account: string; issuer?: string }): string {
  return generateURI({ issuer: options.issuer ?? TOTP_ISSUER, label: options.account, secret: options.secret });
}

/**
 * The URI as an SVG QR code, rendered on the server so the UI needs no QR library. The SVG holds the
 * secret: serve it with `Cache-Control: no-store` and never log it.
 */
export function qrSvg(uri: string): string {
  return renderSVG(uri, { ecc: "M", border: 2 });
}

/** The outcome of a TOTP check. `step` is what the caller stores as the account's last used step. */
type TotpResult = { ok: true; step: number } | { ok: false; reason: "invalid" | "replayed" };

/** Inputs of `verifyTotp`. */
interface VerifyTotpOptions {
  secret: string;
  /** What the user typed; spaces are ignored ("123 456" is how apps display codes). */
  code: string;
  /** The last step accepted for this account (none yet: null or undefined). Codes of that step or earlier are refused. */
  lastStep?: number | null;
  /** Current time in ms. */
  now: number;
}

/**
 * Checks a code against the steps now−1, now and now+1. A code that matches only an already used
 * step is reported as "replayed" (worth an audit line); the client should see the same answer as
 * for "invalid". The caller must store `step` atomically (compare-and-set on the last step), or two
 * concurrent requests could both use one code.
 */
export async function verifyTotp(options: VerifyTotpOptions): Promise<TotpResult> {
  const token = options.code.replace(/\s+/g, "");
  // otplib throws on a malformed token; to the user it is just a wrong code.
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: "invalid" };
  const epoch = Math.floor(options.now / 1000);
  const window = { secret: options.secret, token, epoch, epochTolerance: TOTP_PERIOD_S, period: TOTP_PERIOD_S };
  const lastStep = options.lastStep ?? undefined;
  const newestStep = Math.floor((epoch + TOTP_PERIOD_S) / TOTP_PERIOD_S);
  // otplib refuses (throws) an afterTimeStep beyond the window: then every candidate step is used up.
  if (lastStep === undefined || lastStep <= newestStep) {
    const fresh = await verify({ ...window, afterTimeStep: lastStep });
    // otplib types the result as TOTP | HOTP; only the TOTP one carries the step.
    if (fresh.valid && "timeStep" in fresh) return { ok: true, step: fresh.timeStep };
  }
  // Only to tell a replay from a wrong code: a match here is never accepted.
  const anyStep = lastStep === undefined ? { valid: false } : await verify(window);
  return { ok: false, reason: anyStep.valid ? "replayed" : "invalid" };
}

/** The code an authenticator would show at `now` (ms). For tests and the enrolment self-check. */
export function currentCode(secret: string, now: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(now / 1000), period: TOTP_PERIOD_S });
}
