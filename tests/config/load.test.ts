/** Loading gateway.config.ts: defaults, resolution, and errors that name the path and the line at fault. */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatIssues, loadConfig } from "../../src/config/load.ts";
import { ROOT } from "../helpers/gateway-harness.ts";

const dir = mkdtempSync(join(tmpdir(), "smartroute-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const header = `import { defineConfig, env, definePlugin } from "${ROOT}/src/index.ts";
import { openai, simulated } from "${ROOT}/plugins/index.ts";
`;

async function load(text: string) {
  const path = join(dir, `config-${++n}.ts`);
  writeFileSync(path, header + text);
  return loadConfig({ path, projectRoot: dir });
}

function lineOf(text: string, needle: string): number {
  return (header + text).split("\n").findIndex((line) => line.includes(needle)) + 1;
}

describe("a valid config", () => {
  test("gets every default and resolves its targets", async () => {
    const result = await load(`export default defineConfig({
  providers: { up: openai({ baseURL: "http://127.0.0.1:1/v1" }) },
  tiers: { t1: { models: ["up/small", { model: "up/big", weight: 2, prefill: true }] } },
});`);
    if (!result.ok) throw new Error(formatIssues(result.issues));
    const { config } = result;
    expect(config.server).toEqual({ port: 6688, host: "0.0.0.0" });
    expect(config.routing.defaultTier).toBe("t1");
    expect(config.timeouts.totalMs).toBe(600_000);
    expect(config.tiers.t1.targets.map((t) => t.ref)).toEqual(["up/small", "up/big"]);
    expect(config.tiers.t1.targets[1]).toMatchObject({
      provider: "up",
      model: "big",
      weight: 2,
      prefill: true,
      vision: true,
    });
    expect(config.modelNames.get("small")).toBe("up/small");
  });

  test("a bare model name belongs to the only provider; tier timeouts override the top level", async () => {
    const result = await load(`export default defineConfig({
  providers: { only: simulated() },
  tiers: { fast: { models: ["tiny"], timeouts: { firstTokenMs: 1234 } } },
  timeouts: { idleMs: 99 },
});`);
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.tiers.fast.targets[0].ref).toBe("only/tiny");
    expect(result.config.tiers.fast.timeouts).toMatchObject({ firstTokenMs: 1234, idleMs: 99, connectMs: 10_000 });
    expect(result.config.routing.defaultTier).toBe("fast");
  });

  test("a function export gets the environment and the mode", async () => {
    process.env.SMARTROUTE_TEST_TIER = "t9";
    const result = await load(`export default defineConfig(({ env, mode }) => ({
  providers: { up: simulated() },
  tiers: { [env.SMARTROUTE_TEST_TIER ?? "x"]: { models: ["up/" + mode] } },
}));`);
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.tiers.t9.targets[0].ref).toBe("up/production");
  });

  test("env() references are read at load time and never printed", async () => {
    process.env.SMARTROUTE_TEST_KEY = "sk-secret-value";
    const result = await load(`const key = env("SMARTROUTE_TEST_KEY");
export default defineConfig({
  auth: { apiKeys: [key, env("SMARTROUTE_UNSET_KEY", "")] },
  providers: { up: openai({ baseURL: "http://127.0.0.1:1/v1", apiKey: key }) },
  tiers: { t1: { models: ["up/m"] } },
});`);
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.apiKeys).toEqual(["sk-secret-value"]); // the empty fallback is ignored
    expect(JSON.stringify(result.config.providers.up.options)).not.toContain("sk-secret-value");
    expect(JSON.stringify(result.config.providers.up.options)).toContain('env(\\"SMARTROUTE_TEST_KEY\\")');
  });
});

describe("an invalid config names the path and the line", () => {
  test("an unknown key", async () => {
    const text = `export default defineConfig({
  providers: { up: simulated() },
  tiers: { t1: { models: ["up/m"] } },
  timeout: { totalMs: 5 },
});`;
    const result = await load(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ path: "timeout", message: "unknown key", line: lineOf(text, "timeout:") });
  });

  test("an unknown provider in a tier", async () => {
    const text = `export default defineConfig({
  providers: { up: simulated(), other: simulated() },
  tiers: {
    t1: { models: ["up/m",
      "nope/model"] },
  },
});`;
    const result = await load(text);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0].path).toBe("tiers.t1.models[1]");
    expect(result.issues[0].message).toContain('unknown provider "nope"');
    expect(result.issues[0].line).toBe(lineOf(text, '"nope/model"'));
    expect(formatIssues(result.issues)).toMatch(/^config-\d+\.ts:\d+ tiers\.t1\.models\[1\]: unknown provider/);
  });

  test("a value of the wrong kind lists the choices", async () => {
    const result = await load(`export default defineConfig({
  providers: { up: simulated() },
  tiers: { t1: { models: ["up/m"], strategy: "fastest" as "random" } },
});`);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0].path).toBe("tiers.t1.strategy");
    expect(result.issues[0].message).toContain('expected one of "sequential", "random", "adaptive"');
  });

  test("a negative time budget", async () => {
    const result = await load(`export default defineConfig({
  providers: { up: simulated() },
  tiers: { t1: { models: ["up/m"] } },
  timeouts: { idleMs: -5 },
});`);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0].path).toBe("timeouts.idleMs");
  });

  test("an env variable that is not set", async () => {
    delete process.env.SMARTROUTE_MISSING;
    const result = await load(`export default defineConfig({
  providers: { up: openai({ baseURL: "http://127.0.0.1:1/v1", apiKey: env("SMARTROUTE_MISSING") }) },
  tiers: { t1: { models: ["up/m"] } },
});`);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0]).toMatchObject({
      path: "providers.up.options.apiKey",
      message: "environment variable SMARTROUTE_MISSING is not set",
    });
  });

  test("a default tier that does not exist", async () => {
    const result = await load(`export default defineConfig({
  providers: { up: simulated() },
  tiers: { t1: { models: ["up/m"] } },
  routing: { defaultTier: "t7" },
});`);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0].path).toBe("routing.defaultTier");
  });

  test("a plugin in the wrong list (no classify hook)", async () => {
    const result = await load(`const observer = definePlugin({ name: "local:observer", onComplete() {} });
export default defineConfig({
  providers: { up: simulated() },
  tiers: { t1: { models: ["up/m"] } },
  classifiers: [observer as never],
});`);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0].path).toBe("classifiers[0]");
    expect(result.issues[0].message).toContain("no classify() hook");
  });

  test("a syntax error names the file and line", async () => {
    const text = `export default defineConfig({
  providers: { up: simulated() },
  tiers: { t1: { models: ["up/m"], } ,, },
});`;
    const result = await load(text);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0].file).toMatch(/config-\d+\.ts$/);
    expect(result.issues[0].line).toBe(lineOf(text, ",, },"));
  });

  test("a plugin factory given bad options fails with the option and the line", async () => {
    const text = `export default defineConfig({
  providers: { up: openai({ baseURL: "ftp://nowhere" }) },
  tiers: { t1: { models: ["up/m"] } },
});`;
    const result = await load(text);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0].message).toContain("baseURL");
    expect(result.issues[0].line).toBe(lineOf(text, "ftp://nowhere"));
  });

  test("a file without a default export", async () => {
    const result = await load(`export const config = 1;`);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0].message).toContain("export default defineConfig");
  });
});
