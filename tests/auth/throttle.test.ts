import { describe, expect, test } from "bun:test";
import { type AttemptKeys, LoginThrottle } from "../../src/auth/throttle.ts";

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const alice = { account: "alice", address: "203.0.113.7" };

/** Fails `times` times, each one as soon as the throttle allows it; returns the time of the last failure. */
function failRepeatedly(throttle: LoginThrottle, keys: AttemptKeys, times: number, start = T0): number {
  let now = start;
  for (let i = 0; i < times; i++) {
    let verdict = throttle.reserve(keys, now);
    if (!verdict.allowed) {
      now += verdict.retryAfterMs;
      verdict = throttle.reserve(keys, now);
    }
    if (!verdict.allowed) throw new Error(`still refused after the wait: ${JSON.stringify(verdict)}`);
  }
  return now;
}

describe("reserving attempts", () => {
  test("a reservation counts at once: a burst at one instant gets the free attempts and no more", () => {
    const throttle = new LoginThrottle();
    const verdicts = Array.from({ length: 200 }, () => throttle.reserve(alice, T0));
    expect(verdicts.filter((v) => v.allowed).length).toBe(3); // two free failures, then the first delay is due
    expect(verdicts[3]).toEqual({ allowed: false, retryAfterMs: 1000, reason: "delay", scope: "pair" });
  });

  test("a refused attempt is not counted", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, alice, 3);
    for (let i = 0; i < 50; i++) throttle.reserve(alice, last);
    expect(throttle.reserve(alice, last + 1000).allowed).toBe(true);
  });

  test("release gives a reservation back (a correct password awaiting its code)", () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 20; i++) {
      expect(throttle.reserve(alice, T0).allowed).toBe(true);
      throttle.release(alice, T0);
    }
    expect(throttle.size("pair")).toBe(0);
  });

  test("success forgets the pair's failures; the address keeps its record of other accounts", () => {
    const throttle = new LoginThrottle({ freeFailures: 100, address: { maxFailures: 6 } });
    const bob = { account: "bob", address: alice.address };
    failRepeatedly(throttle, bob, 2);
    failRepeatedly(throttle, alice, 3);
    expect(throttle.reserve(alice, T0).allowed).toBe(true);
    throttle.succeed(alice, T0);
    expect(throttle.size("pair")).toBe(1); // bob's
    expect(throttle.reserve(bob, T0).allowed).toBe(true); // the address's sixth failure: 2 + 3 + this one
    expect(throttle.reserve(alice, T0)).toMatchObject({ allowed: false, reason: "locked", scope: "address" });
  });
});

describe("delays and locks", () => {
  test("delays grow 1 s, 2 s, 4 s … and stop at 30 s", () => {
    const throttle = new LoginThrottle({ pair: { maxFailures: 100 }, address: { maxFailures: 100 } });
    let now = failRepeatedly(throttle, alice, 3);
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const verdict = throttle.reserve(alice, now);
      if (verdict.allowed) throw new Error("expected a delay");
      delays.push(verdict.retryAfterMs);
      now += verdict.retryAfterMs;
      expect(throttle.reserve(alice, now).allowed).toBe(true);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  test("ten failures of one account from one address lock that pair for 15 minutes", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, alice, 10);
    expect(throttle.reserve(alice, last)).toEqual({
      allowed: false,
      retryAfterMs: 15 * MINUTE,
      reason: "locked",
      scope: "pair",
    });
  });

  test("a lockout expires and leaves a clean slate", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, alice, 10);
    const after = last + 15 * MINUTE;
    expect(throttle.reserve({ account: "alice", address: "192.0.2.1" }, after).allowed).toBe(true);
    expect(throttle.reserve(alice, after).allowed).toBe(true);
  });

  test("one address failing on many accounts is locked after 30 failures, on every account", () => {
    const throttle = new LoginThrottle();
    let now = T0;
    for (let i = 0; i < 30; i++)
      now = failRepeatedly(throttle, { account: `user${i}`, address: "198.51.100.1" }, 1, now);
    expect(throttle.reserve({ account: "someone-new", address: "198.51.100.1" }, now)).toMatchObject({
      allowed: false,
      reason: "locked",
      scope: "address",
    });
    expect(throttle.reserve({ account: "someone-new", address: "198.51.100.2" }, now).allowed).toBe(true);
  });

  test("failures are forgotten after 15 minutes without a new one", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, alice, 9);
    expect(throttle.reserve(alice, last + 15 * MINUTE)).toEqual({ allowed: true });
  });
});

describe("an account under attack", () => {
  /** `addresses` guessers, each failing as often as its pair allows at one instant. */
  function attack(throttle: LoginThrottle, addresses: number, now = T0): void {
    for (let i = 0; i < addresses; i++)
      for (let j = 0; j < 12; j++) throttle.reserve({ account: "alice", address: `198.51.100.${i}` }, now);
  }

  test("a lock never reaches the owner: a fresh address is let through to the check, and told the account is slowed", () => {
    const throttle = new LoginThrottle();
    attack(throttle, 20);
    expect(throttle.reserve({ account: "alice", address: "192.0.2.200" }, T0)).toEqual({
      allowed: true,
      accountSlowed: true,
    });
  });

  test("an address that has failed, on any account, is slowed on the attacked one", () => {
    const throttle = new LoginThrottle();
    attack(throttle, 20);
    throttle.reserve({ account: "carol", address: "192.0.2.50" }, T0);
    expect(throttle.reserve({ account: "alice", address: "192.0.2.50" }, T0)).toMatchObject({
      allowed: false,
      reason: "delay",
      scope: "account",
      retryAfterMs: 30_000,
    });
  });

  test("the slowdown starts at ten account failures and is forgotten after 15 minutes", () => {
    const throttle = new LoginThrottle();
    attack(throttle, 3); // 9 failures
    throttle.reserve({ account: "carol", address: "192.0.2.50" }, T0);
    expect(throttle.reserve({ account: "alice", address: "192.0.2.50" }, T0).allowed).toBe(true); // the tenth
    expect(throttle.reserve({ account: "alice", address: "192.0.2.51" }, T0)).toEqual({
      allowed: true,
      accountSlowed: true,
    });
    expect(throttle.reserve({ account: "alice", address: "192.0.2.60" }, T0 + 15 * MINUTE)).toEqual({ allowed: true });
  });

  test("without an address an attempt is never fresh", () => {
    const throttle = new LoginThrottle();
    attack(throttle, 20);
    expect(throttle.reserve({ account: "alice" }, T0)).toMatchObject({ allowed: false, scope: "account" });
  });
});

describe("memory", () => {
  test("stays bounded under a spray of random usernames", () => {
    const throttle = new LoginThrottle({ maxEntries: 100 });
    for (let i = 0; i < 5000; i++) throttle.reserve({ account: `random-${i}` }, T0 + i);
    expect(throttle.size("account")).toBeLessThanOrEqual(100);
    expect(throttle.size("pair")).toBeLessThanOrEqual(100);
  });

  test("the most recent failures survive eviction", () => {
    const throttle = new LoginThrottle({ maxEntries: 100 });
    for (let i = 0; i < 500; i++) throttle.reserve({ account: `random-${i}` }, T0);
    throttle.reserve({ account: "random-499" }, T0);
    throttle.reserve({ account: "random-499" }, T0);
    expect(throttle.reserve({ account: "random-499" }, T0).allowed).toBe(false);
  });

  test("an attempt without keys is allowed", () => {
    expect(new LoginThrottle().reserve({}, T0)).toEqual({ allowed: true });
  });
});
