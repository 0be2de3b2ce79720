/**
 * Turns a validated config input into the config the gateway runs on: defaults applied, env references
 * read, every "provider/model" checked against the providers, plugins checked for the hook their kind
 * needs. Problems are collected as issues with their config path, never thrown one at a time.
 */

import { routingPlugins } from "../../plugins/routing/index.ts";
import type { Plugin, Provider, Target } from "../plugin/types.ts";
import { catalogEntry } from "../pricing/catalog.ts";
import { DEFAULTS } from "./defaults.ts";
import { isEnvRef, resolveEnv } from "./env.ts";
import { hookLists } from "./hooks.ts";
import type {
  GatewayConfigInput,
  ModelEntry,
  PriceInput,
  ResolvedConfig,
  ResolvedTier,
  Skipped,
  TierPolicy,
} from "./types.ts";

export interface ConfigIssue {
  /** Config path, e.g. `tiers.t1.models[0]`. */
  path: string;
  message: string;
  /** File and line at fault, filled in by the loader when it can find them. */
  file?: string;
  line?: number;
}

const isSkipped = (value: unknown): value is Skipped => value === false || value === null || value === undefined;

/** A list's entries that are not skipped, each with its index as written (issue paths name that one). */
function kept<T>(list: readonly (T | Skipped)[] | undefined): { value: T; index: number }[] {
  return (list ?? []).flatMap((value, index) => (isSkipped(value) ? [] : [{ value, index }]));
}

