/**
 * The bundled model catalog: @pydantic/genai-prices (its data ships inside the package: no fetch at run
 * time). Looked up by the upstream model name whatever the config calls its provider; dated and suffixed
 * variants resolve through the catalog's own match rules (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`).
 * Lookups are memoised: the catalog is read at config resolution and in the log writer, never per token.
 */
import { type ModelPrice as CatalogModelPrice, calcPrice } from "@pydantic/genai-prices";
import type { ModelPrice, Rate } from "./price.ts";

/** The package version and its publication date: the catalog's snapshot, shown in the README and the UI. */
export const CATALOG = { source: "@pydantic/genai-prices", version: "0.1.8", snapshot: "2026-09-23" } as const;

export interface CatalogEntry {
  /** "provider/model" as the catalog names it, e.g. "openai/gpt-4o-mini". */
  id: string;
  price: ModelPrice;
  contextWindow?: number;
}

/** Providers tried in order for a bare model name; openrouter last, for the families it alone lists (Qwen, GLM). */
const PROVIDERS = ["openai", "anthropic", "google", "deepseek", "moonshotai", "mistral", "zhipuai", "x-ai", "groq"];
/** Vendor prefixes openrouter files models under, tried for a bare name the direct providers do not know. */
const OPENROUTER_PREFIXES = ["", "qwen/", "z-ai/", "moonshotai/", "deepseek/", "mistralai/", "google/", "openai/"];

function rate(value: CatalogModelPrice[string]): Rate | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  return { base: value.base, tiers: value.tiers.map((t) => ({ start: t.start, price: t.price })) };
}

function toEntry(providerId: string, name: string): CatalogEntry | undefined {
  // Zero usage: only the match and the prices in force are wanted, not an amount.
  const found = calcPrice({}, name, { providerId });
  if (!found) return undefined;
  const p = found.model_price;
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
  return { id: `${found.provider.id}/${found.model.id}`, price, contextWindow: found.model.context_window };
}

function search(name: string): CatalogEntry | undefined {
  const slash = name.indexOf("/");
  // "openai/gpt-4o-mini": the catalog's own provider id, as a model entry's `catalog` option names it.
  if (slash > 0) {
    const entry = toEntry(name.slice(0, slash), name.slice(slash + 1));
    if (entry) return entry;
  }
  for (const provider of PROVIDERS) {
    const entry = toEntry(provider, name);
    if (entry) return entry;
  }
  for (const prefix of OPENROUTER_PREFIXES) {
    const entry = toEntry("openrouter", `${prefix}${name}`);
    if (entry) return entry;
  }
  return undefined;
}

const memo = new Map<string, CatalogEntry | null>();

/** The catalog's entry for an upstream model name (or a catalog id "provider/model"); undefined when it has none. */
export function catalogEntry(name: string): CatalogEntry | undefined {
  const key = name.trim();
  let entry = memo.get(key);
  if (entry === undefined) {
    entry = search(key) ?? search(key.toLowerCase()) ?? null;
    memo.set(key, entry);
  }
  return entry ?? undefined;
}
