/**
 * When /v1 is open: only while no gateway key was ever created and the config declares none, or when
 * the config says `auth: { open: true }`. Revoking keys never reopens it, across restarts too, and a
 * revoked key is refused with 401 always.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configSource, recordingLogger } from "../helpers/gateway-harness.ts";
import { AdminClient, chatStatus } from "../helpers/admin-client.ts";
import { startMockUpstream, type MockUpstream } from "../../bench/mock-upstream.ts";
import { startGateway, type RunningGateway } from "../../src/main.ts";

const PASSWORD = "correct staple horse battery";
const TIERS = `  tiers: { t1: { models: ["a/good"] } },`;
let mock: MockUpstream;
const dirs: string[] = [];
const running: RunningGateway[] = [];

/**
 * A gateway on `dir`'s config file and data directory (made when not given); on a `dir` used before,
 * it is a restart. In-process restarts only follow gateways that logged no /v1 request: the log
 * writer's connection outlives its stop in this process (not a concern of the test).
 */
async function start(config: string, dir = mkdtempSync(join(tmpdir(), "smartroute-open-"))): Promise<{ gateway: RunningGateway; admin: AdminClient; dir: string }> {
  if (!dirs.includes(dir)) dirs.push(dir);
  const configPath = join(dir, "gateway.config.ts");
  writeFileSync(configPath, configSource(mock.url, config));
  const gateway = await startGateway({ configPath, projectRoot: dir, dataDir: join(dir, "data"), port: 0, host: "127.0.0.1", log: recordingLogger(), watch: false, adminPassword: PASSWORD });
  running.push(gateway);
  const admin = new AdminClient(gateway.url);
  await admin.login("admin", PASSWORD);
  return { gateway, admin, dir };
}

/** Creates a key and revokes it through the admin API; returns the key. */
async function createAndRevoke(admin: AdminClient, check?: (key: string) => Promise<void>): Promise<string> {
  const created = await admin.call("POST", "/api/keys", { name: "only one" });
  const key = created.json.key as string;
  await check?.(key);
  expect((await admin.call("DELETE", `/api/keys/${(created.json.record as { id: string }).id}`)).status).toBe(200);
  return key;
}

beforeAll(() => {
  mock = startMockUpstream();
});
afterAll(async () => {
  for (const gateway of running.splice(0)) await gateway.stop().catch(() => {});
  await mock.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("revoking the only key", () => {
  test("/v1 is open before any key exists; once the only key is revoked, it and no key both get 401", async () => {
    const { gateway, admin } = await start(TIERS);
    expect(await chatStatus(gateway.url)).toBe(200);
    expect(gateway.gateway.isOpen(gateway.gateway.live.get())).toBe(true);
    const key = await createAndRevoke(admin, async (k) => expect(await chatStatus(gateway.url, k)).toBe(200));
    expect(await chatStatus(gateway.url, key)).toBe(401);
    expect(await chatStatus(gateway.url)).toBe(401);
    expect(gateway.gateway.isOpen(gateway.gateway.live.get())).toBe(false);
  });

  test("it stays closed after a restart; auth: { open: true } opens it on purpose, still refusing the revoked key", async () => {
    const first = await start(TIERS);
    const key = await createAndRevoke(first.admin);
    await running.pop()!.stop();
    const again = await start(TIERS, first.dir);
    expect(await chatStatus(again.gateway.url)).toBe(401);
    expect(await chatStatus(again.gateway.url, key)).toBe(401);
    await running.pop()!.stop();
    const open = await start(`  auth: { open: true },\n${TIERS}`, first.dir);
    expect(await chatStatus(open.gateway.url, key)).toBe(401);
    expect(await chatStatus(open.gateway.url, "sr-never-issued")).toBe(200); // open: an unknown key is no key
    expect(await chatStatus(open.gateway.url)).toBe(200);
  });
});
