/**
 * Skipped entries (`hasKey && openai({...})`): `false`, `null` and `undefined` in the config's lists and
 * as providers are valid, left out at resolution, and issues keep naming entries by their written index.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keywordClassifier, modelParams, simulated, statusCodeRetry } from "../../plugins/index.ts";
import { loadConfig } from "../../src/config/load.ts";
import { resolveConfig } from "../../src/config/resolve.ts";
import { ConfigSchema } from "../../src/config/schema.ts";
import { definePlugin } from "../../src/index.ts";
import { ROOT } from "../helpers/gateway-harness.ts";

const off = false as boolean;

describe("resolution", () => {
  test("leaves skipped providers, models, plugins and keys out", () => {
    const classifier = keywordClassifier({ rules: [{ tier: "t1", match: ["x"] }] });
    const rule = statusCodeRetry({ codes: [429] });
    const adapter = modelParams({ defaults: { temperature: 0.5 } });
    const observer = definePlugin({ name: "test:observer", onComplete() {} });
    const { config, issues } = resolveConfig({
      auth: { apiKeys: [off && "secret", "kept", null] },
      providers: { live: off && simulated(), sim: simulated(), gone: undefined },
      tiers: { t1: { models: [off && "live/big", "sim/small", null, undefined] } },
      classifiers: [null, classifier, off && classifier],
      retry: { rules: [undefined, rule] },
      adapters: [off && adapter, adapter],
      plugins: [false, observer, null],
    });
    expect(issues).toEqual([]);
    expect(Object.keys(config!.providers)).toEqual(["sim"]);
    expect(config!.tiers.t1.targets.map((t) => t.ref)).toEqual(["sim/small"]);
    expect(config!.classifiers).toEqual([classifier]);
    expect(config!.retry.rules).toEqual([rule]);
    expect(config!.adapters).toEqual([adapter]);
    expect(config!.plugins).toEqual([observer]);
    // The built-in tool-turn plugin observes first (routing.toolTurns is on by default); then the config's own.
    expect(config!.hooks.observers.map((p) => p.name)).toEqual(["builtin:tool-turns", observer.name]);
    expect(config!.apiKeys).toEqual(["kept"]);
  });

  test("an issue names a list entry by its index as written", () => {
    const { issues } = resolveConfig({
      providers: { sim: simulated(), other: simulated() },
      tiers: { t1: { models: [false, "nope/x"] } },
      classifiers: [null, modelParams({}) as never],
    });
    expect(issues.map((i) => i.path).sort()).toEqual(["classifiers[1]", "tiers.t1.models[1]"]);
  });

  test("a tier whose models are all skipped, or a config whose providers all are, is refused", () => {
    const { config, issues } = resolveConfig({
      providers: { a: off && simulated(), b: null },
      tiers: { t1: { models: [off && "a/x", null] } },
    });
    expect(config).toBeUndefined();
    expect(issues.map((i) => i.path)).toEqual(["providers", "tiers.t1.models"]);
  });
});

describe("validation", () => {
  const dir = mkdtempSync(join(tmpdir(), "smartroute-skipped-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function load(body: string) {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}.ts`);
    writeFileSync(
      path,
      `import { defineConfig } from "${ROOT}/src/index.ts";\nimport { simulated } from "${ROOT}/plugins/index.ts";\n${body}`,
    );
    return loadConfig({ path, projectRoot: dir });
  }

  test("accepts skipped entries in a config file", async () => {
    const result = await load(`const off = Boolean(process.env.SMARTROUTE_NEVER_SET);
export default defineConfig({
  providers: { up: off && simulated(), sim: simulated() },
  tiers: { t1: { models: [off && "up/x", "sim/small"] } },
  classifiers: [off && simulated() as never, null],
});`);
    expect(result.ok).toBe(true);
  });

  test("a wrong entry in a list that allows skips is reported for what is wrong with it", async () => {
    const result = await load(`export default defineConfig({
  providers: { sim: simulated() },
  tiers: { t1: { models: ["sim/x"] } },
  plugins: [null, { name: "" } as never],
});`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      expect.objectContaining({ path: "plugins[1].name", message: "expected string length greater or equal to 1" }),
    ]);
  });

  test("the editor's schema shows list entries as they are, without the skip union", () => {
    const classifiers = (ConfigSchema.properties as Record<string, { items?: { description?: string } }>).classifiers;
    expect(classifiers.items?.description).toBe("a classifier");
  });
});
