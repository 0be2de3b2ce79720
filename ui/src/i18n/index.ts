/**
 * The admin UI in English and Simplified Chinese. `t(key, params)` is typed by the English dictionary: a
 * key that does not exist is a TypeScript error, and a template's parameters are checked. Every `t()`
 * and formatter reads the `locale` signal, so switching re-renders the page in place, without a reload.
 * Dictionaries live per area in `en/<area>.ts` and `zh-CN/<area>.ts` (see dictionaries.ts).
 */
import { flatten, resolveTemplate, translator } from "@solid-primitives/i18n";
import { dictionaries } from "./dictionaries.ts";
import { locale } from "./state.ts";

export { formatDate, formatDateTime, formatNumber, formatTime } from "./intl.ts";
export { LANGUAGE_NAMES, LOCALES, type Locale } from "./locales.ts";
export { locale, setLocale } from "./state.ts";

// Flattened once per language: `t("shell.nav.logs")` is then a lookup, and switching costs nothing.
const flat = { en: flatten(dictionaries.en), "zh-CN": flatten(dictionaries["zh-CN"]) };

export const t = translator(() => flat[locale()], resolveTemplate);
