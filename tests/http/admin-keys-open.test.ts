/**
 * When /v1 is open: only while no gateway key was ever created or configured, or when
 * the config says `auth: { open: true }`. Revoking keys never reopens it, across restarts too, and a
 * revoked key is refused with 401 always.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { type AdminClient, chatStatus } from "../helpers/admin-client.ts";
import { Gateways } from "../helpers/restartable-gateway.ts";

const PASSWORD = "correct staple horse battery";
const TIERS = `  tiers: { t1: { models: ["a/good"] } },`;
const gateways = new Gateways({ password: PASSWORD });
afterAll(() => gateways.close());

/** Creates a key and revokes it through the admin API; returns the key. */
async function createAndRevoke(admin: AdminClient, check?: (key: string) => Promise<void>): Promise<string> {
  await admin.login("admin", PASSWORD);
  const created = await admin.call("POST", "/api/keys", { name: "only one" });
  const key = created.json.key as string;
  await check?.(key);
  expect((await admin.call("DELETE", `/api/keys/${(created.json.record as { id: string }).id}`)).status).toBe(200);
  return key;
}

describe("revoking the only key", () => {
  test("/v1 is open before any key exists; once the only key is revoked, it and no key both get 401", async () => {
    const { gateway, admin } = await gateways.start(TIERS);
    expect(await chatStatus(gateway.url)).toBe(200);
    expect(gateway.gateway.isOpen(gateway.gateway.live.get())).toBe(true);
    const key = await createAndRevoke(admin, async (k) => expect(await chatStatus(gateway.url, k)).toBe(200));
    expect(await chatStatus(gateway.url, key)).toBe(401);
    expect(await chatStatus(gateway.url)).toBe(401);
    expect(gateway.gateway.isOpen(gateway.gateway.live.get())).toBe(false);
  });

  test("it stays closed after a restart; auth: { open: true } opens it on purpose, still refusing the revoked key", async () => {
    const first = await gateways.start(TIERS);
    const key = await createAndRevoke(first.admin);
    await gateways.stop(first);
    const again = await gateways.start(TIERS, first.dir);
    expect(await chatStatus(again.gateway.url)).toBe(401);
    expect(await chatStatus(again.gateway.url, key)).toBe(401);
    await gateways.stop(again);
    const open = await gateways.start(`  auth: { open: true },\n${TIERS}`, first.dir);
    expect(await chatStatus(open.gateway.url, key)).toBe(401);
    expect(await chatStatus(open.gateway.url, "sr-never-issued")).toBe(200); // open: an unknown key is no key
    expect(await chatStatus(open.gateway.url)).toBe(200);
  });

  test("a key removed from the config does not reopen /v1, across restarts (DESIGN §6: ever configured or created)", async () => {
    const keyed = await gateways.start(`  auth: { apiKeys: ["sr-config-key-1234567890"] },\n${TIERS}`);
    expect(await chatStatus(keyed.gateway.url)).toBe(401);
    expect(await chatStatus(keyed.gateway.url, "sr-config-key-1234567890")).toBe(200);
    await gateways.stop(keyed);
    const without = await gateways.start(TIERS, keyed.dir);
    expect(await chatStatus(without.gateway.url)).toBe(401);
    expect(without.gateway.gateway.isOpen(without.gateway.gateway.live.get())).toBe(false);
  });
});
