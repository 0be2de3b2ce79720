/**
 * One-time recovery codes for an account with TOTP: shown once at enrolment, stored only as hashes,
 * each usable once.
 *
 * Why plain SHA-256 and not argon2: each code is 60 bits drawn uniformly at random, not chosen by a
 * human, so there is no dictionary to exploit and a slow hash adds little. Online, guesses go through
 * the login throttle. Offline, whoever holds the database row also holds the TOTP secret in clear
 * (it must be readable to check codes), so the recovery hashes are not the weak point. A fast hash
 * also keeps checking ten stored codes cheap on every use.
 */
// Imported rather than assumed global: Deno asks for node:buffer (DESIGN §9).
import { Buffer } from "node:buffer";
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Crockford's base32 alphabet: no i, l, o, u, so nothing reads as another character. 32 symbols,
 * so one random byte masked to 5 bits picks a symbol without bias.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const GROUPS = 3;
const GROUP_LENGTH = 4;

/** Source of random bytes; injectable so tests can be deterministic. */
type RandomBytes = (length: number) => Uint8Array;

const secureRandom: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

const digest = (normalised: string) => createHash("sha256").update(normalised).digest("hex");

/**
 * A code as typed → its canonical form: lower case, no dashes or spaces, and Crockford's
 * look-alikes mapped (o → 0, i and l → 1), so a misread character still matches.
 */
function normaliseRecoveryCode(code: string): string {
  return code
    .toLowerCase()
    .replace(/[\s-]+/g, "")
    .replace(/o/g, "0")
    .replace(/[il]/g, "1");
}

/** Hex SHA-256 of a code's canonical form: what the store keeps. */
export function hashRecoveryCode(code: string): string {
  return digest(normaliseRecoveryCode(code));
}

/**
 * `count` new codes like "k7vq-2mxd-9trp" (60 random bits each), and their hashes in the same
 * order. Show `codes` once; store only `hashes`.
 */
export function newRecoveryCodes(
  count = 10,
  random: RandomBytes = secureRandom,
): { codes: string[]; hashes: string[] } {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const symbols = Array.from(random(GROUPS * GROUP_LENGTH), (byte) => ALPHABET[byte & 31]).join("");
    const groups = Array.from({ length: GROUPS }, (_, g) => symbols.slice(g * GROUP_LENGTH, (g + 1) * GROUP_LENGTH));
    codes.push(groups.join("-"));
  }
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/**
 * Checks a typed code against the stored hashes. On success `remaining` is `hashes` without the
 * used one: the caller must store it (compare-and-set against the list it read, so two concurrent
 * uses of one code cannot both succeed). On failure `remaining` is `hashes` unchanged.
 */
export function useRecoveryCode(code: string, hashes: readonly string[]): { ok: boolean; remaining: string[] } {
  const candidate = Buffer.from(hashRecoveryCode(code), "hex");
  let match = -1;
  // Compare with every stored hash, no early exit: the time taken says nothing about which matched.
  hashes.forEach((hash, i) => {
    const stored = Buffer.from(hash, "hex");
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate) && match < 0) match = i;
  });
  if (match < 0) return { ok: false, remaining: [...hashes] };
  return { ok: true, remaining: hashes.filter((_, i) => i !== match) };
}
