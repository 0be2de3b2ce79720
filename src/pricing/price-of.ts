/**
 * Which price a model has: the config's `pricing` (by "provider/model", then by model name) over the
 * bundled catalog (by the entry's `catalog` name, else the upstream model name). None: not priced.
 */
import type { ResolvedConfig } from "../config/types.ts";
import type { RequestClient, Target } from "../plugin/types.ts";
import { catalogEntry } from "./catalog.ts";
import { type CostBreakdown, costOf, type TokenParts } from "./cost.ts";
import type { ModelPrice } from "./price.ts";

export interface PricedModel {
  price: ModelPrice;
  /** "config" or the catalog entry's id ("catalog:openai/gpt-4o-mini"). */
  source: string;
}

type PricingConfig = Pick<ResolvedConfig, "pricing" | "pricingBaseline" | "tiers">;
type KeyLimits = NonNullable<RequestClient["limits"]>;
type Model = Pick<Target, "ref" | "model" | "catalog">;

export function priceOf(config: Pick<ResolvedConfig, "pricing">, target: Model): PricedModel | undefined {
  const own = config.pricing[target.ref] ?? config.pricing[target.model];
  if (own) return { price: own, source: "config" };
  const entry = catalogEntry(target.catalog ?? target.model);
  return entry ? { price: entry.price, source: `catalog:${entry.id}` } : undefined;
}

/** A ref's model: the target of that ref in a tier (with its `catalog`), else the name after the slash. */
function modelOfRef(config: PricingConfig, ref: string): Model {
  for (const tier of Object.values(config.tiers)) {
    const target = tier.targets.find((t) => t.ref === ref);
    if (target) return target;
  }
  return { ref, model: ref.slice(ref.indexOf("/") + 1) };
}

export interface Baseline {
  ref: string;
  cost: CostBreakdown;
}

/** Where a request could have been routed: its tier's kind of tiers, as far as its key's limits allow. */
export interface RouteScope {
  tiers: readonly string[];
  /** The key's model allowlist (refs or model names, as key limits match them); absent: every model of those tiers. */
  models?: readonly string[];
}

/** Tiers of the same kind, per resolved config: what a key without a tier allowlist can be routed to. */
const tiersOfKind = new WeakMap<object, Map<string, readonly string[]>>();

/** The scope of a request routed to `tier` by a key with `limits` (a chat request never had an embeddings tier). */
export function routeScope(config: Pick<ResolvedConfig, "tiers">, tier: string, limits?: KeyLimits): RouteScope {
  const kind = config.tiers[tier]?.kind ?? "chat";
  let byKind = tiersOfKind.get(config.tiers);
  if (!byKind) tiersOfKind.set(config.tiers, (byKind = new Map()));
  let tiers = byKind.get(kind);
  if (!tiers) {
    tiers = Object.keys(config.tiers).filter((name) => config.tiers[name].kind === kind);
    byKind.set(kind, tiers);
  }
  const allowed = limits?.tiers;
  return { tiers: allowed ? tiers.filter((name) => allowed.includes(name)) : tiers, models: limits?.models };
}

interface PricedTarget {
  tier: string;
  target: Model;
  price: ModelPrice;
}

/**
 * Every priced target of every tier, looked up once per resolved config (a config is immutable; a reload
 * makes a new one): the request log computes a baseline for every request, and looking each target up
 * in the config's pricing and the catalog again each time was a visible share of the gateway's CPU.
 */
const pricedTargetsOf = new WeakMap<object, readonly PricedTarget[]>();

function pricedTargets(config: PricingConfig): readonly PricedTarget[] {
  let list = pricedTargetsOf.get(config);
  if (!list) {
    list = Object.entries(config.tiers).flatMap(([tier, t]) =>
      t.targets.flatMap((target) => {
        const priced = priceOf(config, target);
        return priced ? [{ tier, target, price: priced.price }] : [];
      }),
    );
    pricedTargetsOf.set(config, list);
  }
  return list;
}

/**
 * What the same tokens would have cost on the baseline: `pricing.baseline` when set, else the most
 * expensive priced model the request could have been routed to (`scope`, default every tier and model).
 */
export function baselineCost(config: PricingConfig, parts: TokenParts, scope?: RouteScope): Baseline | undefined {
  if (config.pricingBaseline) {
    const priced = priceOf(config, modelOfRef(config, config.pricingBaseline));
    return priced ? { ref: config.pricingBaseline, cost: costOf(parts, priced.price) } : undefined;
  }
  let best: Baseline | undefined;
  for (const { tier, target, price } of pricedTargets(config)) {
    if (scope && !scope.tiers.includes(tier)) continue;
    if (scope?.models && !scope.models.includes(target.ref) && !scope.models.includes(target.model)) continue;
    const cost = costOf(parts, price);
    if (!best || cost.totalMicros > best.cost.totalMicros) best = { ref: target.ref, cost };
  }
  return best;
}
