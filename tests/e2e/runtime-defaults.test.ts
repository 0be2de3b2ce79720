/**
 * `bun src/main.ts` relaunches itself once with the runtime settings Bun reads only at start
 * (`src/runtime-defaults.ts`: the upstream fetch limit). The child that serves must carry them, and the
 * operator's own runtime settings (a default's value, or another such as the GC's sizing) must reach it.
 */

import { afterEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { RUNTIME_DEFAULTS } from "../../src/runtime-defaults.ts";
import { type GatewayProcess, startGatewayProcess } from "../helpers/gateway-process.ts";

const CONFIG = `  tiers: { t1: { models: ["a/m"] } },`;
let gateway: GatewayProcess | undefined;

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
});

/** The environment of the process serving requests: the launcher's one child. */
function servingEnv(launcher: number): Map<string, string> {
  const children = readFileSync(`/proc/${launcher}/task/${launcher}/children`, "utf8").trim().split(/\s+/);
  expect(children).toHaveLength(1);
  const entries = readFileSync(`/proc/${children[0]}/environ`, "utf8").split("\0").filter(Boolean);
  return new Map(entries.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]));
}

test("the serving process runs with the runtime defaults", async () => {
  gateway = await startGatewayProcess({ config: CONFIG });
  const env = servingEnv(gateway.pid);
  for (const [key, value] of Object.entries(RUNTIME_DEFAULTS)) expect(env.get(key)).toBe(value);
  expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
});

test("the operator's runtime settings reach the serving process", async () => {
  gateway = await startGatewayProcess({ config: CONFIG, env: { BUN_JSC_forceRAMSize: String(128 * 1024 * 1024) } });
  const env = servingEnv(gateway.pid);
  expect(env.get("BUN_JSC_forceRAMSize")).toBe(String(128 * 1024 * 1024));
  expect(env.get("BUN_CONFIG_MAX_HTTP_REQUESTS")).toBe(RUNTIME_DEFAULTS.BUN_CONFIG_MAX_HTTP_REQUESTS);
});
