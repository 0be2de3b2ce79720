/**
 * TypeBox schema of `gateway.config.ts` (DESIGN §6). Objects are closed (`additionalProperties: false`),
 * so a misspelt key is an error that names its path instead of a silently ignored setting. Plugins are
 * checked for their shape here; their own options are checked by their schemas in `definePlugin`.
 *
 * One declaration, two views: `ConfigSchema` is the shape as the admin UI's editor shows and edits it
 * (a list entry is a plugin or a model), `ConfigInputSchema` is what validation accepts, the same shape
 * with skipped entries (`hasKey && openai({...})`: `false`, `null`, `undefined`) allowed in lists and as
 * providers. Keeping skips out of the editor's schema keeps its plugin positions recognisable (no "add").
 */
import { Type, type TSchema } from "@sinclair/typebox";

const closed = <T extends Parameters<typeof Type.Object>[0]>(properties: T, description?: string) =>
  Type.Object(properties, { additionalProperties: false, description });

const PositiveMs = (description: string) => Type.Number({ minimum: 1, description });
const EnvRefSchema = Type.Object({ name: Type.String(), value: Type.Optional(Type.String()) }, { description: "env(NAME)" });
const StringOrEnv = Type.Union([Type.String(), EnvRefSchema]);

const PluginSchema = (description: string) =>
  Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: true, description });

/** How a list entry or a provider is declared in one view of the schema. */
type Entry = (item: TSchema) => TSchema;

/** Marks the unions `orSkipped` makes, so that validation reports what is wrong with the entry itself. */
export const SKIPPABLE = "x-skippable";
const asWritten: Entry = (item) => item;
const orSkipped: Entry = (item) => Type.Union([item, Type.Literal(false), Type.Null(), Type.Undefined()], { [SKIPPABLE]: true });

const TimeoutsSchema = closed({
  connectMs: Type.Optional(PositiveMs("response headers within this time of the attempt start")),
  firstTokenMs: Type.Optional(PositiveMs("first content within this time of the attempt start")),
  idleMs: Type.Optional(PositiveMs("longest silence between stream events")),
  totalMs: Type.Optional(PositiveMs("deadline of the whole request")),
});

const ModelEntrySchema = closed({
  model: Type.String({ minLength: 1, description: "provider/model" }),
  weight: Type.Optional(Type.Number({ minimum: 0 })),
  vision: Type.Optional(Type.Boolean()),
  contextWindow: Type.Optional(Type.Integer({ minimum: 1 })),
  prefill: Type.Optional(Type.Boolean()),
});

const tierSchema = (entry: Entry) => closed({
  models: Type.Array(entry(Type.Union([Type.String({ minLength: 1 }), ModelEntrySchema])), { minItems: 1 }),
  strategy: Type.Optional(Type.Union([Type.Literal("sequential"), Type.Literal("random"), Type.Literal("adaptive")])),
  maxAttempts: Type.Optional(Type.Integer({ minimum: 1 })),
  timeouts: Type.Optional(TimeoutsSchema),
});

const configSchema = (entry: Entry) => closed({
  server: Type.Optional(
    closed({
      port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
      host: Type.Optional(Type.String({ minLength: 1 })),
    }),
  ),
  auth: Type.Optional(closed({ apiKeys: Type.Optional(Type.Array(entry(StringOrEnv))), open: Type.Optional(Type.Boolean()) })),
  providers: Type.Record(
    Type.String({ pattern: "^[A-Za-z0-9_.-]+$" }),
    entry(
      Type.Object(
        { name: Type.String(), kind: Type.Literal("provider") },
        { additionalProperties: true, description: "a provider from a factory such as openai({...})" },
      ),
    ),
    { minProperties: 1 },
  ),
  tiers: Type.Record(Type.String({ pattern: "^[A-Za-z0-9_.-]+$" }), tierSchema(entry), { minProperties: 1 }),
  routing: Type.Optional(
    closed({
      defaultTier: Type.Optional(Type.String()),
      unknownModel: Type.Optional(Type.Union([Type.Literal("classify"), Type.Literal("reject")])),
      aliases: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
      sticky: Type.Optional(Type.Boolean()),
      toolTurns: Type.Optional(Type.Boolean()),
    }),
  ),
  classifiers: Type.Optional(Type.Array(entry(PluginSchema("a classifier")))),
  retry: Type.Optional(
    closed({
      rules: Type.Optional(Type.Array(entry(PluginSchema("a retry rule")))),
      maxAttempts: Type.Optional(Type.Integer({ minimum: 1 })),
      perTarget: Type.Optional(Type.Integer({ minimum: 1 })),
      backoff: Type.Optional(
        closed({
          baseMs: Type.Optional(Type.Number({ minimum: 0 })),
          maxMs: Type.Optional(Type.Number({ minimum: 0 })),
          maxRetryAfterMs: Type.Optional(Type.Number({ minimum: 0 })),
        }),
      ),
    }),
  ),
  adapters: Type.Optional(Type.Array(entry(PluginSchema("a parameter adapter")))),
  timeouts: Type.Optional(TimeoutsSchema),
  health: Type.Optional(
    closed({
      rateLimitCooldownMs: Type.Optional(Type.Number({ minimum: 0 })),
      authCooldownMs: Type.Optional(Type.Number({ minimum: 0 })),
      failureCooldownMs: Type.Optional(Type.Number({ minimum: 0 })),
      decayHalfLifeMs: Type.Optional(Type.Number({ minimum: 1 })),
      windowMs: Type.Optional(Type.Number({ minimum: 1 })),
      openAfterFailures: Type.Optional(Type.Integer({ minimum: 0 })),
      openCooldownMs: Type.Optional(Type.Number({ minimum: 0 })),
      maxCooldownMs: Type.Optional(Type.Number({ minimum: 0 })),
    }),
  ),
  logging: Type.Optional(
    closed({
      bodies: Type.Optional(Type.Union([Type.Literal("full"), Type.Literal("truncated"), Type.Literal("none")])),
      retentionDays: Type.Optional(Type.Number({ minimum: 0 })),
      maxDbMb: Type.Optional(Type.Number({ minimum: 1 })),
      flushIntervalMs: Type.Optional(Type.Number({ minimum: 1, maximum: 600_000 })),
      maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1024 })),
    }),
  ),
  limits: Type.Optional(
    closed({
      maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1024 })),
      bodyTimeoutMs: Type.Optional(PositiveMs("longest time to receive a request's body once its headers are in")),
      maxRequestsPerClient: Type.Optional(Type.Integer({ minimum: 0 })),
      maxInFlight: Type.Optional(Type.Integer({ minimum: 0 })),
      maxJsonDepth: Type.Optional(Type.Integer({ minimum: 8, maximum: 10_000 })),
      maxUpstreamBodyBytes: Type.Optional(Type.Integer({ minimum: 1024 })),
      maxSseLineBytes: Type.Optional(Type.Integer({ minimum: 1024 })),
    }),
  ),
  pricing: Type.Optional(
    Type.Record(Type.String(), closed({ input: Type.Number({ minimum: 0 }), output: Type.Number({ minimum: 0 }) }), {
      description: "USD per million tokens, by provider/model or model name",
    }),
  ),
  plugins: Type.Optional(Type.Array(entry(PluginSchema("a guard or observer plugin")))),
});

/** The config's shape as the admin UI's editor shows it (descriptions, bounds): no skipped entries. */
export const ConfigSchema: TSchema = configSchema(asWritten);

/** What validation accepts: `ConfigSchema` with skipped entries allowed in lists and as providers. */
export const ConfigInputSchema: TSchema = configSchema(orSkipped);
