/**
 * The strength meter shows zxcvbn's advice by its message keys (security-password-meter.tsx): every
 * key zxcvbn can answer has a text in both languages, and the English is zxcvbn's own, word for word,
 * so an English admin reads exactly what zxcvbn wrote. A zxcvbn update that adds a message fails here.
 * (That zxcvbn answers with the keys, and the page shows them in Chinese: tests/e2e/i18n-access-ui.test.ts.)
 */
import { expect, test } from "bun:test";
import { translations } from "@zxcvbn-ts/language-en";
import { dictionaries } from "../../ui/src/i18n/dictionaries.ts";

test("every warning and suggestion zxcvbn writes is in the dictionaries, the English word for word", () => {
  for (const kind of ["warnings", "suggestions"] as const) {
    expect(dictionaries.en.security.meter[kind]).toEqual(translations[kind]);
    expect(Object.keys(dictionaries["zh-CN"].security.meter[kind]).sort()).toEqual(
      Object.keys(translations[kind]).sort(),
    );
  }
});
