import { describe, expect, test } from "bun:test";
import { currentCode, newTotpSecret, otpauthUri, qrSvg, verifyTotp } from "../../src/auth/totp.ts";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/** 15 s into a step, so ±30 s stays one step away on either side. */
const NOW = 1_700_000_015_000;
const STEP = Math.floor(NOW / 30_000);

const check = async (codeAt: number, lastStep?: number) =>
  verifyTotp({ secret: SECRET, code: await currentCode(SECRET, codeAt), lastStep, now: NOW });

describe("enrolment helpers", () => {
  test("a new secret is 32 base32 characters (160 bits) and random", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  test("the otpauth URI names the SmartRoute issuer, the account and the secret", () => {
    const uri = new URL(otpauthUri({ secret: SECRET, account: "admin" }));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/SmartRoute:admin");
    expect(uri.searchParams.get("issuer")).toBe("SmartRoute");
    expect(uri.searchParams.get("secret")).toBe(SECRET);
  });

  test("the QR code is an SVG document", () => {
    const svg = qrSvg(otpauthUri({ secret: SECRET, account: "admin" }));
    expect(svg).toStartWith("<svg");
    expect(svg).toContain("</svg>");
  });
});

describe("verifyTotp", () => {
  test("the code for now is accepted, with the current step", async () => {
    expect(await check(NOW)).toEqual({ ok: true, step: STEP });
  });

  test("the code from 30 s ago is accepted (client clock behind)", async () => {
    expect(await check(NOW - 30_000)).toEqual({ ok: true, step: STEP - 1 });
  });

  test("the code for 30 s ahead is accepted (client clock ahead)", async () => {
    expect(await check(NOW + 30_000)).toEqual({ ok: true, step: STEP + 1 });
  });

  test("the code from 60 s ago is refused", async () => {
    expect(await check(NOW - 60_000)).toEqual({ ok: false, reason: "invalid" });
  });

  test("the code for 60 s ahead is refused", async () => {
    expect(await check(NOW + 60_000)).toEqual({ ok: false, reason: "invalid" });
  });

  test("the same step used twice is a replay", async () => {
    expect(await check(NOW, STEP)).toEqual({ ok: false, reason: "replayed" });
  });

  test("an older step than the last used one is a replay, even inside the window", async () => {
    expect(await check(NOW - 30_000, STEP)).toEqual({ ok: false, reason: "replayed" });
  });

  test("a later code after a used one is accepted", async () => {
    expect(await check(NOW + 30_000, STEP)).toEqual({ ok: true, step: STEP + 1 });
  });

  test("a last step beyond the window (clock went back) refuses without throwing", async () => {
    expect(await check(NOW, STEP + 10)).toEqual({ ok: false, reason: "replayed" });
  });

  test("a wrong code is invalid", async () => {
    const right = await currentCode(SECRET, NOW);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    expect(await verifyTotp({ secret: SECRET, code: wrong, now: NOW })).toEqual({ ok: false, reason: "invalid" });
  });

  test("malformed codes are invalid, not errors", async () => {
    for (const code of ["", "12345", "1234567", "12a456", "１２３４５６"]) {
      expect(await verifyTotp({ secret: SECRET, code, now: NOW })).toEqual({ ok: false, reason: "invalid" });
    }
  });

  test('spaces inside the code are ignored, as apps display "123 456"', async () => {
    const code = await currentCode(SECRET, NOW);
    const spaced = `${code.slice(0, 3)} ${code.slice(3)}`;
    expect(await verifyTotp({ secret: SECRET, code: spaced, lastStep: null, now: NOW })).toEqual({
      ok: true,
      step: STEP,
    });
  });
});
