/**
 * The bundled model catalog: @pydantic/genai-prices (its data ships inside the package: no fetch at run
 * time). Looked up by the upstream model name whatever the config calls its provider; dated and suffixed
 * variants resolve through the catalog's own match rules (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`).
 *
 * The library holds every provider's price history (about 9 MB once loaded), so it is not loaded at
 * start: a table built from it ahead (catalog-table.json, scripts/build-catalog-table.ts) answers the
 * names the catalog lists as they are, and the catalog's match rules, kept in the table, tell a name no
 * rule could match (a private model, a local stand-in) without it; a model priced by the date or the
 * hour has its prices there, chosen as the library chooses. Only another name (a dated variant such as
 * `gpt-4o-mini-2024-07-18`, a name no listed model has) loads the library, once, and asks it.
 * Lookups are memoised: the catalog is read at config resolution and in the log writer, never per token.
 */
import { createRequire } from "node:module";
import { type CalcPrice, type CatalogEntry, lookups, searchCatalog } from "./catalog-search.ts";
import table from "./catalog-table.json" with { type: "json" };
import { type CatalogTable, couldMatch, priceAt } from "./catalog-table.ts";

export type { CatalogEntry } from "./catalog-search.ts";

/** The package version and its publication date: the catalog's snapshot, shown in the README and the UI. */
export const CATALOG = { source: "@pydantic/genai-prices", version: "0.1.8", snapshot: "2026-09-23" } as const;

const prebuilt = table as CatalogTable;

let library: CalcPrice | undefined;

/** The library's calcPrice, loaded on first need (synchronously: config resolution is synchronous). */
function calcPrice(): CalcPrice {
  library ??= (createRequire(import.meta.url)("@pydantic/genai-prices") as { calcPrice: CalcPrice }).calcPrice;
  return library;
}

/** True once a lookup needed the library itself (the table did not answer). */
export function catalogLibraryLoaded(): boolean {
  return library !== undefined;
}

function lookUp(key: string): CatalogEntry | undefined {
  const lower = key.toLowerCase();
  const id = prebuilt.names[lower];
  if (id === null) return undefined;
  if (id !== undefined) {
    const { contextWindow, ...priced } = prebuilt.models[id];
    // A price by the date or the hour: the one in force now, as the library would answer (memoised as its answer was).
    const price = "prices" in priced ? priceAt(priced.prices, new Date()) : priced.price;
    return contextWindow === undefined ? { id, price } : { id, price, contextWindow };
  }
  if (!couldMatch(prebuilt.rules, lookups(lower))) return undefined;
  return searchCatalog(calcPrice(), key)?.entry;
}

const memo = new Map<string, CatalogEntry | null>();

/** The catalog's entry for an upstream model name (or a catalog id "provider/model"); undefined when it has none. */
export function catalogEntry(name: string): CatalogEntry | undefined {
  const key = name.trim();
  let entry = memo.get(key);
  if (entry === undefined) {
    entry = lookUp(key) ?? null;
    memo.set(key, entry);
  }
  return entry ?? undefined;
}
