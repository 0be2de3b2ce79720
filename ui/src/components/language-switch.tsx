/**
 * English / 中文: the UI's language, switched live and remembered in this browser. Each name is written
 * in its own language (and marked with its `lang`), so a reader who cannot read the current one finds theirs.
 */
import type { JSX } from "solid-js";
import { LANGUAGE_NAMES, LOCALES, locale, setLocale, t } from "../i18n/index.ts";

export function LanguageSwitch(): JSX.Element {
  return (
    <fieldset class="segmented language-switch">
      <legend class="sr-only">{t("shell.language")}</legend>
      {LOCALES.map((value) => (
        <button
          type="button"
          lang={value}
          translate="no"
          aria-pressed={locale() === value}
          onClick={() => setLocale(value)}
        >
          {LANGUAGE_NAMES[value]}
        </button>
      ))}
    </fieldset>
  );
}
