/**
 * Builds src/pricing/catalog-table.json from the installed @pydantic/genai-prices, so the gateway can
 * price and size the models of a config without loading the library (src/pricing/catalog.ts):
 *
 *   bun scripts/build-catalog-table.ts
 *
 * Run it after upgrading the package (tests/pricing/catalog-table.test.ts fails until then). Every name
 * the catalog lists for the providers a bare name is looked up in (src/pricing/catalog-search.ts) is
 * asked of the library, bare and as "provider/model", and kept with its answer: the price in force, or
 * for a model priced by the date or the hour (a price from a later date, off-peak hours) all its prices.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { calcPrice, type ModelInfo, waitForUpdate } from "@pydantic/genai-prices";
import {
  type CalcPrice,
  lookups,
  OPENROUTER_PREFIXES,
  PROVIDERS,
  searchCatalog,
  toModelPrice,
} from "../src/pricing/catalog-search.ts";
import { type CatalogTable, flattenRules, type PriceVariant } from "../src/pricing/catalog-table.ts";

const OUT = new URL("../src/pricing/catalog-table.json", import.meta.url).pathname;

/** True when the model's price no longer depends on the time after `at` (no later start date, no hours). */
function settledAt(model: ModelInfo, at: Date): boolean {
  if (!Array.isArray(model.prices)) return true;
  return model.prices.every(({ constraint }) => {
    if (constraint === undefined) return true;
    if (!("start_date" in constraint) || "start_time" in constraint) return false;
    return new Date(constraint.start_date) <= at;
  });
}

/** The installed package's version (its package.json is not among the files it exports). */
export function installedVersion(): string {
  const entry = fileURLToPath(import.meta.resolve("@pydantic/genai-prices"));
  return JSON.parse(readFileSync(join(dirname(entry), "..", "package.json"), "utf8")).version;
}

/** Every catalog model the lookups of `name` match, priced or not. */
function matchedModels(calc: CalcPrice, name: string): ModelInfo[] {
  return lookups(name).flatMap(([provider, model]) => calc({}, model, { providerId: provider })?.model ?? []);
}

/** Seconds after 00:00 UTC of a catalog time of day ("00:30:00Z", "08:30:00+08:00"). */
function secondOfDay(time: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(time);
  if (!match) throw new Error(`catalog time of day not understood: ${time}`);
  const [, h, m, sec, fraction = "", zone, sign, zh = "00", zm = "00"] = match;
  const local = Number(h) * 3600 + Number(m) * 60 + Number(sec) + Number(`0.${fraction}`);
  const offset = zone === "Z" ? 0 : (sign === "+" ? 1 : -1) * (Number(zh) * 60 + Number(zm)) * 60;
  return (local - offset + 86_400) % 86_400;
}

/** A model's prices by the date or the hour, in the catalog's order; null when one has no chat price. */
function variantsOf(model: ModelInfo): PriceVariant[] | null {
  if (!Array.isArray(model.prices)) return null;
  const variants: PriceVariant[] = [];
  for (const { constraint, prices } of model.prices) {
    const price = toModelPrice(prices);
    if (!price) return null;
    if (constraint === undefined) variants.push({ price });
    else if (constraint.type === "start_date") variants.push({ price, startDate: constraint.start_date });
    else
      variants.push({
        price,
        startSecond: secondOfDay(constraint.start_time),
        endSecond: secondOfDay(constraint.end_time),
      });
  }
  return variants;
}

/** The names a config is likely to look up for one catalog model of `provider`. */
function namesOf(provider: string, id: string): string[] {
  const names = [id, `${provider}/${id}`];
  for (const prefix of OPENROUTER_PREFIXES)
    if (provider === "openrouter" && prefix && id.startsWith(prefix)) names.push(id.slice(prefix.length));
  return names.map((name) => name.toLowerCase());
}

/** The table as the installed library answers at `builtAt` (a pure function of the two). */
export async function buildCatalogTable(builtAt: Date): Promise<CatalogTable> {
  const providers = (await waitForUpdate()) ?? [];
  const version = installedVersion();
  const at: CalcPrice = (usage, name, options) => calcPrice(usage, name, { ...options, timestamp: builtAt });
  const models: CatalogTable["models"] = {};
  const names: CatalogTable["names"] = {};
  for (const provider of providers.filter((p) => [...PROVIDERS, "openrouter"].includes(p.id)))
    for (const model of provider.models)
      for (const name of namesOf(provider.id, model.id)) {
        const found = searchCatalog(at, name);
        if (!found) {
          // Listed but not priced for chat (an embedding model has no output price): "none", for good
          // only if no model it matches could gain a price later.
          if (matchedModels(at, name).every((m) => settledAt(m, builtAt))) names[name] = null;
          continue;
        }
        const { id, price, contextWindow } = found.entry;
        const prices = settledAt(found.model, builtAt) ? undefined : variantsOf(found.model);
        if (prices === null) continue; // unpriced at some time: the search would go on to another model then
        // As JSON holds it: no undefined members.
        models[id] = JSON.parse(JSON.stringify(prices ? { contextWindow, prices } : { contextWindow, price }));
        names[name] = id;
      }
  const sorted = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    source: "@pydantic/genai-prices",
    version,
    builtAt: builtAt.toISOString(),
    models: sorted(models),
    names: sorted(names),
    rules: flattenRules(providers.flatMap((p) => p.models.map((m) => m.match))),
  };
}

if (import.meta.main) {
  const table = await buildCatalogTable(new Date());
  writeFileSync(OUT, `${JSON.stringify(table)}\n`);
  console.log(
    `${OUT}: ${Object.keys(table.names).length} names of ${Object.keys(table.models).length} models (genai-prices ${table.version})`,
  );
}
