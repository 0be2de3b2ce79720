/**
 * The prebuilt catalog table (src/pricing/catalog-table.json) against the installed library: the
 * gateway answers every name as @pydantic/genai-prices does, without loading it for the names a
 * config usually holds. A package upgrade without `bun scripts/build-catalog-table.ts` fails here.
 */
import { describe, expect, test } from "bun:test";
import { calcPrice, waitForUpdate } from "@pydantic/genai-prices";
import { buildCatalogTable, installedVersion } from "../../scripts/build-catalog-table.ts";
import { CATALOG, catalogEntry } from "../../src/pricing/catalog.ts";
import { PROVIDERS, searchCatalog, toModelPrice } from "../../src/pricing/catalog-search.ts";
import table from "../../src/pricing/catalog-table.json" with { type: "json" };
import { type PriceVariant, priceAt } from "../../src/pricing/catalog-table.ts";

const lookedUpIn = new Set([...PROVIDERS, "openrouter"]);
const ROOT = new URL("../..", import.meta.url).pathname;

/** What the library itself answers for `name` now, as JSON holds it. */
const libraryAnswer = (name: string) => JSON.parse(JSON.stringify(searchCatalog(calcPrice, name)?.entry ?? null));

describe("the prebuilt catalog table", () => {
  test("is what the installed library answers (else: bun scripts/build-catalog-table.ts)", async () => {
    expect(table.version).toBe(CATALOG.version);
    expect(table.version).toBe(installedVersion());
    expect(await buildCatalogTable(new Date(table.builtAt))).toEqual(table as never);
  });

  test("every name the catalog knows, and names it does not, answer as the library does", async () => {
    const names = ["corp-private-model-7", "m1", "small", "embed", "sim/large", "GPT-4O-MINI", "  o3 "];
    // Every model of every provider (also those a bare name is never looked up in), and dated variants
    // of the models of the providers it is.
    for (const provider of (await waitForUpdate()) ?? [])
      for (const model of provider.models) {
        names.push(model.id, `${provider.id}/${model.id}`);
        if (lookedUpIn.has(provider.id)) names.push(`${model.id}-20250101`);
      }
    const differing = names.filter(
      (name) =>
        JSON.stringify(JSON.parse(JSON.stringify(catalogEntry(name) ?? null))) !==
        JSON.stringify(libraryAnswer(name.trim())),
    );
    expect(differing).toEqual([]);
  });

  test("the shipped demo config (with and without provider keys) and the bench config resolve without loading the library", async () => {
    const script = `
      import { resolveConfigValue } from "${ROOT}src/config/load.ts";
      for (const file of ["gateway.config.ts", "bench/gateway.bench.config.ts"]) {
        const result = resolveConfigValue((await import("${ROOT}" + file)).default);
        if (!result.ok) throw new Error(file + ": " + JSON.stringify(result.issues));
      }
      console.log(Object.keys(require.cache).some((path) => path.includes("genai-prices")) ? "loaded" : "not loaded");`;
    for (const key of ["", "sk-test-not-used"]) {
      const env = { ...process.env, MOCK_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: key, DEEPSEEK_API_KEY: key };
      const proc = Bun.spawn([process.execPath, "-e", script], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
      const [out, err] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text()];
      expect(err).toBe("");
      expect(out.trim()).toBe("not loaded");
    }
  });

  test("a model priced by the hour or from a later date has, at any time, the price the library gives then", () => {
    const timed = Object.entries(table.models).filter(([, model]) => "prices" in model);
    expect(timed.map(([id]) => id)).toContain("deepseek/deepseek-chat"); // off-peak hours
    expect(timed.map(([id]) => id)).toContain("google/gemini-3.6-flash"); // a price from 2027-01-01
    const times = [new Date("2026-12-31T23:59:59Z"), new Date("2027-01-01T00:00:01Z")];
    for (let minute = 0; minute < 24 * 60; minute += 15) times.push(new Date(Date.UTC(2026, 9, 1, 0, minute, 7)));
    for (const [id, model] of timed) {
      const provider = id.slice(0, id.indexOf("/"));
      for (const timestamp of times) {
        const found = calcPrice({}, id.slice(provider.length + 1), { providerId: provider, timestamp });
        expect(`${found?.provider.id}/${found?.model.id}`).toBe(id);
        const price = priceAt((model as { prices: PriceVariant[] }).prices, timestamp);
        expect({ id, timestamp, price }).toEqual({ id, timestamp, price: toModelPrice(found!.model_price)! });
      }
    }
  });

  test("a dated variant not in the table gets the library's answer", () => {
    expect(catalogEntry("gpt-4o-mini-2024-07-18")?.id).toBe("openai/gpt-4o-mini");
    expect(catalogEntry("claude-sonnet-4-5-20250929")?.id).toBe("anthropic/claude-sonnet-4-5");
  });
});
