/**
 * A refused candidate lists all its problems at once, each at its config path and line: a factory's
 * bad option (the loader stops at it) gets the option's path, literals out of range and model refs to
 * providers the file lacks are added beside the loader's schema errors. Loaded for real from a file.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { completeIssues } from "../../src/config-editor/candidate-issues.ts";

const ROOT = join(import.meta.dir, "../..");
const dir = mkdtempSync(join(tmpdir(), "smartroute-issues-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (body: string) => `import { defineConfig } from "${ROOT}/src/index.ts";
import { openai, statusCodeRetry } from "${ROOT}/plugins/index.ts";

export default defineConfig({
  providers: {
    a: openai({ baseURL: "http://x.test/v1" }),
    b: openai({ baseURL: "http://y.test/v1" }),
  },
${body}
});
`;

async function issuesOf(source: string, projectRoot = dir) {
  const path = join(dir, `gateway-${Math.random().toString(36).slice(2)}.config.ts`);
  writeFileSync(path, source);
  const result = await loadConfig({ path, projectRoot });
  if (result.ok) throw new Error("expected the config to be refused");
  return completeIssues(source, result.issues, undefined, "gateway.config.ts");
}

describe("completeIssues", () => {
  test("a schema error no longer hides the unknown provider of a tier model, and both have lines", async () => {
    const issues = await issuesOf(
      config(`  tiers: { t1: { models: ["a/m", "zz/q"] } },
  timeouts: { connectMs: -5, idleMs: 0 },`),
    );
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ["tiers.t1.models[1]", 9],
      ["timeouts.connectMs", 10],
      ["timeouts.idleMs", 10],
    ]);
    expect(issues[0].message).toBe('unknown provider "zz" in "zz/q" (providers: a, b)');
    expect(issues[1].message).toBe("expected number to be greater or equal to 1");
  });

  test("a factory's bad option is at its path in the config, not in src/plugin/define.ts", async () => {
    const issues = await issuesOf(
      config(`  tiers: { t1: { models: ["a/m"] } },
  retry: { rules: [statusCodeRetry({ codes: ["x" as never] })] },`),
    );
    expect(issues).toEqual([
      {
        path: "retry.rules[0].options.codes[0]",
        message: expect.stringContaining("option codes[0]"),
        file: expect.stringMatching(/^gateway-.*\.config\.ts$/),
        line: 10,
      },
    ]);
  });

  test("with the gateway's own tree as the project, the line is still the config's, not define.ts's", async () => {
    const [issue] = await issuesOf(
      config(`  tiers: { t1: { models: ["a/m"] } },
  retry: { rules: [statusCodeRetry({ codes: ["x" as never] })] },`),
      ROOT,
    );
    expect(issue.file).toMatch(/gateway-.*\.config\.ts$/);
    expect(issue.line).toBe(10);
    expect(issue.path).toBe("retry.rules[0].options.codes[0]");
  });
});
