/**
 * The active language: the one saved in this browser, else the browser's (Chinese when it lists any),
 * and `<html lang>` kept equal to it (screen readers pronounce by it, the browser picks fonts by it).
 */
import { createSignal } from "solid-js";
import { browserLocale, isLocale, type Locale } from "./locales.ts";

const STORAGE_KEY = "smartroute-locale";

// Outside a browser (the unit tests import the formatters) there is no storage, no document: English.
const storage = (): Storage | undefined => globalThis.localStorage;

function initialLocale(): Locale {
  if (typeof document === "undefined") return "en"; // not a browser: whatever the machine's own language
  const saved = storage()?.getItem(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  const nav = globalThis.navigator;
  // Some browsers leave `languages` empty and fill only `language`.
  return browserLocale(nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : []);
}

const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());

export { locale };

function applyLang(value: Locale): void {
  if (typeof document !== "undefined") document.documentElement.lang = value;
}
applyLang(locale());

/** Switches the UI's language now (every `t()` and formatter reads `locale`) and remembers the choice. */
export function setLocale(value: Locale): void {
  storage()?.setItem(STORAGE_KEY, value);
  setLocaleSignal(value);
  applyLang(value);
}
