/**
 * TypeBox schema of `gateway.config.ts` (DESIGN §6). Objects are closed (`additionalProperties: false`),
 * so a misspelt key is an error that names its path instead of a silently ignored setting. Plugins are
 * checked for their shape here; their own options are checked by their schemas in `definePlugin`.
 *
 * The documented source of the config's shape is the interface in `types.ts` (its JSDoc is what editors
 * show on hover, which a schema's `description` is not); this schema must describe the same shape, and
 * the assertion at the end of this file stops the build when the two drift apart. Defaults come from
 * `defaults.ts` and are carried here as `default` (the admin UI fills a new field with it).
 *
 * One declaration, two views: `ConfigSchema` is the shape as the admin UI's editor shows and edits it
 * (a list entry is a plugin or a model), `ConfigInputSchema` is what validation accepts, the same shape
 * with skipped entries (`hasKey && openai({...})`: `false`, `null`, `undefined`) allowed in lists and as
 * providers. Keeping skips out of the editor's schema keeps its plugin positions recognisable (no "add").
 */
import {
  type Static,
  type TLiteral,
  type TNull,
  type TSchema,
  type TUndefined,
  type TUnion,
  Type,
} from "@sinclair/typebox";
import type { Classifier, ParamAdapter, Plugin, Provider, RetryRule } from "../plugin/types.ts";
import { DEFAULTS as D } from "./defaults.ts";
import type { EnvRef } from "./env.ts";
import type { GatewayConfigInput, PricingInput } from "./types.ts";

const closed = <T extends Parameters<typeof Type.Object>[0]>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, description });

const PositiveMs = (description: string, value: number) => Type.Number({ minimum: 1, description, default: value });
const Ms = (value: number) => Type.Number({ minimum: 0, default: value });
const Id = Type.String({ pattern: "^[A-Za-z0-9_.-]+$" });

// Objects built by code (env references, plugins) are checked for the shape the gateway reads, and
// typed (`Type.Unsafe`) as what they are, so that the schema's static type is the config's input type.
const EnvRefSchema = Type.Unsafe<EnvRef>(
  Type.Object({ name: Type.String(), value: Type.Optional(Type.String()) }, { description: "env(NAME)" }),
);
const StringOrEnv = Type.Union([Type.String(), EnvRefSchema]);
const PluginSchema = <P extends Plugin>(description: string) =>
  Type.Unsafe<P>(Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: true, description }));
const ProviderSchema = Type.Unsafe<Provider>(
  Type.Object(
    { name: Type.String(), kind: Type.Literal("provider") },
    { additionalProperties: true, description: "a provider from a factory such as openai({...})" },
  ),
);

/** Marks the unions `entryOf(true)` makes, so that validation reports what is wrong with the entry itself. */
export const SKIPPABLE = "x-skippable";
type Skippable<T extends TSchema> = TUnion<[T, TLiteral<false>, TNull, TUndefined]>;
type Entry<Skip extends boolean> = <T extends TSchema>(item: T) => Skip extends true ? Skippable<T> : T;

/** How a list entry or a provider is declared: as written, or also skippable. */
function entryOf<Skip extends boolean>(skip: Skip): Entry<Skip> {
  // A function returning a conditional type needs a cast; each branch is plainly of its type.
  return (<T extends TSchema>(item: T) =>
    skip
      ? Type.Union([item, Type.Literal(false), Type.Null(), Type.Undefined()], { [SKIPPABLE]: true })
      : item) as Entry<Skip>;
}

const TimeoutsSchema = closed({
  connectMs: Type.Optional(PositiveMs("response headers within this time of the attempt start", D.timeouts.connectMs)),
  firstTokenMs: Type.Optional(
    PositiveMs("first content within this time of the attempt start", D.timeouts.firstTokenMs),
  ),
  idleMs: Type.Optional(PositiveMs("longest silence between stream events", D.timeouts.idleMs)),
  totalMs: Type.Optional(PositiveMs("deadline of the whole request", D.timeouts.totalMs)),
});

