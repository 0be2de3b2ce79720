/**
 * The prebuilt catalog table (catalog-table.json, written by scripts/build-catalog-table.ts): the
 * entries of the names the catalog lists, and every model's match rule of every provider, flattened
 * so that telling a name no rule matches costs a set lookup and a few hundred string checks (the rules
 * walked as trees, for every name a config holds, made the engine compile that walk: about 15 MB).
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

/**
 * The catalog's match rules, flattened: a rule made of `or`s only matches when one of its leaves does,
 * so those leaves are pooled by kind (texts lower-cased, as the catalog compares them); the few rules
 * with an `and` are kept whole.
 */
export interface MatchRules {
  equals: string[];
  startsWith: string[];
  endsWith: string[];
  contains: string[];
  regex: string[];
  trees: MatchLogic[];
}

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
  /** Every model's match rule of every provider, flattened (see MatchRules). */
  rules: MatchRules;
}

const hasAnd = (rule: MatchLogic): boolean => "and" in rule || ("or" in rule && rule.or.some(hasAnd));

/** The rules of every model, flattened. */
export function flattenRules(rules: readonly MatchLogic[]): MatchRules {
  const flat: MatchRules = { equals: [], startsWith: [], endsWith: [], contains: [], regex: [], trees: [] };
  const pool = (rule: MatchLogic): void => {
    if ("or" in rule) rule.or.forEach(pool);
    else if ("equals" in rule) flat.equals.push(rule.equals.toLowerCase());
    else if ("starts_with" in rule) flat.startsWith.push(rule.starts_with.toLowerCase());
    else if ("ends_with" in rule) flat.endsWith.push(rule.ends_with.toLowerCase());
    else if ("contains" in rule) flat.contains.push(rule.contains.toLowerCase());
    else if ("regex" in rule) flat.regex.push(rule.regex);
  };
  for (const rule of rules)
    if (hasAnd(rule)) flat.trees.push(rule);
    else pool(rule);
  const unique = (list: string[]) => [...new Set(list)].sort();
  return {
    equals: unique(flat.equals),
    startsWith: unique(flat.startsWith),
    endsWith: unique(flat.endsWith),
    contains: unique(flat.contains),
    regex: unique(flat.regex),
    trees: flat.trees,
  };
}

/** The catalog's own test of a rule against a (lower-cased) name. */
function matches(rule: MatchLogic, name: string): boolean {
  if ("or" in rule) return rule.or.some((r) => matches(r, name));
  if ("and" in rule) return rule.and.every((r) => matches(r, name));
  if ("equals" in rule) return name === rule.equals.toLowerCase();
  if ("starts_with" in rule) return name.startsWith(rule.starts_with.toLowerCase());
  if ("ends_with" in rule) return name.endsWith(rule.ends_with.toLowerCase());
  if ("contains" in rule) return name.includes(rule.contains.toLowerCase());
  return new RegExp(rule.regex).test(name);
}

/** The catalog also tries a name with its dates written out: `-20240718` as `-2024-07-18`. */
const COMPACT_DATE = /-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

/**
 * The texts the catalog tests its rules on when asked for these (provider, model) pairs: each name
 * lower-cased, with its dates written out, and (for the "litellm" provider, which takes
 * "provider/model") the part after the slash; each text once.
 */
function testedTexts(pairs: readonly [providerId: string, model: string][]): Set<string> {
  const texts = new Set<string>();
  for (const [providerId, model] of pairs) {
    const name = model.toLowerCase().trim();
    const names = [name];
    if (providerId.toLowerCase() === "litellm" && name.includes("/")) names.push(name.slice(name.indexOf("/") + 1));
    for (const n of names) texts.add(n).add(n.replace(COMPACT_DATE, "-$1-$2-$3"));
  }
  return texts;
}

/** Compiled once: the equals texts as a set, the regexes. */
const prepared = new WeakMap<MatchRules, { equals: Set<string>; regex: RegExp[] }>();

/**
 * False when no model of the catalog matches any of these (provider, model) lookups: the catalog has no
 * entry. Every provider's rules are tried, on every text the catalog would test: never false for a name
 * it has.
 */
export function couldMatch(rules: MatchRules, pairs: readonly [providerId: string, model: string][]): boolean {
  let ready = prepared.get(rules);
  if (!ready)
    prepared.set(rules, (ready = { equals: new Set(rules.equals), regex: rules.regex.map((r) => new RegExp(r)) }));
  const { equals, regex } = ready;
  for (const text of testedTexts(pairs))
    if (
      equals.has(text) ||
      rules.startsWith.some((prefix) => text.startsWith(prefix)) ||
      rules.endsWith.some((suffix) => text.endsWith(suffix)) ||
      rules.contains.some((part) => text.includes(part)) ||
      regex.some((re) => re.test(text)) ||
      rules.trees.some((tree) => matches(tree, text))
    )
      return true;
  return false;
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
