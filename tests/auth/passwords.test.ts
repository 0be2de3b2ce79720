import { describe, expect, test } from "bun:test";
import {
  bunPasswordHasher,
  checkPasswordPolicy,
  DEFAULT_COST_DUMMY_HASH,
  dummyVerifyPassword,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  type PasswordHasher,
  verifyPassword,
  wasmPasswordHasher,
} from "../../src/auth/passwords.ts";

/** Minimal argon2id cost: the behaviour under test does not depend on the cost, only the speed does. */
const cheap = () => bunPasswordHasher({ memoryCost: 256, timeCost: 1 });

/** A hasher that counts calls to the real one. */
function counting(inner: PasswordHasher = cheap()) {
  const calls = { hash: 0, verify: [] as string[] };
  const hasher: PasswordHasher = {
    hash: (plain) => {
      calls.hash += 1;
      return inner.hash(plain);
    },
    verify: (plain, hash) => {
      calls.verify.push(hash);
      return inner.verify(plain, hash);
    },
  };
  return { hasher, calls };
}

describe("hashPassword / verifyPassword", () => {
  test("the default hasher produces an argon2id PHC string", async () => {
    expect(await hashPassword("correct horse battery")).toStartWith("$argon2id$");
  });

  test("the right password verifies", async () => {
    const hasher = cheap();
    const hash = await hashPassword("correct horse battery", hasher);
    expect(await verifyPassword("correct horse battery", hash, hasher)).toBe(true);
  });

  test("a wrong password does not verify", async () => {
    const hasher = cheap();
    const hash = await hashPassword("correct horse battery", hasher);
    expect(await verifyPassword("correct horse batterY", hash, hasher)).toBe(false);
  });

  test("hashes are salted: the same password hashes differently", async () => {
    const hasher = cheap();
    expect(await hashPassword("correct horse battery", hasher)).not.toBe(
      await hashPassword("correct horse battery", hasher),
    );
  });

  test("the cost is read from the hash: a cheap hash verifies with the default hasher", async () => {
    const hash = await hashPassword("correct horse battery", cheap());
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
  });

  test("composed and decomposed Unicode forms of one password verify alike (NFKC)", async () => {
    const hasher = cheap();
    const hash = await hashPassword("caf\u00e9-au-lait-42", hasher);
    expect(await verifyPassword("cafe\u0301-au-lait-42", hash, hasher)).toBe(true);
  });

  test("an empty password is wrong without running the hasher", async () => {
    const { hasher, calls } = counting();
    expect(await verifyPassword("", "$argon2id$whatever", hasher)).toBe(false);
    expect(calls.verify).toHaveLength(0);
  });

  test("hashing refuses an over-long password", async () => {
    let error: unknown;
    try {
      await hashPassword("x".repeat(MAX_PASSWORD_LENGTH + 1), cheap());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
  });
});

describe("dummyVerifyPassword", () => {
  test("answers false after one real verification against a hash made by the same hasher", async () => {
    const { hasher, calls } = counting();
    expect(await dummyVerifyPassword("some guess here", hasher)).toBe(false);
    expect(calls.verify).toHaveLength(1);
    expect(calls.verify[0]).toStartWith("$argon2id$v=19$m=256,t=1");
  });

  test("hashes its throwaway password once per hasher, not per call", async () => {
    const { hasher, calls } = counting();
    await dummyVerifyPassword("first guess", hasher);
    await dummyVerifyPassword("second guess", hasher);
    expect(calls.hash).toBe(1);
    expect(calls.verify).toHaveLength(2);
  });

  test("verifies against the hasher's own dummy hash when it carries one, hashing nothing", async () => {
    const { hasher: inner } = counting();
    const dummyHash = await inner.hash("thrown away");
    const { hasher, calls } = counting(inner);
    expect(await dummyVerifyPassword("a guess", { ...hasher, dummyHash })).toBe(false);
    expect(calls.hash).toBe(0);
    expect(calls.verify).toEqual([dummyHash]);
  });

  test("the default hashers carry one at their own cost, in the shape both write; a custom cost does not", async () => {
    expect(bunPasswordHasher().dummyHash).toBe(DEFAULT_COST_DUMMY_HASH);
    expect(wasmPasswordHasher().dummyHash).toBe(DEFAULT_COST_DUMMY_HASH);
    expect(cheap().dummyHash).toBeUndefined();
    const [, algorithm, version, params, salt, digest] = DEFAULT_COST_DUMMY_HASH.split("$");
    const real = (await hashPassword("correct horse battery staple", bunPasswordHasher())).split("$");
    expect([algorithm, version, params, salt.length, digest.length]).toEqual([
      real[1],
      real[2],
      real[3],
      real[4].length,
      real[5].length,
    ]);
    // A hash both runtimes read (a malformed one would throw): the verification really runs.
    expect(await verifyPassword("a guess", DEFAULT_COST_DUMMY_HASH, bunPasswordHasher())).toBe(false);
    expect(await verifyPassword("a guess", DEFAULT_COST_DUMMY_HASH, wasmPasswordHasher())).toBe(false);
  });

  test("takes the same shortcut as verifyPassword for an empty password", async () => {
    const { hasher, calls } = counting();
    expect(await dummyVerifyPassword("", hasher)).toBe(false);
    expect(calls.verify).toHaveLength(0);
  });
});

describe("the hash-wasm hasher (Deno) and Bun.password write and read the same hashes", () => {
  const PASSWORD = "caf\u00e9 correct horse battery";
  /** `$argon2id$v=19$m=…,t=…,p=…$` and the base64 lengths of salt and hash. */
  const shape = (hash: string) => {
    const [, algorithm, version, params, salt, digest] = hash.split("$");
    return { algorithm, version, params, salt: salt.length, digest: digest.length };
  };

  test("at the default cost, both write the same PHC shape: algorithm, version, cost, salt and hash lengths", async () => {
    const fromBun = await hashPassword(PASSWORD, bunPasswordHasher());
    const fromWasm = await hashPassword(PASSWORD, wasmPasswordHasher());
    expect(shape(fromBun)).toEqual({
      algorithm: "argon2id",
      version: "v=19",
      params: "m=65536,t=2,p=1",
      salt: 43,
      digest: 43,
    });
    expect(shape(fromWasm)).toEqual(shape(fromBun));
  });

  test("a hash from Bun.password verifies with the hash-wasm hasher, and a wrong password does not", async () => {
    const hash = await hashPassword(PASSWORD, bunPasswordHasher());
    expect(await verifyPassword(PASSWORD, hash, wasmPasswordHasher())).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, hash, wasmPasswordHasher())).toBe(false);
  });

  test("a hash from the hash-wasm hasher verifies with Bun.password, and a wrong password does not", async () => {
    const hash = await hashPassword(PASSWORD, wasmPasswordHasher({ memoryCost: 256, timeCost: 1 }));
    expect(hash).toStartWith("$argon2id$v=19$m=256,t=1,p=1$");
    expect(await verifyPassword(PASSWORD, hash, bunPasswordHasher())).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, hash, bunPasswordHasher())).toBe(false);
  });

  test("the hash-wasm hasher salts, and throws on a malformed hash like Bun.password", async () => {
    const hasher = wasmPasswordHasher({ memoryCost: 256, timeCost: 1 });
    expect(await hasher.hash(PASSWORD)).not.toBe(await hasher.hash(PASSWORD));
    let error: unknown;
    try {
      await hasher.verify(PASSWORD, "$argon2id$not-a-hash");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
  });
});