const usd = Type.Number({ minimum: 0 });
const PriceSchema = closed({
  input: usd,
  output: usd,
  cachedInput: Type.Optional(usd),
  cacheWrite: Type.Optional(usd),
  cacheWrite1h: Type.Optional(usd),
  reasoning: Type.Optional(usd),
});

const ModelEntrySchema = closed({
  model: Type.String({ minLength: 1, description: "provider/model" }),
  weight: Type.Optional(Type.Number({ minimum: 0, default: D.model.weight })),
  vision: Type.Optional(Type.Boolean({ default: D.model.vision })),
  contextWindow: Type.Optional(Type.Integer({ minimum: 1 })),
  catalog: Type.Optional(Type.String({ minLength: 1, description: "catalog entry, e.g. openai/gpt-4o-mini" })),
  prefill: Type.Optional(Type.Boolean({ default: D.model.prefill })),
});

const tierSchema = <Skip extends boolean>(entry: Entry<Skip>) =>
  closed({
    models: Type.Array(entry(Type.Union([Type.String({ minLength: 1 }), ModelEntrySchema])), { minItems: 1 }),
    strategy: Type.Optional(
      Type.Union([Type.Literal("sequential"), Type.Literal("random"), Type.Literal("adaptive")], {
        default: D.tier.strategy,
      }),
    ),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, description: "default: retry.maxAttempts" })),
    timeouts: Type.Optional(TimeoutsSchema),
    kind: Type.Optional(
      Type.Union([Type.Literal("chat"), Type.Literal("embeddings")], {
        default: "chat",
        description: "chat completions (default), or embeddings (POST /v1/embeddings)",
      }),
    ),
  });

const serverSchema = closed({
  port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, default: D.server.port })),
  host: Type.Optional(Type.String({ minLength: 1, default: D.server.host })),
});

const routingSchema = closed({
  defaultTier: Type.Optional(
    Type.String({ default: D.routing.defaultTier, description: "default: t1, else the first tier" }),
  ),
  unknownModel: Type.Optional(
    Type.Union([Type.Literal("classify"), Type.Literal("reject")], { default: D.routing.unknownModel }),
  ),
  aliases: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
  sticky: Type.Optional(Type.Boolean({ default: D.routing.sticky })),
  toolTurns: Type.Optional(Type.Boolean({ default: D.routing.toolTurns })),
});

const healthSchema = closed({
  rateLimitCooldownMs: Type.Optional(Ms(D.health.rateLimitCooldownMs)),
  authCooldownMs: Type.Optional(Ms(D.health.authCooldownMs)),
  failureCooldownMs: Type.Optional(Ms(D.health.failureCooldownMs)),
  decayHalfLifeMs: Type.Optional(Type.Number({ minimum: 1, default: D.health.decayHalfLifeMs })),
  windowMs: Type.Optional(Type.Number({ minimum: 1, default: D.health.windowMs })),
  openAfterFailures: Type.Optional(Type.Integer({ minimum: 0, default: D.health.openAfterFailures })),
  openCooldownMs: Type.Optional(Ms(D.health.openCooldownMs)),
  maxCooldownMs: Type.Optional(Ms(D.health.maxCooldownMs)),
});

const loggingSchema = closed({
  bodies: Type.Optional(
    Type.Union([Type.Literal("full"), Type.Literal("truncated"), Type.Literal("none")], { default: D.logging.bodies }),
  ),
  retentionDays: Type.Optional(Type.Number({ minimum: 0, default: D.logging.retentionDays })),
  maxDbMb: Type.Optional(Type.Number({ minimum: 1, default: D.logging.maxDbMb })),
  flushIntervalMs: Type.Optional(Type.Number({ minimum: 1, maximum: 600_000, default: D.logging.flushIntervalMs })),
  maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1024, default: D.logging.maxBodyBytes })),
});

