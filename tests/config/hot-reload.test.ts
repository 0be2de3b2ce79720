/**
 * Hot reload through a running gateway: edits on disk (the config, or a plugin file it imports) take
 * effect without a restart; a broken edit is rejected and the old config keeps serving; a request in
 * flight finishes on the config it started with.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { mockReply } from "../../bench/mock-upstream.ts";
import { collectStream, configSource, type Harness, ROOT, startHarness } from "../helpers/gateway-harness.ts";

const pluginSource = (tier: string) => `import { definePlugin, type Classifier } from "${ROOT}/src/index.ts";
export function pickTier(): Classifier {
  return definePlugin({ name: "local:pick-tier", classify: () => ({ tier: "${tier}", reason: "edited on disk" }) });
}
`;
const tiers = (t1Model: string) => `
  tiers: {
    t1: { models: ["a/${t1Model}"] },
    t2: { models: ["b/second"] },
    slow: { models: ["a/slow?tokens=15&chunkDelayMs=20"] },
  },
  classifiers: [pickTier()],`;
const imports = `import { pickTier } from "./pick-tier.ts";`;

let h: Harness;
const msg = [{ role: "user" as const, content: "hi" }];

beforeAll(async () => {
  h = await startHarness({
    watch: true,
    files: { "pick-tier.ts": pluginSource("t1") },
    imports,
    config: () => tiers("first"),
  });
  expect(await modelFor("auto")).toBe("a/first");
});
afterAll(() => h.stop());

async function modelFor(model: string): Promise<string | null> {
  const { response } = await h.client.chat.completions.create({ model, messages: msg }).withResponse();
  return response.headers.get("x-gateway-model");
}

/** Polls until `check` holds; fails after `ms`. Reload must land well within a second. */
async function waitFor(check: () => Promise<boolean> | boolean, ms = 1500): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < ms) {
    if (await check()) return performance.now() - start;
    await Bun.sleep(20);
  }
  throw new Error(`condition not met within ${ms} ms`);
}

test("an edit of the config file is active within a second, without a restart", async () => {
  const version = h.running.gateway.live.version;
  h.writeConfig(configSource(h.mock.url, tiers("edited"), imports));
  const ms = await waitFor(async () => (await modelFor("t1")) === "a/edited");
  expect(ms).toBeLessThan(1000);
  expect(h.running.gateway.live.version).toBe(version + 1);
});

test("an edit of a plugin file the config imports takes effect", async () => {
  expect(await modelFor("auto")).toBe("a/edited");
  writeFileSync(join(h.dir, "pick-tier.ts"), pluginSource("t2"));
  await waitFor(async () => (await modelFor("auto")) === "b/second");
});

test("a broken edit is rejected with file and line; the previous config keeps serving", async () => {
  const version = h.running.gateway.live.version;
  h.writeConfig(configSource(h.mock.url, `  tiers: { t1: { models: ["zzz/broken"] } },`, imports));
  await waitFor(() => h.running.gateway.live.lastIssues !== undefined);
  const issue = h.running.gateway.live.lastIssues![0];
  expect(issue.path).toBe("tiers.t1.models[0]");
  expect(issue.file).toBe("gateway.config.ts");
  expect(issue.line).toBeGreaterThan(1);
  expect(h.log.lines.some((l) => l.includes("config reload rejected") && l.includes("gateway.config.ts:"))).toBe(true);
  expect(h.running.gateway.live.version).toBe(version);
  expect(await modelFor("t1")).toBe("a/edited");
  // a syntax error too
  h.writeConfig("export default defineConfig({ oops: ,, });");
  await waitFor(() => h.running.gateway.live.lastIssues?.[0]?.path === "(module)");
  expect(h.running.gateway.live.lastIssues![0].line).toBe(1);
  expect(await modelFor("t1")).toBe("a/edited");
  // and fixing it recovers
  h.writeConfig(configSource(h.mock.url, tiers("fixed"), imports));
  await waitFor(async () => (await modelFor("t1")) === "a/fixed");
  expect(h.running.gateway.live.lastIssues).toBeUndefined();
});

test("a stream in flight during a reload completes on the config it started with", async () => {
  const stream = await h.client.chat.completions.create({ model: "slow", messages: msg, stream: true }).withResponse();
  h.writeConfig(
    configSource(
      h.mock.url,
      tiers("after-reload").replace("a/slow?tokens=15&chunkDelayMs=20", "b/other-slow"),
      imports,
    ),
  );
  const { text, error } = await collectStream(stream.data);
  expect(error).toBeUndefined();
  expect(text).toBe(mockReply(15));
  expect(stream.response.headers.get("x-gateway-model")).toBe("a/slow?tokens=15&chunkDelayMs=20");
  await waitFor(async () => (await modelFor("slow")) === "b/other-slow");
});
