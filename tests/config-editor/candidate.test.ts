/** Validating an edited config next to the real one, and writing it atomically. */
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isEnvRef } from "../../src/config/env.ts";
import { formatIssues } from "../../src/config/load.ts";
import { validateCandidate, writeConfigAtomically } from "../../src/config-editor/candidate.ts";
import { SecretStore, secretName } from "../../src/config-editor/secret-store.ts";
import { applyEdits } from "../../src/config-editor/source-edit.ts";
import { ROOT } from "../helpers/gateway-harness.ts";

const dir = mkdtempSync(join(tmpdir(), "smartroute-candidate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const configPath = join(dir, "gateway.config.ts");

const header = `import { defineConfig } from "${ROOT}/src/index.ts";
import { simulated } from "${ROOT}/plugins/index.ts";
`;
const valid = `${header}export default defineConfig({
  providers: { sim: simulated() },
  tiers: { t1: { models: ["sim/small"] } },
});
`;
writeFileSync(configPath, valid);
mkdirSync(join(dir, "local"));
writeFileSync(
  join(dir, "local", "pick.ts"),
  `import { definePlugin, type Classifier } from "${ROOT}/src/index.ts";
export const pick = (tier: string): Classifier => definePlugin({ name: "local:pick", classify: () => ({ tier, reason: "local" }) });
`,
);

const check = (source: string) => validateCandidate({ configPath, projectRoot: dir, source });
const lineOf = (source: string, needle: string) => source.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("validateCandidate", () => {
  test("a valid candidate loads, with the real config's name among its files", async () => {
    const result = await check(valid.replace('"sim/small"', '"sim/large"'));
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.tiers.t1.targets.map((t) => t.ref)).toEqual(["sim/large"]);
    expect(result.files.some((f) => f.includes(".candidate-"))).toBe(false);
  });

  test("an invalid candidate reports the path and its line, in the real file's name", async () => {
    const source = valid.replace("  tiers:", '  routing: {\n    unknownModel: "ignore",\n  },\n  tiers:');
    const result = await check(source);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0]).toMatchObject({
      path: "routing.unknownModel",
      file: "gateway.config.ts",
      line: lineOf(source, '"ignore"'),
    });
  });

  test("a syntax error points at the real file name", async () => {
    const result = await check(`${header}export default defineConfig({ tiers: {`);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0].file).toBe("gateway.config.ts");
    expect(JSON.stringify(result.issues)).not.toContain("candidate");
  });

  test("an exception thrown while the candidate runs points at the real file and line", async () => {
    const source = `${header}const ready = false;\nif (!ready) throw new Error("not ready");\nexport default defineConfig({});\n`;
    const result = await check(source);
    if (result.ok) throw new Error("expected issues");
    expect(result.issues[0]).toMatchObject({
      path: "(module)",
      message: "not ready",
      file: "gateway.config.ts",
      line: lineOf(source, "throw"),
    });
  });

  test("the temporary file is always removed and the real config is untouched", async () => {
    const before = readdirSync(dir).sort();
    await check(valid);
    await check("export default {");
    await check(`${header}throw new Error("x");\n`);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readFileSync(configPath, "utf8")).toBe(valid);
  });

  test("a candidate importing a local plugin next to the config resolves it", async () => {
    const source = `${header}import { pick } from "./local/pick.ts";
export default defineConfig({
  providers: { sim: simulated() },
  tiers: { t1: { models: ["sim/small"] }, t2: { models: ["sim/large"] } },
  classifiers: [pick("t2")],
});
`;
    const result = await check(source);
    if (!result.ok) throw new Error(formatIssues(result.issues));
    expect(result.config.classifiers.map((c) => c.name)).toEqual(["local:pick"]);
    expect(result.files).toContain(join(dir, "local", "pick.ts"));
  });
});

test("the admin secret flow: a typed key goes to the store, the file gets env(), the candidate loads it", async () => {
  const source = `${header.replace("{ simulated }", "{ openai, simulated }")}export default defineConfig({
  providers: { up: openai({ baseURL: "http://127.0.0.1:1/v1", apiKey: "sk-typed-in-the-file-000" }) },
  tiers: { t1: { models: ["up/small"] } },
});
`;
  const name = secretName("up", "apiKey");
  new SecretStore(join(dir, "data")).set(name, "sk-typed-in-the-ui-123");
  try {
    const edited = applyEdits(source, [{ op: "set", path: "providers.up.options.apiKey", value: { $env: name } }]);
    if ("errors" in edited) throw new Error(JSON.stringify(edited.errors));
    expect(edited.source).toContain('apiKey: env("SMARTROUTE_UP_API_KEY")');
    expect(edited.source).toContain("import { defineConfig, env } from");
    expect(edited.source).not.toContain("sk-typed");
    const result = await check(edited.source);
    if (!result.ok) throw new Error(formatIssues(result.issues));
    const apiKey = (result.config.providers.up.options as { apiKey: unknown }).apiKey;
    expect(isEnvRef(apiKey) && apiKey.value).toBe("sk-typed-in-the-ui-123");
  } finally {
    delete process.env[name];
  }
});

describe("writeConfigAtomically", () => {
  test("replaces the content, leaves no temporary file and keeps the file's mode", () => {
    const path = join(dir, "atomic.config.ts");
    writeFileSync(path, "old");
    chmodSync(path, 0o640);
    writeConfigAtomically(path, "new content\n");
    expect(readFileSync(path, "utf8")).toBe("new content\n");
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  test("creates a file that does not exist yet", () => {
    const path = join(dir, "fresh.config.ts");
    writeConfigAtomically(path, "x");
    expect(readFileSync(path, "utf8")).toBe("x");
  });
});
