/**
 * How a model name is looked up in @pydantic/genai-prices: which (provider, model) pairs are tried, in
 * which order, and the catalog's answer turned into a CatalogEntry. Shared by the gateway's lazy path
 * (src/pricing/catalog.ts, the library loaded on a miss of the prebuilt table) and the script that
 * builds that table (scripts/build-catalog-table.ts), so both answer exactly alike. Only types are
 * imported from the library here: the caller passes its `calcPrice`.
 */
import type { ModelPrice as CatalogModelPrice, calcPrice, ModelInfo } from "@pydantic/genai-prices";
import type { ModelPrice, Rate } from "./price.ts";

export type CalcPrice = typeof calcPrice;

export interface CatalogEntry {
  /** "provider/model" as the catalog names it, e.g. "openai/gpt-4o-mini". */
  id: string;
  price: ModelPrice;
  contextWindow?: number;
}

/** Providers tried in order for a bare model name; openrouter last, for the families it alone lists (Qwen, GLM). */
export const PROVIDERS = [
  "openai",
  "anthropic",
  "google",
  "deepseek",
  "moonshotai",
  "mistral",
  "zhipuai",
  "x-ai",
  "groq",
];
/** Vendor prefixes openrouter files models under, tried for a bare name the direct providers do not know. */
export const OPENROUTER_PREFIXES = [
  "",
  "qwen/",
  "z-ai/",
  "moonshotai/",
  "deepseek/",
  "mistralai/",
  "google/",
  "openai/",
];

/** The (provider, model name) pairs tried for `name`, first match wins. */
export function lookups(name: string): [providerId: string, model: string][] {
  const pairs: [string, string][] = [];
  const slash = name.indexOf("/");
  // "openai/gpt-4o-mini": the catalog's own provider id, as a model entry's `catalog` option names it.
  if (slash > 0) pairs.push([name.slice(0, slash), name.slice(slash + 1)]);
  for (const provider of PROVIDERS) pairs.push([provider, name]);
  for (const prefix of OPENROUTER_PREFIXES) pairs.push(["openrouter", `${prefix}${name}`]);
  return pairs;
}

function rate(value: CatalogModelPrice[string]): Rate | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  return { base: value.base, tiers: value.tiers.map((t) => ({ start: t.start, price: t.price })) };
}

/** A catalog price as the gateway prices with it; undefined without both an input and an output rate. */
export function toModelPrice(p: CatalogModelPrice): ModelPrice | undefined {
  const input = rate(p.input_mtok);
  const output = rate(p.output_mtok);
  if (input === undefined || output === undefined) return undefined;
  const price: ModelPrice = { input, output };
  const optional = {
    cachedInput: rate(p.cache_read_mtok),
    cacheWrite: rate(p.cache_write_mtok),
    cacheWrite1h: rate(p.cache_write_1h_mtok),
    reasoning: rate(p.output_reasoning_mtok),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(price, { [key]: value });
  return price;
}

/** The catalog's match for one pair, with the model it matched (whose prices may depend on the date). */
function toEntry(
  calc: CalcPrice,
  providerId: string,
  name: string,
): { entry: CatalogEntry; model: ModelInfo } | undefined {
  // Zero usage: only the match and the prices in force are wanted, not an amount.
  const found = calc({}, name, { providerId });
  const price = found ? toModelPrice(found.model_price) : undefined;
  if (!found || !price) return undefined;
  const entry = { id: `${found.provider.id}/${found.model.id}`, price, contextWindow: found.model.context_window };
  return { entry, model: found.model };
}

/** The first match of `name` (as written, then lower-cased), with the model it matched. */
export function searchCatalog(calc: CalcPrice, name: string): { entry: CatalogEntry; model: ModelInfo } | undefined {
  for (const candidate of name === name.toLowerCase() ? [name] : [name, name.toLowerCase()])
    for (const [provider, model] of lookups(candidate)) {
      const found = toEntry(calc, provider, model);
      if (found) return found;
    }
  return undefined;
}