describe("checkPasswordPolicy", () => {
  const codes = async (plain: string, username?: string) =>
    (await checkPasswordPolicy(plain, username)).map((p) => p.code);

  test("a hard-to-guess password unrelated to the username passes", async () => {
    expect(await codes("tr0ub4dor&3x", "admin")).toEqual([]);
  });

  test("9 characters are too short", async () => {
    expect(await codes("tr0ub4dor", "admin")).toEqual(["too_short"]);
  });

  test("length counts characters, not UTF-16 units", async () => {
    expect(await codes("🔑🔒ab🔑🔒cd🔑")).toEqual(["too_short"]);
  });

  test("more than the maximum length is too long", async () => {
    expect(await codes("ab".repeat(MAX_PASSWORD_LENGTH))).toEqual(["too_long"]);
  });

  test("the username itself is refused, whatever the case", async () => {
    expect(await codes("Administrator", "administrator")).toEqual(["contains_username"]);
  });

  test("a password containing the username is refused", async () => {
    expect(await codes("my-ADMIN-password", "admin")).toEqual(["contains_username"]);
  });

  test("a username shorter than 3 characters is only refused as the whole password", async () => {
    expect(await codes("jo-likes-long-walks", "jo")).toEqual([]);
  });

  test("one character repeated is refused", async () => {
    expect(await codes("aaaaaaaaaaaa")).toEqual(["one_character"]);
  });

  test("long enough but easy to guess is refused, with zxcvbn's advice", async () => {
    for (const weak of ["0123456789", "password123", "qwertyuiop", "hunter2hunter2"]) {
      const problems = await checkPasswordPolicy(weak, "admin");
      expect(problems.map((p) => p.code)).toEqual(["too_guessable"]);
      expect(problems[0].message).toMatch(/too easy to guess \(strength [0-2] of 4, 3 needed\)/);
    }
    expect((await checkPasswordPolicy("password123"))[0].message).toContain("commonly used password");
  });

  test("every problem is listed, each with a message", async () => {
    const problems = await checkPasswordPolicy("aaaa", "aaaa");
    expect(problems.map((p) => p.code)).toEqual(["too_short", "contains_username", "one_character"]);
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
  });
});