/** Env references inside a plugin's options whose variable is unset (and has no fallback). */
function unsetEnvRefs(value: unknown, path: string, issues: ConfigIssue[], seen = new Set<unknown>()): void {
  if (typeof value !== "object" || value === null || seen.has(value)) return;
  seen.add(value);
  if (isEnvRef(value)) {
    if (value.value === undefined) issues.push({ path, message: `environment variable ${value.name} is not set` });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    unsetEnvRefs(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`, issues, seen);
  }
}

/** The provider a bare model name belongs to: the one named `default`, or the only one. */
function defaultProvider(providers: Record<string, Provider>): string | undefined {
  const ids = Object.keys(providers);
  return "default" in providers ? "default" : ids.length === 1 ? ids[0] : undefined;
}

/** Splits "provider/model" (the model may contain slashes) against the known providers. */
export function parseTargetRef(
  ref: string,
  providers: Record<string, Provider>,
): { provider: string; model: string } | string {
  const slash = ref.indexOf("/");
  if (slash > 0 && ref.slice(0, slash) in providers)
    return { provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
  const fallback = defaultProvider(providers);
  if (fallback) return { provider: fallback, model: ref };
  const known = Object.keys(providers).join(", ");
  return slash > 0
    ? `unknown provider "${ref.slice(0, slash)}" in "${ref}" (providers: ${known})`
    : `"${ref}" has no provider: write "provider/${ref}" (providers: ${known}), or name one provider "default"`;
}

/** `pricing` split into the prices and the savings baseline. */
function pricingOf(input: GatewayConfigInput["pricing"]): Pick<ResolvedConfig, "pricing" | "pricingBaseline"> {
  const { baseline, ...rest } = input ?? {};
  const pricing: Record<string, PriceInput> = {};
  for (const [ref, price] of Object.entries(rest)) if (typeof price === "object") pricing[ref] = price;
  return typeof baseline === "string" ? { pricing, pricingBaseline: baseline } : { pricing };
}

function toTarget(entry: string | ModelEntry, providers: Record<string, Provider>): Target | string {
  const spec = typeof entry === "string" ? { model: entry } : entry;
  const parsed = parseTargetRef(spec.model, providers);
  if (typeof parsed === "string") return parsed;
  return {
    ref: `${parsed.provider}/${parsed.model}`,
    provider: parsed.provider,
    model: parsed.model,
    weight: spec.weight ?? DEFAULTS.model.weight,
    vision: spec.vision ?? DEFAULTS.model.vision,
    // The catalog's window is the default: a context-length failover needs to know which model is larger.
    contextWindow: spec.contextWindow ?? catalogEntry(spec.catalog ?? parsed.model)?.contextWindow,
    ...(spec.catalog ? { catalog: spec.catalog } : {}),
    prefill: spec.prefill ?? DEFAULTS.model.prefill,
  };
}

/** The list's plugins, skipped entries left out; each must have the hook its list calls. */
function checkHooks<P extends Plugin>(
  list: readonly (P | Skipped)[] | undefined,
  path: string,
  hook: keyof Plugin,
  issues: ConfigIssue[],
): P[] {
  const entries = kept(list);
  for (const { value: plugin, index } of entries) {
    if (typeof plugin[hook] !== "function") {
      issues.push({
        path: `${path}[${index}]`,
        message: `plugin ${plugin.name} has no ${String(hook)}() hook, so it cannot be used in ${path}`,
      });
    }
  }
  return entries.map((e) => e.value);
}

/** What resolution builds up before the config is complete. */
interface Building {
  tiers: Record<string, ResolvedTier>;
  targets: Map<string, Target>;
  modelNames: Map<string, string>;
  tierAliases: Map<string, string>;
  tierless: TierPolicy;
}

function resolveTiers(
  input: GatewayConfigInput,
  providers: Record<string, Provider>,
  config: Building,
  issues: ConfigIssue[],
): void {
  for (const [name, tier] of Object.entries(input.tiers)) {
    const targets: Target[] = [];
    const models = kept(tier.models);
    if (models.length === 0)
      issues.push({
        path: `tiers.${name}.models`,
        message: `every model of tier ${name} is left out: at least one must remain`,
      });
    for (const { value: entry, index } of models) {
      const path = `tiers.${name}.models[${index}]`;
      const target = toTarget(entry, providers);
      if (typeof target === "string") {
        issues.push({ path, message: target });
        continue;
      }
      if (targets.some((t) => t.ref === target.ref)) {
        issues.push({ path, message: `${target.ref} is listed twice in tier ${name}` });
        continue;
      }
      targets.push(target);
      if (!config.targets.has(target.ref)) config.targets.set(target.ref, target);
      if (!config.modelNames.has(target.model)) config.modelNames.set(target.model, target.ref);
    }
    const { tierless } = config;
    const kind = tier.kind ?? "chat";
    if (kind === "embeddings")
      for (const target of targets)
        if (!providers[target.provider]?.buildEmbeddingsRequest)
          issues.push({
            path: `tiers.${name}.models`,
            message: `provider ${target.provider} of ${target.ref} does not serve embeddings`,
          });
    config.tiers[name] = {
      name,
      kind,
      targets,
      strategy: tier.strategy ?? tierless.strategy,
      maxAttempts: tier.maxAttempts ?? tierless.maxAttempts,
      timeouts: { ...tierless.timeouts, ...tier.timeouts },
    };
  }
}

/** The providers that are not skipped; at least one must remain. */
function keptProviders(written: GatewayConfigInput["providers"], issues: ConfigIssue[]): Record<string, Provider> {
  const providers: Record<string, Provider> = {};
  for (const [id, provider] of Object.entries(written)) if (!isSkipped(provider)) providers[id] = provider;
  if (Object.keys(providers).length === 0)
    issues.push({ path: "providers", message: "every provider is left out: at least one must remain" });
  return providers;
}

/** Resolves a schema-valid input; `config` is set only when there is no issue. */
export function resolveConfig(input: GatewayConfigInput): { config?: ResolvedConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const providers = keptProviders(input.providers, issues);
  for (const [id, provider] of Object.entries(providers)) {
    if (typeof provider.buildRequest !== "function")
      issues.push({ path: `providers.${id}`, message: `provider ${provider.name} has no buildRequest()` });
    unsetEnvRefs(provider.options, `providers.${id}.options`, issues);
  }
  const timeouts = { ...DEFAULTS.timeouts, ...input.timeouts };
  const retry = {
    rules: checkHooks(input.retry?.rules, "retry.rules", "judge", issues),
    maxAttempts: input.retry?.maxAttempts ?? DEFAULTS.retry.maxAttempts,
    perTarget: input.retry?.perTarget ?? DEFAULTS.retry.perTarget,
    backoff: { ...DEFAULTS.retry.backoff, ...input.retry?.backoff },
  };
  const tierless: TierPolicy = { strategy: DEFAULTS.tier.strategy, maxAttempts: retry.maxAttempts, timeouts };
  const partial: Building = { tiers: {}, targets: new Map(), modelNames: new Map(), tierAliases: new Map(), tierless };
  resolveTiers(input, providers, partial, issues);

  for (const [alias, ref] of Object.entries(input.routing?.aliases ?? {})) {
    // A tier's name (or "auto") maps the alias to that route: clients that insist on a model name.
    if (ref === "auto" || ref in partial.tiers) {
      partial.tierAliases.set(alias, ref);
      continue;
    }
    const target = toTarget(ref, providers);
    if (typeof target === "string") issues.push({ path: `routing.aliases.${alias}`, message: target });
    else {
      if (!partial.targets.has(target.ref)) partial.targets.set(target.ref, target);
      partial.modelNames.set(alias, target.ref);
    }
  }
  const tierNames = Object.keys(partial.tiers);
  const chatTiers = tierNames.filter((name) => partial.tiers[name].kind === "chat");
  const defaultTier =
    input.routing?.defaultTier ??
    (chatTiers.includes(DEFAULTS.routing.defaultTier) ? DEFAULTS.routing.defaultTier : (chatTiers[0] ?? tierNames[0]));
  if (!(defaultTier in partial.tiers))
    issues.push({
      path: "routing.defaultTier",
      message: `tier "${defaultTier}" does not exist (tiers: ${tierNames.join(", ")})`,
    });
  else if (partial.tiers[defaultTier].kind !== "chat")
    issues.push({
      path: "routing.defaultTier",
      message: `tier "${defaultTier}" serves embeddings: the default tier must be a chat tier`,
    });

  const classifiers = checkHooks(input.classifiers, "classifiers", "classify", issues);
  const adapters = checkHooks(input.adapters, "adapters", "adapt", issues);
  const plugins = kept(input.plugins).map((e) => e.value);
  const apiKeys = kept(input.auth?.apiKeys)
    .map((e) => resolveEnv(e.value))
    .filter((k): k is string => typeof k === "string" && k.length > 0);
  if (issues.length > 0) return { issues };
  const routing = {
    defaultTier,
    unknownModel: input.routing?.unknownModel ?? DEFAULTS.routing.unknownModel,
    sticky: input.routing?.sticky ?? DEFAULTS.routing.sticky,
    toolTurns: input.routing?.toolTurns ?? DEFAULTS.routing.toolTurns,
  };
  return {
    issues,
    config: {
      server: { ...DEFAULTS.server, ...input.server },
      apiKeys,
      openAccess: input.auth?.open ?? DEFAULTS.auth.open,
      providers,
      ...partial,
      timeouts,
      retry,
      routing,
      classifiers,
      adapters,
      health: { ...DEFAULTS.health, ...input.health },
      logging: { ...DEFAULTS.logging, ...input.logging },
      limits: { ...DEFAULTS.limits, ...input.limits },
      ...pricingOf(input.pricing),
      plugins,
      hooks: hookLists({ classifiers, adapters, rules: retry.rules, plugins, builtins: routingPlugins(routing) }),
    },
  };
}

/**
 * The policy a request runs with: its tier's, or the config's `tierless` one when it has none (a pinned
 * model that no tier lists, tier "none").
 */
export function tierPolicy(config: Pick<ResolvedConfig, "tiers" | "tierless">, tier: string | undefined): TierPolicy {
  return tier !== undefined && Object.hasOwn(config.tiers, tier) ? config.tiers[tier] : config.tierless;
}
