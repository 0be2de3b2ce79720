/**
 * Builds src/pricing/catalog-table.json from the installed @pydantic/genai-prices, so the gateway can
 * price and size the models of a config without loading the library (src/pricing/catalog.ts):
 *
 *   bun scripts/build-catalog-table.ts
 *
 * Run it after upgrading the package (tests/pricing/catalog-table.test.ts fails until then). Every name
 * the catalog lists for the providers a bare name is looked up in (src/pricing/catalog-search.ts) is
 * asked of the library, bare and as "provider/model", and kept with its answer unless that answer's
 * price can still change with the date or the hour (those stay with the library).
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
} from "../src/pricing/catalog-search.ts";
import { type CatalogTable, loosen } from "../src/pricing/catalog-table.ts";

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
        if (!settledAt(found.model, builtAt)) continue;
        const { id, ...entry } = found.entry;
        models[id] = JSON.parse(JSON.stringify(entry)); // as JSON holds it: no undefined members
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
    rules: providers.flatMap((p) => p.models.map((m) => loosen(m.match))),
  };
}

if (import.meta.main) {
  const table = await buildCatalogTable(new Date());
  writeFileSync(OUT, `${JSON.stringify(table)}\n`);
  console.log(
    `${OUT}: ${Object.keys(table.names).length} names of ${Object.keys(table.models).length} models, ${table.rules.length} match rules (genai-prices ${table.version})`,
  );
}
