import { describe, expect, test } from "bun:test";
import { addressKey } from "../../src/auth/address-key.ts";

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
