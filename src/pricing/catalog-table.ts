/**
 * The prebuilt catalog table (catalog-table.json, written by scripts/build-catalog-table.ts): the
 * entries of the names the catalog lists, and the catalog's model match rules in a loose form that can
 * only say "no rule could match this name" without the library.
 *
 * A loose rule: a string stands for any of equals / starts_with / ends_with / contains of that text
 * and holds when the name contains it; `{ re }` is the catalog's regex, tested as the catalog tests it;
 * an array holds when one of its rules does, `{ and }` when all do. Whatever the catalog's rule
 * matches, the loose one matches too, so a name no loose rule matches is not in the catalog.
 */
import type { MatchLogic } from "@pydantic/genai-prices";
import type { ModelPrice } from "./price.ts";

/**
 * One of the prices of a model priced by the date or the hour, in the catalog's order: in force from
 * `startDate` (UTC), or every day from `startSecond` to `endSecond` (seconds after 00:00 UTC; the span
 * wraps past midnight when it ends earlier than it starts), or always (neither).
 */
export interface PriceVariant {
  price: ModelPrice;
  startDate?: string;
  startSecond?: number;
  endSecond?: number;
}

/** A model of the table: one price, or the prices it has at different times. */
export type TableModel = { contextWindow?: number } & ({ price: ModelPrice } | { prices: PriceVariant[] });

export type LooseRule = string | { re: string } | { and: LooseRule[] } | LooseRule[];

export interface CatalogTable {
  source: string;
  version: string;
  /** When it was built: a model whose price can no longer change after this has its one price in force. */
  builtAt: string;
  /** Catalog models by id ("openai/gpt-4o-mini"). */
  models: Record<string, TableModel>;
  /**
   * Lower-cased names as looked up ("gpt-4o-mini", "openai/gpt-4o-mini") → the id they resolve to, or
   * null for a listed model without a chat price (an embedding model).
   */
  names: Record<string, string | null>;
  /** Every model's match rule of every provider, loose (see above). */
  rules: LooseRule[];
}

/** The catalog's rule, loosened. */
export function loosen(rule: MatchLogic): LooseRule {
  if ("or" in rule) return rule.or.map(loosen);
  if ("and" in rule) return { and: rule.and.map(loosen) };
  if ("regex" in rule) return { re: rule.regex };
  if ("equals" in rule) return rule.equals.toLowerCase();
  if ("starts_with" in rule) return rule.starts_with.toLowerCase();
  if ("ends_with" in rule) return rule.ends_with.toLowerCase();
  return rule.contains.toLowerCase();
}

const compiled = new Map<string, RegExp>();

function holds(rule: LooseRule, name: string): boolean {
  if (typeof rule === "string") return name.includes(rule);
  if (Array.isArray(rule)) return rule.some((r) => holds(r, name));
  if ("and" in rule) return rule.and.every((r) => holds(r, name));
  let re = compiled.get(rule.re);
  if (!re) compiled.set(rule.re, (re = new RegExp(rule.re)));
  return re.test(name);
}

/** The catalog also tries a name with its dates written out: `-20240718` as `-2024-07-18`. */
const COMPACT_DATE = /-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

/**
 * The texts the catalog tests its rules on when asked for `model` of `providerId`: the name
 * lower-cased, with its dates written out, and (for the "litellm" provider, which takes
 * "provider/model") the part after the slash.
 */
function testedTexts(providerId: string, model: string): string[] {
  const name = model.toLowerCase().trim();
  const names = [name];
  if (providerId.toLowerCase() === "litellm" && name.includes("/")) names.push(name.slice(name.indexOf("/") + 1));
  return names.flatMap((n) => [n, n.replace(COMPACT_DATE, "-$1-$2-$3")]);
}

/** False when no rule of the catalog could match `model` asked of `providerId`: the catalog has no entry. */
export function couldMatch(rules: readonly LooseRule[], providerId: string, model: string): boolean {
  return testedTexts(providerId, model).some((text) => rules.some((rule) => holds(rule, text)));
}

/** The price in force at `now`, chosen as the catalog chooses: the last variant that applies, else the first. */
export function priceAt(variants: readonly PriceVariant[], now: Date): ModelPrice {
  const second = (now.getTime() % 86_400_000) / 1000;
  for (let i = variants.length - 1; i >= 0; i--) {
    const { price, startDate, startSecond, endSecond } = variants[i];
    if (startDate !== undefined) {
      if (now >= new Date(startDate)) return price;
    } else if (startSecond !== undefined && endSecond !== undefined) {
      const inSpan =
        endSecond < startSecond
          ? second >= startSecond || second < endSecond
          : second >= startSecond && second < endSecond;
      if (inSpan) return price;
    } else return price;
  }
  return variants[0].price;
}
