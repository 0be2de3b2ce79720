/** The languages of the admin UI, and the one a browser asks for. Free of Solid and the DOM (tests import it). */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language's own name, shown as is in the switcher whatever the active language. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "中文" };

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

/** Chinese when the browser lists any Chinese (`zh`, `zh-CN`, `zh-Hans`, `zh-TW`…), else English. */
export function browserLocale(languages: readonly string[]): Locale {
  return languages.some((language) => /^zh\b/i.test(language)) ? "zh-CN" : "en";
}
