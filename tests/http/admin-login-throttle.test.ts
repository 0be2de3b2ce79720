/**
 * The login throttle under parallel attack, through real HTTP from distinct client addresses: an
 * attempt is counted before its password is hashed, so a burst cannot pass the limit; a lock hurts the
 * attacking address, not the owner, who still gets in with password and code from an address that has
 * not failed; every refusal and failure is in the audit log. The gateway's clock is injected and stands
 * still, so no delay runs out during the test.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { currentCode } from "../../src/auth/totp.ts";
import { systemClock } from "../../src/pipeline/clock.ts";
import type { Clock } from "../../src/plugin/types.ts";
import { type AdminAnswer, AdminClient } from "../helpers/admin-client.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

const PASSWORD = "correct staple horse battery";
const T0 = 1_800_000_000_000;
const clock: Clock = {
  now: () => T0,
  localTime: systemClock.localTime,
  sleep: systemClock.sleep,
  setTimer: systemClock.setTimer,
};
let h: Harness;
let owner: AdminClient;
let totpSecret = "";

beforeAll(async () => {
  h = await startHarness({
    adminPassword: PASSWORD,
    config: () => `  tiers: { t1: { models: ["a/good"] } },`,
    deps: { clock },
  });
  owner = new AdminClient(h.url, "127.0.0.1");
  await owner.login("admin", PASSWORD);
  totpSecret = (await owner.call("POST", "/api/auth/totp/enrol")).json.secret as string;
  expect((await owner.call("POST", "/api/auth/totp/confirm", { code: await currentCode(totpSecret, T0) })).status).toBe(
    200,
  );
});
afterAll(() => h.stop());

/** `count` wrong logins for `username` at once, from `from`. */
function burst(username: string, count: number, from: string): Promise<AdminAnswer[]> {
  const client = new AdminClient(h.url, from);
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      client.call("POST", "/api/auth/login", { username, password: `wrong guess ${i}`, code: "123456" }),
    ),
  );
}

const auditOf = async () =>
  (await owner.call("GET", "/api/audit?limit=500")).json.entries as {
    action: string;
    actor: string;
    clientIp: string | null;
    detail: Record<string, unknown> | null;
  }[];

describe("parallel wrong passwords", () => {
  test("200 at once against one account: at most the limit are checked, the rest get 429 with Retry-After", async () => {
    const answers = await burst("victim", 200, "127.0.0.2");
    const checked = answers.filter((a) => a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    expect(checked.length + refused.length).toBe(200);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(10);
    for (const answer of refused) expect(Number(answer.headers["retry-after"])).toBeGreaterThan(0);
    // What was checked is what the audit log says failed: nothing else reached the password hash.
    const failed = (await auditOf()).filter((e) => e.action === "login.failed" && e.actor === "victim");
    expect(failed.length).toBe(checked.length);
  });
});

describe("an attack on the owner's account", () => {
  test("guesses from many addresses do not lock the owner out: password and code from a fresh address get in", async () => {
    for (let i = 10; i < 30; i++) await burst("admin", 12, `127.0.0.${i}`);
    const fresh = new AdminClient(h.url, "127.0.0.200");
    const login = await fresh.call("POST", "/api/auth/login", {
      username: "admin",
      password: PASSWORD,
      code: await currentCode(totpSecret, T0 + 30_000),
    });
    expect(login.status).toBe(200);
    expect((await fresh.call("GET", "/api/auth/me")).json.username).toBe("admin");
  });

  test("an address that guessed is held back on the attacked account, even with the right password", async () => {
    const attacker = await new AdminClient(h.url, "127.0.0.10").call("POST", "/api/auth/login", {
      username: "admin",
      password: PASSWORD,
    });
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers["retry-after"])).toBeGreaterThan(0);
    // One failure on another account is enough to lose the fresh address's pass during the attack.
    await burst("someone-else", 1, "127.0.0.50");
    const elsewhere = await new AdminClient(h.url, "127.0.0.50").call("POST", "/api/auth/login", {
      username: "admin",
      password: PASSWORD,
    });
    expect(elsewhere.status).toBe(429);
  });

  test("refusals, failures and the login during the attack are audited, with their addresses", async () => {
    const entries = (await auditOf()).filter((e) => e.actor === "admin");
    const throttled = entries.filter((e) => e.action === "login.throttled");
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.some((e) => e.detail?.scope === "pair")).toBe(true);
    expect(throttled.some((e) => e.detail?.scope === "account" && e.clientIp === "127.0.0.50")).toBe(true);
    expect(entries.filter((e) => e.action === "login.failed").length).toBeGreaterThanOrEqual(20);
    expect(entries.find((e) => e.action === "login" && e.clientIp === "127.0.0.200")?.detail).toMatchObject({
      accountSlowed: true,
    });
  });
});
