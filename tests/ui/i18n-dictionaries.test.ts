/**
 * English and Chinese dictionaries hold the same keys, every value filled in. TypeScript already
 * refuses a missing key; this catches what slips past it: an `as any`, an empty string, an area left `{}`.
 */
import { expect, test } from "bun:test";
import { DEFAULT_BASELINE } from "../../src/store/queries/stats.ts";
import { dictionaries } from "../../ui/src/i18n/dictionaries.ts";
import { browserLocale } from "../../ui/src/i18n/locales.ts";
import { englishValues } from "../helpers/i18n.ts";

/** Every leaf of a dictionary as "path: kind" (string, template or function with its arity). */
function leaves(dict: unknown, path = ""): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof dict === "string") found.set(path, dict.includes("{{") ? "template" : "string");
  else if (typeof dict === "function") found.set(path, `function/${dict.length}`);
  else if (dict && typeof dict === "object")
    for (const [key, value] of Object.entries(dict))
      for (const [p, kind] of leaves(value, path ? `${path}.${key}` : key)) found.set(p, kind);
  return found;
}

/** The `{{name}}` parameters of every template, by path. */
function params(dict: unknown, path = "", found = new Map<string, string>()): Map<string, string> {
  if (typeof dict === "string")
    found.set(
      path,
      [...dict.matchAll(/\{\{\s*(\w+)\s*\}\}/g)]
        .map((m) => m[1])
        .sort()
        .join(),
    );
  else if (dict && typeof dict === "object")
    for (const [key, value] of Object.entries(dict)) params(value, path ? `${path}.${key}` : key, found);
  return found;
}

test("Chinese has exactly the English keys, each of the same kind", () => {
  expect([...leaves(dictionaries["zh-CN"])].sort()).toEqual([...leaves(dictionaries.en)].sort());
});

test("no area is empty (an empty area would make every key of it type-check)", () => {
  for (const locale of ["en", "zh-CN"] as const)
    for (const [area, dict] of Object.entries(dictionaries[locale]))
      expect([area, leaves(dict).size > 0]).toEqual([area, true]);
});

test("no value is empty, and a template has the same parameters in both languages", () => {
  for (const locale of ["en", "zh-CN"] as const)
    for (const [path, kind] of leaves(dictionaries[locale]))
      if (!kind.startsWith("function")) {
        const value = path
          .split(".")
          .reduce<unknown>((d, k) => (d as Record<string, unknown>)[k], dictionaries[locale]);
        expect([locale, path, (value as string).trim() !== ""]).toEqual([locale, path, true]);
      }
  expect(params(dictionaries["zh-CN"])).toEqual(params(dictionaries.en));
});

test("plural and wait functions answer in each language", () => {
  expect(dictionaries.en.common.seconds(1)).toBe("1 second");
  expect(dictionaries.en.common.seconds(2)).toBe("2 seconds");
  expect(dictionaries["zh-CN"].common.seconds(2)).toBe("2 秒");
  expect(dictionaries["zh-CN"].common.minutes(3)).toBe("3 分钟");
});

test("the browser's languages choose: any Chinese gives zh-CN, anything else English", () => {
  expect(browserLocale(["zh-CN"])).toBe("zh-CN");
  expect(browserLocale(["en-US", "zh-TW"])).toBe("zh-CN");
  expect(browserLocale(["zh"])).toBe("zh-CN");
  expect(browserLocale(["en-GB", "fr"])).toBe("en");
  expect(browserLocale(["zu"])).toBe("en");
  expect(browserLocale([])).toBe("en");
});

test("the server's default savings baseline is the phrase the dashboard translates", () => {
  expect(dictionaries.en.dashboard.cost.defaultBaseline).toBe(DEFAULT_BASELINE);
});

test("the untranslated check knows the English texts, templates as patterns", () => {
  const values = englishValues();
  expect(values.find((v) => v.key === "shell.signOut")?.text).toBe("Sign out");
  const copy = values.find((v) => v.key === "common.copy.what");
  expect(new RegExp(copy!.pattern!).test("Copy the API key")).toBe(true);
  expect(values.every((v) => v.text !== "")).toBe(true);
});
