import { describe, expect, test } from "bun:test";
import { addressKey, LoginThrottle } from "../../src/auth/throttle.ts";

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const alice = { account: "alice", address: "203.0.113.7" };

/** Fails `times` times, each one as soon as the throttle allows it; returns the time of the last failure. */
function failRepeatedly(throttle: LoginThrottle, keys: { account?: string; address?: string }, times: number, start = T0): number {
  let now = start;
  for (let i = 0; i < times; i++) {
    const verdict = throttle.check(keys, now);
    if (!verdict.allowed) now += verdict.retryAfterMs;
    throttle.fail(keys, now);
  }
  return now;
}

describe("LoginThrottle", () => {
  test("the first two failures cost no delay", () => {
    const throttle = new LoginThrottle();
    throttle.fail(alice, T0);
    throttle.fail(alice, T0);
    expect(throttle.check(alice, T0)).toEqual({ allowed: true });
  });

  test("delays grow 1 s, 2 s, 4 s … and stop at 30 s", () => {
    const throttle = new LoginThrottle();
    const delays: number[] = [];
    let now = failRepeatedly(throttle, { account: "alice" }, 2);
    for (let i = 0; i < 7; i++) {
      throttle.fail({ account: "alice" }, now);
      const verdict = throttle.check({ account: "alice" }, now);
      if (verdict.allowed) throw new Error("expected a delay");
      expect(verdict.reason).toBe("delay");
      delays.push(verdict.retryAfterMs);
      now += verdict.retryAfterMs;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  test("an attempt is allowed again once the delay has passed", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, alice, 3);
    expect(throttle.check(alice, last + 999)).toMatchObject({ allowed: false, retryAfterMs: 1 });
    expect(throttle.check(alice, last + 1000)).toEqual({ allowed: true });
  });

  test("ten account failures lock the account for 15 minutes", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, { account: "alice" }, 10);
    expect(throttle.check({ account: "alice" }, last)).toEqual({ allowed: false, retryAfterMs: 15 * MINUTE, reason: "locked" });
  });

  test("a lockout expires and leaves a clean slate", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, { account: "alice" }, 10);
    const after = last + 15 * MINUTE;
    expect(throttle.check({ account: "alice" }, after)).toEqual({ allowed: true });
    throttle.fail({ account: "alice" }, after);
    expect(throttle.check({ account: "alice" }, after)).toEqual({ allowed: true });
  });

  test("one address failing on many accounts is locked after 30 failures", () => {
    const throttle = new LoginThrottle();
    let now = T0;
    for (let i = 0; i < 30; i++) {
      const keys = { account: `user${i}`, address: "198.51.100.1" };
      const verdict = throttle.check(keys, now);
      if (!verdict.allowed) now += verdict.retryAfterMs;
      throttle.fail(keys, now);
    }
    expect(throttle.check({ account: "someone-new", address: "198.51.100.1" }, now)).toMatchObject({ allowed: false, reason: "locked" });
    expect(throttle.check({ account: "someone-new", address: "198.51.100.2" }, now)).toEqual({ allowed: true });
  });

  test("a locked account stays locked from every address", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, alice, 10);
    expect(throttle.check({ account: "alice", address: "192.0.2.99" }, last)).toMatchObject({ allowed: false, reason: "locked" });
  });

  test("account and address are counted separately", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, alice, 3);
    expect(throttle.check({ account: "bob", address: "192.0.2.99" }, last).allowed).toBe(true);
    expect(throttle.check({ account: "bob", address: alice.address }, last).allowed).toBe(false);
    expect(throttle.check({ account: "alice", address: "192.0.2.99" }, last).allowed).toBe(false);
  });

  test("a lock on one key wins over a delay on the other", () => {
    const throttle = new LoginThrottle({ account: { maxFailures: 3 } });
    const last = failRepeatedly(throttle, alice, 3);
    expect(throttle.check(alice, last)).toMatchObject({ allowed: false, reason: "locked" });
  });

  test("success clears the account's failures but not the address's", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, alice, 4);
    throttle.succeed(alice, last);
    expect(throttle.check({ account: "alice" }, last)).toEqual({ allowed: true });
    expect(throttle.check({ address: alice.address }, last).allowed).toBe(false);
  });

  test("failures are forgotten after 15 minutes without a new one", () => {
    const throttle = new LoginThrottle();
    const last = failRepeatedly(throttle, alice, 9);
    throttle.fail(alice, last + 15 * MINUTE);
    expect(throttle.check(alice, last + 15 * MINUTE)).toEqual({ allowed: true });
  });

  test("memory stays bounded under a spray of random usernames", () => {
    const throttle = new LoginThrottle({ maxEntries: 100 });
    for (let i = 0; i < 5000; i++) throttle.fail({ account: `random-${i}` }, T0 + i);
    expect(throttle.size("account")).toBeLessThanOrEqual(100);
  });

  test("the most recent failures survive eviction", () => {
    const throttle = new LoginThrottle({ maxEntries: 100 });
    for (let i = 0; i < 500; i++) throttle.fail({ account: `random-${i}` }, T0);
    throttle.fail({ account: "random-499" }, T0);
    throttle.fail({ account: "random-499" }, T0);
    expect(throttle.check({ account: "random-499" }, T0).allowed).toBe(false);
  });

  test("an attempt without keys is allowed", () => {
    expect(new LoginThrottle().check({}, T0)).toEqual({ allowed: true });
  });
});

describe("addressKey", () => {
  test("an IPv4 address is its own key", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
  });

  test("IPv4-mapped IPv6 counts as the IPv4 address, in either notation", () => {
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::FFFF:cb00:7107")).toBe("203.0.113.7");
  });

  test("IPv6 addresses in one /64 share a key", () => {
    expect(addressKey("2001:db8:1:2::1")).toBe(addressKey("2001:0db8:0001:0002:ffff:ffff:ffff:fffe"));
    expect(addressKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
  });

  test("IPv6 addresses in different /64s do not", () => {
    expect(addressKey("2001:db8:1:2::1")).not.toBe(addressKey("2001:db8:1:3::1"));
  });

  test("brackets and zone ids are ignored", () => {
    expect(addressKey("[fe80::1%eth0]")).toBe("fe80:0:0:0::/64");
  });
});
