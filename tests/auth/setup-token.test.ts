import { describe, expect, test } from "bun:test";
import { createSetupToken } from "../../src/auth/setup-token.ts";

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;

describe("setup token", () => {
  test("is 32 random bytes, URL-safe, valid for an hour by default", () => {
    const setup = createSetupToken(NOW);
    expect(setup.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setup.expiresAt).toBe(NOW + HOUR);
  });

  test("two tokens differ", () => {
    expect(createSetupToken(NOW).token).not.toBe(createSetupToken(NOW).token);
  });

  test("honours a custom lifetime", () => {
    expect(createSetupToken(NOW, 60_000).expiresAt).toBe(NOW + 60_000);
  });

  test("the right token is consumed once", () => {
    const setup = createSetupToken(NOW);
    expect(setup.consume(setup.token, NOW + 1)).toBe(true);
    expect(setup.consume(setup.token, NOW + 2)).toBe(false);
  });

  test("a wrong token is refused and does not use the right one up", () => {
    const setup = createSetupToken(NOW);
    expect(setup.consume(`${setup.token.slice(0, -1)}x`, NOW)).toBe(false);
    expect(setup.consume("", NOW)).toBe(false);
    expect(setup.consume(setup.token, NOW)).toBe(true);
  });

  test("an expired token is refused", () => {
    const setup = createSetupToken(NOW);
    expect(setup.consume(setup.token, NOW + HOUR)).toBe(false);
  });

  test("checking a token with matches does not consume it", () => {
    const setup = createSetupToken(NOW);
    expect(setup.matches(setup.token, NOW)).toBe(true);
    expect(setup.consume(setup.token, NOW)).toBe(true);
    expect(setup.matches(setup.token, NOW)).toBe(false);
  });

  test("is spent once used or expired", () => {
    const setup = createSetupToken(NOW);
    expect(setup.spent(NOW)).toBe(false);
    expect(setup.spent(NOW + HOUR)).toBe(true);
    setup.consume(setup.token, NOW);
    expect(setup.spent(NOW)).toBe(true);
  });
});
