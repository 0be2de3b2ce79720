/** Config paths as text: the strict parser used by edits and its inverse used by the tree. */
import { describe, expect, test } from "bun:test";
import { formatPath, parsePath, splitPath } from "../../src/config/ast.ts";

describe("config paths", () => {
  test("parsePath reads names, indexes and quoted keys", () => {
    expect(parsePath('pricing["openai/gpt-4.1"].input')).toEqual(["pricing", "openai/gpt-4.1", "input"]);
    expect(parsePath("tiers.t1.models[0].weight")).toEqual(["tiers", "t1", "models", 0, "weight"]);
    expect(parsePath("routing.aliases.gpt-4")).toEqual(["routing", "aliases", "gpt-4"]);
    expect(parsePath("")).toEqual([]);
  });

  test("parsePath refuses malformed paths", () => {
    for (const bad of ["a..b", ".a", "a[x]", "a[0]b", 'a["x]', "a."]) expect(parsePath(bad)).toBeUndefined();
  });

  test("formatPath is parsePath's inverse, quoting keys with dots, brackets or quotes", () => {
    const cases: (string | number)[][] = [
      ["tiers", "t1", "models", 0],
      ["pricing", "openai/gpt-4.1", "input"],
      ["a", 'q"k', "b[1]"],
      ["0", "x"],
    ];
    for (const segments of cases) expect(parsePath(formatPath(segments))).toEqual(segments);
    expect(formatPath(["pricing", "openai/gpt-4.1"])).toBe('pricing["openai/gpt-4.1"]');
  });

  test("splitPath stays lenient, as locate.ts always read paths", () => {
    expect(splitPath("tiers.t1.models[2]")).toEqual(["tiers", "t1", "models", 2]);
    expect(splitPath("a[x].b")).toEqual(["a", "x", "b"]);
  });
});
