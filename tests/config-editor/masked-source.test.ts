/** Masked config texts (the API's view, the history's rows) and the way back for a rollback. */
import { describe, expect, test } from "bun:test";
import { literalSecrets, maskedLiterals, redactSource, restoreSecrets } from "../../src/config-editor/masked-source.ts";

const KEY = "sk-proj-abcdefghijklmnop1234";
const CONST_KEY = "sk-const-zyxwvutsrqponm9876";
const FILE = `import { defineConfig } from "./src/index.ts";
const shared = "${CONST_KEY}";
export default defineConfig({
  providers: { a: openai({ baseURL: "http://x", apiKey: "${KEY}" }), b: openai({ apiKey: shared }) },
  tiers: { t1: { models: ["a/one"] } },
});
`;

describe("masking", () => {
  test("hides every secret literal, and masking a masked text changes nothing", () => {
    const masked = redactSource(FILE);
    expect(masked).not.toContain(KEY);
    expect(masked).not.toContain(CONST_KEY);
    expect(redactSource(masked)).toBe(masked);
  });

  test("a masked text's masks are found; the file's own literals are not", () => {
    expect(maskedLiterals(redactSource(FILE), FILE).length).toBe(2);
    expect(maskedLiterals(FILE.replace('"a/one"', '"a/one…"'), FILE.replace('"a/one"', '"a/one…"'))).toEqual([]);
  });
});

describe("literal secrets", () => {
  test("all are counted; those written as config values can be moved, with their values", () => {
    expect(literalSecrets(FILE)).toEqual({ count: 2, movable: [{ path: "providers.a.options.apiKey", value: KEY }] });
    expect(literalSecrets(redactSource(FILE)).count).toBe(0);
  });
});

describe("restoring a masked version", () => {
  const version = redactSource(FILE.replace('"a/one"', '"a/old"'));

  test("each mask takes the current file's value: at the same path, or the secret with the same mask", () => {
    expect(restoreSecrets(version, FILE)).toEqual({ source: FILE.replace('"a/one"', '"a/old"') });
  });

  test("at a path whose secret became a reference, the reference is kept", () => {
    const current = FILE.replace(`"${KEY}"`, 'env("A_KEY")');
    expect(restoreSecrets(version, current)).toEqual({ source: current.replace('"a/one"', '"a/old"') });
  });

  test("a secret the current file has nowhere is named, by path or by mask", () => {
    const current = FILE.replace(`"${KEY}"`, 'env("A_KEY")').replace(`"${CONST_KEY}"`, '"sk-const-rotated-key-000000"');
    const withoutA = current.replace('a: openai({ baseURL: "http://x", apiKey: env("A_KEY") }), ', "");
    expect(withoutA).not.toContain("a: openai");
    const result = restoreSecrets(version, withoutA);
    expect("unresolved" in result && result.unresolved.length).toBe(2);
    expect("unresolved" in result && result.unresolved[1]).toBe("providers.a.options.apiKey");
  });
});
