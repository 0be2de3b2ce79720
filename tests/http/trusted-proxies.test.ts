/**
 * The client address behind a load balancer: X-Forwarded-For is believed only from the proxies named in
 * GATEWAY_TRUSTED_PROXIES, read from the right; unset, a client cannot choose its own address. Checked
 * on the function, and through a real gateway where the address is what the login audit records.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientAddress, trustedProxies } from "../../src/http/trusted-proxies.ts";
import type { RunningGateway } from "../../src/main.ts";
import { AdminClient } from "../helpers/admin-client.ts";
import { configSource } from "../helpers/gateway-harness.ts";
import { inProcess } from "../helpers/postgres.ts";

describe("clientAddress", () => {
  const lb = trustedProxies("10.0.0.0/8, 192.168.1.7, ::1");

  test("unset or from an untrusted socket, the header is ignored", () => {
    expect(clientAddress("203.0.113.9", "1.2.3.4", undefined)).toBe("203.0.113.9");
    expect(clientAddress("203.0.113.9", "1.2.3.4", lb)).toBe("203.0.113.9");
  });

  test("from a trusted proxy, the right-most hop no trusted proxy stands for is the client", () => {
    expect(clientAddress("10.1.2.3", "198.51.100.4", lb)).toBe("198.51.100.4");
    // A client that wrote its own header: only what the trusted hops added counts.
    expect(clientAddress("10.1.2.3", "6.6.6.6, 198.51.100.4, 192.168.1.7", lb)).toBe("198.51.100.4");
    expect(clientAddress("::ffff:10.1.2.3", "198.51.100.4", lb)).toBe("198.51.100.4");
    expect(clientAddress("::1", "2001:db8::5", lb)).toBe("2001:db8::5");
    // A hop that is no address ends the chain where it stands.
    expect(clientAddress("10.1.2.3", "198.51.100.4, garbage", lb)).toBe("10.1.2.3");
    // Every hop trusted: the left-most one.
    expect(clientAddress("10.1.2.3", "10.9.9.9", lb)).toBe("10.9.9.9");
  });

  test("a bad entry is refused naming it", () => {
    expect(trustedProxies(" ")).toBeUndefined();
    expect(() => trustedProxies("10.0.0.0/8, lb.internal")).toThrow(
      '"lb.internal" is not an IP address or a CIDR range',
    );
  });
});

describe("through a gateway", () => {
  let running: RunningGateway | undefined;
  let dir = "";
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(trusted?: string) {
    dir = mkdtempSync(join(tmpdir(), "smartroute-proxies-"));
    writeFileSync(
      join(dir, "gateway.config.ts"),
      configSource("http://127.0.0.1:9/v1", `tiers: { t1: { models: ["a/m1"] } },`),
    );
    running = await inProcess(dir, "data", { adminPassword: "correct staple horse battery", trustedProxies: trusted });
    return running.url;
  }

  /** Signs in with the header set, then answers the address the audit trail recorded for it. */
  async function loginSeenFrom(url: string, forwardedFor: string): Promise<string> {
    const response = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-smartroute-request": "1", "x-forwarded-for": forwardedFor },
      body: JSON.stringify({ username: "admin", password: "correct staple horse battery" }),
    });
    expect(response.status).toBe(200);
    const admin = new AdminClient(url);
    admin.cookie = (response.headers.get("set-cookie") ?? "").split(";")[0];
    const entries = (await admin.call("GET", "/api/audit?action=login")).json.entries as { clientIp: string }[];
    return entries[0].clientIp;
  }

  test("with the balancer trusted, the forwarded client is who signed in", async () => {
    const url = await start("127.0.0.1");
    expect(await loginSeenFrom(url, "198.51.100.4")).toBe("198.51.100.4");
  });

  test("without GATEWAY_TRUSTED_PROXIES, a forged header changes nothing", async () => {
    const url = await start();
    expect(await loginSeenFrom(url, "198.51.100.4")).toBe("127.0.0.1");
  });
});
