/**
 * Admin passwords: argon2id hashes, a small strength policy, and a dummy verification for unknown
 * users. Hashing sits behind `PasswordHasher` because it is runtime-specific (DESIGN §9): Bun has
 * argon2id built in (`Bun.password`); elsewhere (Deno) hash-wasm computes the same argon2id and reads
 * and writes the same PHC strings, so an account created on one runtime logs in on the other.
 */
import { runtime } from "../runtime.ts";
import { passwordStrength, STRONG_ENOUGH } from "./password-strength.ts";

/** Computes and checks password hashes. Implementations must produce self-describing PHC strings. */
export interface PasswordHasher {
  /** A new salted hash of `plain` (a PHC string such as `$argon2id$v=19$m=…`). */
  hash(plain: string): Promise<string>;
  /** True when `plain` matches `hash`. Throws on a malformed hash: that is corrupt data, not a wrong password. */
  verify(plain: string, hash: string): Promise<boolean>;
  /** A hash of a throwaway password at this hasher's cost, for dummyVerifyPassword (else made at first need). */
  readonly dummyHash?: string;
}

/** argon2id cost parameters. Defaults are Bun's: 64 MiB, 2 passes (about 0.1 s per hash here). */
interface Argon2Cost {
  /** Memory in KiB. @default 65536 */
  memoryCost?: number;
  /** Passes over memory. @default 2 */
  timeCost?: number;
}

/** Longest password accepted. argon2 takes any length, but a multi-megabyte "password" is a cheap DoS. */
export const MAX_PASSWORD_LENGTH = 1024;
/** Shortest password the policy accepts (code points, not UTF-16 units). */
const MIN_PASSWORD_LENGTH = 10;

/**
 * A hash of a random password, discarded, at the default cost (64 MiB, 2 passes, both hashers' shape):
 * what an unknown user's login is verified against. Made ahead, not at start: hashing it then held
 * 64 MiB for a moment in every gateway that never saw a login. Knowing it helps no one: the dummy
 * verification answers false whatever the password.
 */
export const DEFAULT_COST_DUMMY_HASH =
  "$argon2id$v=19$m=65536,t=2,p=1$Gfg+jtfoi3AJGXj5yWUHDdDsY4R/JYXI+tWffuLoqv4$KKjco1wlyvrhgk32V53vY1WZURkWgSlAn9pxbfP4dvM";

const isDefaultCost = (cost: Argon2Cost) => (cost.memoryCost ?? 65536) === 65536 && (cost.timeCost ?? 2) === 2;

/** The argon2id hasher built into Bun (`Bun.password`). */
export function bunPasswordHasher(cost: Argon2Cost = {}): PasswordHasher {
  const options = { algorithm: "argon2id" as const, ...cost };
  return {
    hash: (plain) => Bun.password.hash(plain, options),
    verify: (plain, hash) => Bun.password.verify(plain, hash),
    dummyHash: isDefaultCost(cost) ? DEFAULT_COST_DUMMY_HASH : undefined,
  };
}

/** Bun.password's salt and output lengths, so both hashers write hashes of the same shape. */
const SALT_BYTES = 32;
const HASH_BYTES = 32;

/**
 * argon2id in WebAssembly (hash-wasm), for runtimes without Bun.password. Writes the PHC string
 * Bun.password writes (`$argon2id$v=19$m=65536,t=2,p=1$salt$hash`, same defaults and lengths) and
 * verifies any argon2 PHC string, reading the cost from it. hash-wasm is loaded at first use.
 */
export function wasmPasswordHasher(cost: Argon2Cost = {}): PasswordHasher {
  const memorySize = cost.memoryCost ?? 65536;
  const iterations = cost.timeCost ?? 2;
  return {
    async hash(plain) {
      const { argon2id } = await import("hash-wasm");
      const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
      return argon2id({
        password: plain,
        salt,
        parallelism: 1,
        iterations,
        memorySize,
        hashLength: HASH_BYTES,
        outputType: "encoded",
      });
    },
    async verify(plain, hash) {
      const { argon2Verify } = await import("hash-wasm");
      return argon2Verify({ password: plain, hash }); // throws "Invalid hash" on a malformed one
    },
    dummyHash: isDefaultCost(cost) ? DEFAULT_COST_DUMMY_HASH : undefined,
  };
}

let wasmDefault: PasswordHasher | undefined;

/** The hasher for this runtime: Bun.password on Bun, hash-wasm elsewhere (Deno). */
let bunDefault: PasswordHasher | undefined;

