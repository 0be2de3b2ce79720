/** What counts as a change of code (asking for the password again) and what is only a change of values. */
import { describe, expect, test } from "bun:test";
import { changesCode } from "../../src/config-editor/code-fingerprint.ts";

const BASE = `import { defineConfig, env } from "./src/index.ts";
import { openai } from "./plugins/index.ts";
// providers first
export default defineConfig({
  providers: { a: openai({ baseURL: "http://x", apiKey: env("A_KEY") }) },
  tiers: { t1: { models: ["a/one", "a/two"] } },
  classifiers: [custom({ pick: () => "t1" })],
});
`;
const edit = (from: string, to: string) => {
  if (!BASE.includes(from)) throw new Error(`not in the base: ${from}`);
  return BASE.replace(from, to);
};

describe("only values: no password", () => {
  test.each([
    ["a literal changed", edit('"a/one"', '"a/three"')],
    ["a literal added to a list", edit('"a/two"]', '"a/two", "a/four"]')],
    ["a section of literals added", edit("  tiers:", '  logging: { bodies: "none", retentionDays: 3 },\n  tiers:')],
    ["a member of literals removed, with its comma", edit(', apiKey: env("A_KEY")', "")],
    ["an env reference renamed", edit('env("A_KEY")', 'env("B_KEY", "fallback")')],
    [
      "comments, blank lines and a trailing comma",
      edit("// providers first\n", "// another comment\n\n").replace('"a/two"]', '"a/two",]'),
    ],
  ])("%s", (_name, candidate) => {
    expect(changesCode(BASE, candidate)).toBe(false);
  });
});

describe("code: password", () => {
  test.each([
    [
      "a provider added (a factory call)",
      edit("  tiers:", '  extra: openai({ baseURL: "http://y" }),\n  tiers:').replace(
        "providers: { a:",
        "providers: { b: openai(), a:",
      ),
    ],
    ["an import changed", edit('"./plugins/index.ts"', '"./plugins/evil.ts"')],
    ["a statement added", edit("// providers first\n", 'Bun.spawn(["id"]);\n')],
    ["a literal inside a function", edit('() => "t1"', '() => "t3"')],
    ["a value turned into an expression", edit('"a/one"', 'process.env.MODEL ?? "a/one"')],
    ["an env fallback that runs code", edit('env("A_KEY")', 'env("A_KEY", readFileSync("/etc/passwd", "utf8"))')],
    ["a text that does not parse", edit("tiers: {", "tiers: {{")],
  ])("%s", (_name, candidate) => {
    expect(changesCode(BASE, candidate)).toBe(true);
  });
});
