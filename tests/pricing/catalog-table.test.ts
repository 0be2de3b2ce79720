/**
 * The prebuilt catalog table (src/pricing/catalog-table.json) against the installed library: the
 * gateway answers every name as @pydantic/genai-prices does, without loading it for the names a
 * config usually holds. A package upgrade without `bun scripts/build-catalog-table.ts` fails here.
 */
import { describe, expect, test } from "bun:test";
import { calcPrice, waitForUpdate } from "@pydantic/genai-prices";
import { buildCatalogTable, installedVersion } from "../../scripts/build-catalog-table.ts";
import { CATALOG, catalogEntry } from "../../src/pricing/catalog.ts";
import { PROVIDERS, searchCatalog } from "../../src/pricing/catalog-search.ts";
import table from "../../src/pricing/catalog-table.json" with { type: "json" };

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

  test("the shipped demo config and the bench config resolve without loading the library", async () => {
    const script = `
      import { resolveConfigValue } from "${ROOT}src/config/load.ts";
      for (const file of ["gateway.config.ts", "bench/gateway.bench.config.ts"]) {
        const result = resolveConfigValue((await import("${ROOT}" + file)).default);
        if (!result.ok) throw new Error(file + ": " + JSON.stringify(result.issues));
      }
      console.log(Object.keys(require.cache).some((path) => path.includes("genai-prices")) ? "loaded" : "not loaded");`;
    const env = { ...process.env, MOCK_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "", DEEPSEEK_API_KEY: "" };
    const proc = Bun.spawn([process.execPath, "-e", script], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
    const [out, err] = [await new Response(proc.stdout).text(), await new Response(proc.stderr).text()];
    expect(err).toBe("");
    expect(out.trim()).toBe("not loaded");
  });

  test("a gpt-4o dated variant and a deepseek model (priced by the hour) still get the library's answer", () => {
    expect(catalogEntry("gpt-4o-mini-2024-07-18")?.id).toBe("openai/gpt-4o-mini");
    expect(catalogEntry("deepseek-chat")).toEqual(libraryAnswer("deepseek-chat"));
  });
});