function defaultPasswordHasher(): PasswordHasher {
  // One instance per runtime, so the dummy hash of dummyVerifyPassword (keyed by hasher) is computed
  // once: an unknown user's login must cost one verify, like a known user's wrong password.
  if (runtime === "bun") return (bunDefault ??= bunPasswordHasher());
  return (wasmDefault ??= wasmPasswordHasher());
}

/**
 * NFKC, because the same password typed on two keyboards can arrive as different code point
 * sequences (NIST SP 800-63B §5.1.1.2); hashing the normalised form makes both verify.
 */
const normalise = (plain: string) => plain.normalize("NFKC");

/** Hashes a password with argon2id. Throws on an empty or over-long password (check the policy first). */
export async function hashPassword(plain: string, hasher: PasswordHasher = defaultPasswordHasher()): Promise<string> {
  if (plain.length === 0 || plain.length > MAX_PASSWORD_LENGTH) throw new Error("Password length out of range.");
  return hasher.hash(normalise(plain));
}

/** True when `plain` matches the stored hash. An empty or over-long input is simply wrong. */
export async function verifyPassword(
  plain: string,
  hash: string,
  hasher: PasswordHasher = defaultPasswordHasher(),
): Promise<boolean> {
  if (plain.length === 0 || plain.length > MAX_PASSWORD_LENGTH) return false;
  return hasher.verify(normalise(plain), hash);
}

/** One hash per hasher, so the dummy costs exactly what a real verification with those parameters costs. */
const dummyHashes = new WeakMap<PasswordHasher, Promise<string>>();

/**
 * Runs a full verification against a throwaway hash and always answers false. Call it when the
 * username does not exist, so "no such user" takes as long as "wrong password" and the response
 * time does not reveal which accounts exist.
 */
export async function dummyVerifyPassword(
  plain: string,
  hasher: PasswordHasher = defaultPasswordHasher(),
): Promise<false> {
  // Same shortcut as verifyPassword: both paths answer an out-of-range input at once.
  if (plain.length === 0 || plain.length > MAX_PASSWORD_LENGTH) return false;
  let dummy = hasher.dummyHash === undefined ? dummyHashes.get(hasher) : Promise.resolve(hasher.dummyHash);
  if (!dummy) {
    const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(
      "",
    );
    dummy = hasher.hash(random);
    dummyHashes.set(hasher, dummy);
  }
  await hasher.verify(normalise(plain), await dummy);
  return false;
}

/** Why a new password was refused; `message` is fit to show the user. */
interface PasswordProblem {
  code: "too_short" | "too_long" | "contains_username" | "one_character" | "too_guessable";
  message: string;
}

/**
 * The password policy, kept short on purpose (length beats composition rules): at least
 * MIN_PASSWORD_LENGTH characters, at most MAX_PASSWORD_LENGTH, not the username and not containing
 * it (usernames of 3+ characters: a 1-letter name would forbid half the alphabet), and not one
 * character repeated, and not easy to guess: zxcvbn's score at least STRONG_ENOUGH (so `0123456789` and
 * `password123`, long enough, are still refused), with zxcvbn's own advice in the message. Returns every
 * problem, empty when the password is acceptable.
 */
export async function checkPasswordPolicy(plain: string, username?: string): Promise<PasswordProblem[]> {
  const problems: PasswordProblem[] = [];
  const chars = Array.from(normalise(plain));
  if (chars.length < MIN_PASSWORD_LENGTH) {
    problems.push({ code: "too_short", message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` });
  }
  if (plain.length > MAX_PASSWORD_LENGTH) {
    problems.push({ code: "too_long", message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` });
  }
  const lower = chars.join("").toLowerCase();
  const name = username ? normalise(username).toLowerCase() : "";
  if (name && (lower === name || (name.length >= 3 && lower.includes(name)))) {
    problems.push({ code: "contains_username", message: "The password must not contain the username." });
  }
  if (chars.length > 0 && chars.every((c) => c === chars[0])) {
    problems.push({ code: "one_character", message: "The password must not be one character repeated." });
  }
  // Only a password that passes the rules above is estimated: their messages say enough, and an
  // over-long one is not worth the matching.
  if (problems.length === 0) {
    const strength = await passwordStrength(chars.join(""), name ? [name] : []);
    if (strength.score < STRONG_ENOUGH)
      problems.push({
        code: "too_guessable",
        message: [
          `This password is too easy to guess (strength ${strength.score} of 4, ${STRONG_ENOUGH} needed).`,
          strength.warning,
          ...strength.suggestions,
        ]
          .filter(Boolean)
          .join(" "),
      });
  }
  return problems;
}
