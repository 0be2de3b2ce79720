/**
 * The admin UI's languages in browser tests: a browser context that speaks a language (playwright's
 * `locale` sets `navigator.languages` and Accept-Language, as a Chinese browser would), and
 * `untranslated(page)`: the visible texts of a page in Chinese that are still English dictionary
 * values, i.e. a string someone forgot to pass through `t()` (or an English value left in zh-CN/).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { dictionaries } from "../../ui/src/i18n/dictionaries.ts";
import type { Locale } from "../../ui/src/i18n/locales.ts";

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export function localeContext(
  browser: Browser,
  locale: Locale,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<BrowserContext> {
  return browser.newContext({ locale, viewport });
}

interface EnglishValue {
  key: string;
  /** The exact text (trimmed), or a pattern for a template ("Copy {{what}}" matches "Copy the key"). */
  text?: string;
  pattern?: string;
}

/**
 * Every English string of the dictionaries whose Chinese differs (a value the same in both, such as a
 * product name, is no sign of a forgotten translation) and that has a letter to tell it by. Functions
 * (plurals) cannot be listed: their output is checked where a page shows it.
 */
export function englishValues(): EnglishValue[] {
  const found: EnglishValue[] = [];
  const walk = (en: unknown, zh: unknown, path: string) => {
    if (typeof en === "string") {
      const text = en.trim();
      if (!/[A-Za-z]{2}/.test(text) || en === zh) return;
      if (!text.includes("{{")) return void found.push({ key: path, text });
      const parts = text.split(/\{\{\s*\w+\s*\}\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      found.push({ key: path, pattern: `^${parts.join(".+")}$` });
    } else if (en && typeof en === "object") {
      for (const [key, value] of Object.entries(en))
        walk(value, (zh as Record<string, unknown> | undefined)?.[key], path ? `${path}.${key}` : key);
    }
  };
  walk(dictionaries.en, dictionaries["zh-CN"], "");
  return found;
}

/**
 * The visible texts (text nodes, and the aria-label, placeholder and title a screen reader or a
 * pointer shows) that equal an English dictionary value, with the key: each one is a forgotten `t()`.
 * `within` narrows the check to a part of the page (a CSS selector), e.g. one area's panel.
 * Text inside `translate="no"`, `code`, `pre` and `kbd` is data (model names, config), not UI.
 */
export async function untranslated(page: Page, within = "body"): Promise<string[]> {
  return page.evaluate(
    ({ values, within }) => {
      const root = document.querySelector(within);
      if (!root) throw new Error(`untranslated: nothing matches ${within}`);
      const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
      const isData = (el: Element) => el.closest('[translate="no"], code, pre, kbd, textarea') !== null;
      // A text with Chinese in it was translated (a Chinese sentence may quote an English identifier).
      const cjk = /[\u3400-\u9fff]/;
      const match = (text: string) => {
        const trimmed = text.trim();
        if (!trimmed || cjk.test(trimmed)) return undefined;
        return values.find((v) => (v.text ? v.text === trimmed : new RegExp(v.pattern!).test(trimmed)));
      };
      const hits: string[] = [];
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || isData(parent)) continue;
        // A screen-reader-only text (class sr-only) is clipped, not hidden: it counts as shown.
        if (!visible(parent) && !parent.closest(".sr-only")) continue;
        const hit = match(node.textContent ?? "");
        if (hit) hits.push(`${hit.key}: "${node.textContent!.trim()}"`);
      }
      for (const el of root.querySelectorAll("[aria-label], [placeholder], [title]")) {
        if (isData(el)) continue;
        for (const attribute of ["aria-label", "placeholder", "title"]) {
          const value = el.getAttribute(attribute);
          const hit = value ? match(value) : undefined;
          if (hit) hits.push(`${hit.key}: ${attribute}="${value}"`);
        }
      }
      return hits;
    },
    { values: englishValues(), within },
  );
}