const limitsSchema = closed({
  maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1024, default: D.limits.maxBodyBytes })),
  bodyTimeoutMs: Type.Optional(
    PositiveMs("longest time to receive a request's body once its headers are in", D.limits.bodyTimeoutMs),
  ),
  maxRequestsPerClient: Type.Optional(Type.Integer({ minimum: 0, default: D.limits.maxRequestsPerClient })),
  maxInFlight: Type.Optional(Type.Integer({ minimum: 0, description: "default: derived from the open-file limit" })),
  maxJsonDepth: Type.Optional(Type.Integer({ minimum: 8, maximum: 10_000, default: D.limits.maxJsonDepth })),
  maxUpstreamBodyBytes: Type.Optional(Type.Integer({ minimum: 1024, default: D.limits.maxUpstreamBodyBytes })),
  maxSseLineBytes: Type.Optional(Type.Integer({ minimum: 1024, default: D.limits.maxSseLineBytes })),
});

function configSchema<Skip extends boolean>(skip: Skip) {
  const entry = entryOf(skip);
  return closed({
    server: Type.Optional(serverSchema),
    auth: Type.Optional(
      closed({
        apiKeys: Type.Optional(Type.Array(entry(StringOrEnv))),
        open: Type.Optional(Type.Boolean({ default: D.auth.open })),
      }),
    ),
    providers: Type.Record(Id, entry(ProviderSchema), { minProperties: 1 }),
    tiers: Type.Record(Id, tierSchema(entry), { minProperties: 1 }),
    routing: Type.Optional(routingSchema),
    classifiers: Type.Optional(Type.Array(entry(PluginSchema<Classifier>("a classifier")))),
    retry: Type.Optional(
      closed({
        rules: Type.Optional(Type.Array(entry(PluginSchema<RetryRule>("a retry rule")))),
        maxAttempts: Type.Optional(Type.Integer({ minimum: 1, default: D.retry.maxAttempts })),
        perTarget: Type.Optional(Type.Integer({ minimum: 1, default: D.retry.perTarget })),
        backoff: Type.Optional(
          closed({
            baseMs: Type.Optional(Ms(D.retry.backoff.baseMs)),
            maxMs: Type.Optional(Ms(D.retry.backoff.maxMs)),
            maxRetryAfterMs: Type.Optional(Ms(D.retry.backoff.maxRetryAfterMs)),
          }),
        ),
      }),
    ),
    adapters: Type.Optional(Type.Array(entry(PluginSchema<ParamAdapter>("a parameter adapter")))),
    timeouts: Type.Optional(TimeoutsSchema),
    health: Type.Optional(healthSchema),
    logging: Type.Optional(loggingSchema),
    limits: Type.Optional(limitsSchema),
    pricing: Type.Optional(
      // Unsafe only for the static type: TypeBox cannot infer an index signature beside a named key.
      Type.Unsafe<PricingInput>(
        Type.Object(
          {
            baseline: Type.Optional(Type.String({ minLength: 1, description: "provider/model savings count against" })),
          },
          { additionalProperties: PriceSchema, description: "USD per million tokens, by provider/model or model name" },
        ),
      ),
    ),
    plugins: Type.Optional(Type.Array(entry(PluginSchema<Plugin>("a guard or observer plugin")))),
  });
}

/** The config's shape as the admin UI's editor shows it (descriptions, bounds, defaults): no skipped entries. */
export const ConfigSchema = configSchema(false);

/** What validation accepts: `ConfigSchema` with skipped entries allowed in lists and as providers. */
export const ConfigInputSchema = configSchema(true);

// The schema and the documented interface are one shape: a key or type in one and not the other is a
// compile error here (exact equality, not assignability, so an optional key missing on either side counts).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameShape: Same<Static<typeof ConfigInputSchema>, GatewayConfigInput> = true;
void sameShape;
