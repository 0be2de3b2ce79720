import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { hashRecoveryCode, newRecoveryCodes, useRecoveryCode } from "../../src/auth/recovery-codes.ts";

const FORMAT = /^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/;

describe("newRecoveryCodes", () => {
  test("makes ten codes in three groups of four by default", () => {
    const { codes } = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(FORMAT);
  });

  test("makes the number of codes asked for", () => {
    expect(newRecoveryCodes(3).codes).toHaveLength(3);
  });

  test("codes are random: no two alike", () => {
    const { codes } = newRecoveryCodes(50);
    expect(new Set(codes).size).toBe(50);
  });

  test("maps each random byte's low 5 bits onto the alphabet", () => {
    expect(newRecoveryCodes(1, (n) => new Uint8Array(n)).codes).toEqual(["0000-0000-0000"]);
    expect(newRecoveryCodes(1, (n) => new Uint8Array(n).fill(255)).codes).toEqual(["zzzz-zzzz-zzzz"]);
  });

  test("hashes are the SHA-256 of the undashed code, in the same order", () => {
    const { codes, hashes } = newRecoveryCodes(2);
    const expected = codes.map((c) => createHash("sha256").update(c.replaceAll("-", "")).digest("hex"));
    expect(hashes).toEqual(expected);
  });
});

describe("useRecoveryCode", () => {
  const { codes, hashes } = newRecoveryCodes();

  test("a valid code is accepted and removed from the remaining hashes", () => {
    const result = useRecoveryCode(codes[3], hashes);
    expect(result.ok).toBe(true);
    expect(result.remaining).toHaveLength(9);
    expect(result.remaining).not.toContain(hashes[3]);
  });

  test("a code works only once", () => {
    const first = useRecoveryCode(codes[0], hashes);
    expect(useRecoveryCode(codes[0], first.remaining).ok).toBe(false);
  });

  test("case, spaces and missing dashes do not matter", () => {
    const typed = codes[1].toUpperCase().replaceAll("-", " ");
    expect(useRecoveryCode(typed, hashes).ok).toBe(true);
    expect(useRecoveryCode(codes[1].replaceAll("-", ""), hashes).ok).toBe(true);
  });

  test("look-alike letters O, I and L count as 0, 1 and 1", () => {
    const {
      codes: [code],
      hashes: stored,
    } = newRecoveryCodes(1, (n) => new Uint8Array(n).fill(1).fill(0, 0, 4));
    expect(code).toBe("0000-1111-1111");
    expect(useRecoveryCode("OoOo-IiIi-LlLl", stored).ok).toBe(true);
  });

  test("a wrong code is refused and the hashes stay as they were", () => {
    const result = useRecoveryCode("aaaa-bbbb-cccc", hashes);
    expect(result).toEqual({ ok: false, remaining: hashes });
    expect(result.remaining).not.toBe(hashes);
  });

  test("a stored hash is the hash of the normalised code", () => {
    expect(hashRecoveryCode("K7VQ 2MXD 9TRP")).toBe(hashRecoveryCode("k7vq-2mxd-9trp"));
  });
});
