/**
 * The shipped gateway.config.ts: a provider whose key is in the environment is live and leads its tiers;
 * without keys those providers and models are left out (skipped entries), and the simulated ones remain.
 */
import { afterAll, afterEach, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatIssues, loadConfig } from "../../src/config/load.ts";
import { ROOT } from "../helpers/gateway-harness.ts";

const saved = { openai: process.env.OPENAI_API_KEY, deepseek: process.env.DEEPSEEK_API_KEY };
afterEach(() => {
  for (const [name, value] of [
    ["OPENAI_API_KEY", saved.openai],
    ["DEEPSEEK_API_KEY", saved.deepseek],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

// A copy in a directory of its own: a load re-evaluates the project root's modules, and this test
// process's own plugins/ and tests/ modules must keep their identity.
const dir = mkdtempSync(join(tmpdir(), "smartroute-demo-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const demo = readFileSync(join(ROOT, "gateway.config.ts"), "utf8").replaceAll('from "./', `from "${ROOT}/`);
writeFileSync(join(dir, "gateway.config.ts"), demo);

async function loadDemo() {
  const result = await loadConfig({ path: join(dir, "gateway.config.ts"), projectRoot: dir });
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return result.config;
}

test("without provider keys, only the simulated providers and models are there", async () => {
  delete process.env.OPENAI_API_KEY;
  delete process.env.DEEPSEEK_API_KEY;
  const config = await loadDemo();
  expect(Object.keys(config.providers).sort()).toEqual(["flaky", "sim"]);
  expect(config.tiers.t1.targets.map((t) => t.ref)).toEqual(["flaky/small", "sim/small"]);
  expect(config.tiers.t3.targets.map((t) => t.ref)).toEqual(["sim/large"]);
});

test("with an OpenAI key, OpenAI is live and comes first in each tier", async () => {
  process.env.OPENAI_API_KEY = "sk-test";
  delete process.env.DEEPSEEK_API_KEY;
  const config = await loadDemo();
  expect(config.providers.openai.mode).toBe("live");
  expect("deepseek" in config.providers).toBe(false);
  expect(config.tiers.t1.targets.map((t) => t.ref)).toEqual(["openai/gpt-4o-mini", "flaky/small", "sim/small"]);
  expect(config.tiers.t3.targets[0].ref).toBe("openai/o3");
});
