/**
 * The config page's provider and model forms: "Test connection" (GET {baseURL}/models with the key
 * typed, which is never stored by the test nor echoed back), "Add provider" (the key to the secret
 * store, `providers.<name>: kind({ baseURL, apiKey: env("NAME") })` written as a surgical edit, its
 * factory imported if missing, applied like any change), the tier picker's model choices (configured
 * targets and what each provider's /models lists, with the catalog's context window and price).
 */
import { Elysia } from "elysia";
import type { EnvRef } from "../../config/env.ts";
import { resolveEnv } from "../../config/env.ts";
import {
  PROVIDER_KINDS,
  PROVIDER_NAME,
  probeUpstream,
  providerKind,
  providerValue,
} from "../../config-editor/provider-kinds.ts";
import { freeSecretName, type SecretStore, secretName } from "../../config-editor/secret-store.ts";
import type { Edit } from "../../config-editor/source-edit.ts";
import { configTree } from "../../config-editor/source-tree.ts";
import type { Gateway } from "../../gateway.ts";
import { catalogEntry } from "../../pricing/catalog.ts";
import type { Rate } from "../../pricing/price.ts";
import { priceOf } from "../../pricing/price-of.ts";
import { bodyOf } from "./admin-input.ts";
import { edited, requireStore } from "./config-secret-routes.ts";
import { bad, type ConfigWriter } from "./config-writer.ts";
import type { ModelChoice } from "./contract/answers.ts";
import type { Answer } from "./contract/routes.ts";

/** How long the picker waits for each provider's /models: it is opened while the admin waits. */
const PICKER_PROBE_MS = 3_000;

const kindOf = (name: string) => {
  const kind = providerKind(name);
  if (!kind) throw bad(`kind must be one of ${PROVIDER_KINDS.map((k) => k.factory).join(", ")}`, "kind");
  return kind;
};

const baseRate = (rate: Rate | undefined): number | undefined => (typeof rate === "number" ? rate : rate?.base);

/** The factory behind a running provider ("builtin:openai-responses" → openaiResponses), if the form knows it. */
const factoryOfProvider = (pluginName: string | undefined) =>
  ({ "builtin:openai": "openai", "builtin:openai-responses": "openaiResponses", "builtin:anthropic": "anthropic" })[
    pluginName ?? ""
  ];

export function configProviderRoutes(parts: { gateway: Gateway; writer: ConfigWriter; secrets?: SecretStore }) {
  const { gateway, writer } = parts;
  const store = () => requireStore(parts.secrets);

  return new Elysia()
    .post("/config/providers/test", async ({ request }): Promise<Answer<"POST /api/config/providers/test">> => {
      const body = await bodyOf(request, "POST /api/config/providers/test");
      return probeUpstream(kindOf(body.kind), body.baseURL.trim(), body.apiKey?.trim() || undefined);
    })
    .post("/config/providers", async ({ request }): Promise<Answer<"POST /api/config/providers">> => {
      const body = await bodyOf(request, "POST /api/config/providers");
      const kind = kindOf(body.kind);
      const name = body.name.trim();
      if (!PROVIDER_NAME.test(name))
        throw bad("name: a letter, then letters, digits, - or _ (it prefixes model names: name/model)", "name");
      const baseURL = body.baseURL.trim();
      if (!/^https?:\/\/[^/\s]+/.test(baseURL)) throw bad("baseURL must be an http:// or https:// address", "baseURL");
      const apiKey = body.apiKey?.trim() || undefined;
      if (kind.keyRequired && !apiKey) throw bad(`an ${kind.factory} provider needs an API key`, "apiKey");
      const source = writer.onDisk();
      const providers = configTree(source, gateway.live.get()).find((node) => node.path === "providers");
      if (providers?.children?.some((child) => child.key === name))
        throw bad(`a provider named ${name} already exists`, "name");
      const secrets = apiKey ? store() : undefined;
      const env = apiKey ? freeSecretName(secretName(name, "apiKey"), apiKey) : undefined;
      const edit: Edit = providers
        ? { op: "insert", path: "providers", key: name, value: providerValue(kind, baseURL, env) }
        : { op: "insert", path: "", key: "providers", value: { [name]: providerValue(kind, baseURL, env) } };
      const candidate = edited(source, [edit]);
      // Stored first, since loading the edited config reads it from process.env; taken back if nothing refers to it.
      const fresh = env !== undefined && !secrets!.has(env);
      if (env) secrets!.set(env, apiKey!);
      const forget = () => fresh && secrets!.delete(env!);
      let applied: Awaited<ReturnType<ConfigWriter["apply"]>>;
      try {
        applied = await writer.apply(request, {
          source: candidate,
          reason: `added provider ${name}`,
          password: body.password,
        });
      } catch (error) {
        forget();
        throw error;
      }
      if (!applied.ok) {
        forget();
        return writer.answer(applied);
      }
      return { ok: true, version: applied.version, ...(env ? { env } : {}) };
    })
    .get("/config/models", async (): Promise<Answer<"GET /api/config/models">> => {
      const config = gateway.live.get();
      const choices = new Map<string, ModelChoice>();
      const add = (ref: string, configured: boolean, catalog?: string, contextWindow?: number) => {
        if (choices.has(ref)) return;
        const model = ref.slice(ref.indexOf("/") + 1);
        const priced = priceOf(config, { ref, model, catalog });
        const price = priced?.price;
        choices.set(ref, {
          ref,
          configured,
          contextWindow: contextWindow ?? catalogEntry(catalog ?? model)?.contextWindow,
          inputPrice: baseRate(price?.input),
          outputPrice: baseRate(price?.output),
          priceSource: priced?.source,
        });
      };
      for (const target of config.targets.values()) add(target.ref, true, target.catalog, target.contextWindow);
      const unreachable: { provider: string; error: string }[] = [];
      await Promise.all(
        Object.entries(config.providers).map(async ([id, provider]) => {
          const kind = providerKind(factoryOfProvider(provider.name) ?? "");
          const options = (provider.options ?? {}) as { baseURL?: string | EnvRef; apiKey?: string | EnvRef };
          const baseURL = resolveEnv(options.baseURL);
          if (!kind || !baseURL) return;
          const probe = await probeUpstream(kind, baseURL, resolveEnv(options.apiKey), { timeoutMs: PICKER_PROBE_MS });
          if (!probe.ok && probe.error) unreachable.push({ provider: id, error: probe.error });
          for (const model of probe.models) add(`${id}/${model}`, false);
        }),
      );
      return {
        models: [...choices.values()].sort(
          (a, b) => Number(b.configured) - Number(a.configured) || a.ref.localeCompare(b.ref),
        ),
        unreachable: unreachable.sort((a, b) => a.provider.localeCompare(b.provider)),
      };
    });
}
