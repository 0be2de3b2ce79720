/**
 * The admin API's request bodies and query strings as TypeBox schemas (Elysia's `t` is TypeBox). The
 * server validates every input with them (admin-input.ts); the UI sees only their `Static` types, so
 * TypeBox never reaches its bundle. `error` is the message of a 400 for that field (Elysia's own
 * option name), with the field in `param`. Checks that need the running config or the clock (a known
 * tier, a future time) stay in the routes.
 */
import { Type as t } from "@sinclair/typebox";
import type { JsonValue } from "../../../config-editor/source-edit.ts";

const text = () => t.Optional(t.String());

/** Setup, login and the account forms: the auth layer says what is missing, in its own words. */
export const SetupBody = t.Object({ token: text(), username: text(), password: text() });
export const LoginBody = t.Object({ username: text(), password: text(), code: text() });
export const PasswordBody = t.Object({ current: text(), next: text() });
export const UsernameBody = t.Object({ username: text(), password: text() });
export const CodeBody = t.Object({ code: text() });
export const SecondFactorBody = t.Object({ password: text(), code: text() });

export const SettingsBody = t.Object({
  require2fa: t.Optional(t.Boolean({ error: "require2fa must be true or false" })),
  sessionTtlMs: t.Optional(
    t.Integer({ minimum: 300_000, maximum: 30 * 86_400_000, error: "sessionTtlMs: 5 minutes to 30 days, in ms" }),
  ),
});

/** A non-blank name (`\S`): the route trims it. */
const names = (param: string) =>
  t.Optional(t.Union([t.Null(), t.Array(t.String({ minLength: 1 }))], { error: `${param} must be a list of names` }));

const LimitsInput = t.Object(
  {
    tiers: names("limits.tiers"),
    models: names("limits.models"),
    requestsPerMinute: t.Optional(
      t.Union([t.Null(), t.Integer({ minimum: 1 })], { error: "requestsPerMinute must be a whole number above 0" }),
    ),
    budgetUsd: t.Optional(
      t.Union([t.Null(), t.Number({ exclusiveMinimum: 0 })], { error: "budgetUsd must be an amount above 0" }),
    ),
    budgetPeriod: t.Optional(
      t.Union([t.Literal("day"), t.Literal("month"), t.Literal("total")], {
        error: 'budgetPeriod must be "day", "month" or "total"',
      }),
    ),
    maxConcurrent: t.Optional(
      t.Union([t.Null(), t.Integer({ minimum: 1 })], { error: "maxConcurrent must be a whole number above 0" }),
    ),
  },
  { error: "limits must be an object" },
);

export const KeyCreateBody = t.Object({
  name: t.String({ pattern: "\\S", maxLength: 100, error: "name is required (at most 100 characters)" }),
  expiresAt: t.Optional(
    t.Union([t.Null(), t.Number(), t.String()], { error: "expiresAt must be a future time (epoch ms or ISO-8601)" }),
  ),
  // An object, not null: inside a union TypeBox would report the union, not the wrong field in it.
  limits: t.Optional(LimitsInput),
});

export const KeyNameBody = t.Object({
  name: t.String({ pattern: "\\S", maxLength: 100, error: "name is required (at most 100 characters)" }),
});

const role = t.Union([t.Literal("admin"), t.Literal("viewer")], { error: 'role must be "admin" or "viewer"' });
export const InviteBody = t.Object({ role });
/** Accepting an invite: the link's token, and the new account's username and password. */
export const InviteAcceptBody = t.Object({ token: text(), username: text(), password: text() });

/** PUT /api/keys/:id/limits: the key's new limits, whole (a field left out is removed). */
export const KeyLimitsBody = t.Object({ limits: LimitsInput });

const json = t.Unsafe<JsonValue>(t.Any());
const EditSchema = t.Union(
  [
    t.Object({ op: t.Literal("set"), path: t.String(), value: json }),
    t.Object({
      op: t.Literal("insert"),
      path: t.String(),
      index: t.Optional(t.Number()),
      key: t.Optional(t.String()),
      value: json,
    }),
    t.Object({ op: t.Literal("remove"), path: t.String() }),
  ],
  { error: "each edit is { op: set, insert or remove, path, value }" },
);

/** Validate and apply: surgical `edits`, or a whole new `source`; `password` for a change of code. */
export const ChangeBody = t.Object({
  edits: t.Optional(t.Array(EditSchema, { error: "send edits (a non-empty list) or source" })),
  source: t.Optional(t.String({ error: "source must be the whole config text" })),
  reason: t.Optional(t.String()),
  password: t.Optional(t.String()),
  /** Apply only: literal secrets of the new text go to the secret store, the file gets env() references. */
  moveSecrets: t.Optional(t.Boolean()),
});

/** The config page's "Test connection": a provider kind, its base URL and the key typed (never stored by this). */
export const ProviderTestBody = t.Object({
  kind: t.String({ error: "kind must be a provider factory: openai, openaiResponses or anthropic" }),
  baseURL: t.String({ minLength: 1, error: "baseURL is required" }),
  apiKey: text(),
});

/** "Add provider": written as `providers.<name>: kind({ baseURL, apiKey: env(…) })`, the key to the secret store. */
export const ProviderAddBody = t.Object({
  kind: t.String({ error: "kind must be a provider factory: openai, openaiResponses or anthropic" }),
  name: t.String({ minLength: 1, error: "name is required" }),
  baseURL: t.String({ minLength: 1, error: "baseURL is required" }),
  apiKey: text(),
  password: text(),
});

export const SecretBody = t.Object({
  path: t.String({ error: "path and value (the secret) are required" }),
  value: t.String({ minLength: 1, error: "path and value (the secret) are required" }),
});

export const RollbackBody = t.Object({
  id: t.Number({ error: "id must be a version of the history" }),
  password: t.Optional(t.String()),
});

export const HealthResetBody = t.Object({ target: t.String({ error: "target must be a configured provider/model" }) });
export const ModelTestBody = t.Object({
  model: t.String({ minLength: 1, error: "model (provider/model) is required" }),
});

// ---- query strings: values arrive as text; admin-input.ts reads a number where the schema takes one.

/** Epoch milliseconds, or text the route reads as an ISO-8601 time. */
const time = () => t.Optional(t.Union([t.Number(), t.String()]));
const whole = (param: string, range: { minimum: number; maximum?: number }) =>
  t.Optional(
    t.Integer({
      ...range,
      error: `${param} must be a whole number from ${range.minimum}${range.maximum === undefined ? "" : ` to ${range.maximum}`}`,
    }),
  );
const outcome = t.Union([t.Literal("ok"), t.Literal("error")]);

/** A yes/no filter: "true" or "false" (absent: either). */
const flag = (param: string) =>
  t.Optional(t.Union([t.Literal("true"), t.Literal("false")], { error: `${param} must be "true" or "false"` }));

const logFilterFields = {
  from: time(),
  to: time(),
  status: t.Optional(
    t.Union([outcome, t.Integer({ minimum: 100, maximum: 599 })], {
      error: 'status must be "ok", "error" or a whole number from 100 to 599',
    }),
  ),
  tier: text(),
  model: text(),
  key: text(),
  q: text(),
  door: t.Optional(
    t.Union([t.Literal("chat"), t.Literal("messages"), t.Literal("responses"), t.Literal("embeddings")], {
      error: 'door must be "chat", "messages", "responses" or "embeddings"',
    }),
  ),
  /** Refused before routing (true) or routed (false). */
  refused: flag("refused"),
  /** The error code the request ended with. */
  code: text(),
  /** A provider/model any attempt went to. */
  attempted: text(),
  /** Attempts on more than one target. */
  failedOver: flag("failedOver"),
  minAttempts: whole("minAttempts", { minimum: 1 }),
  stream: flag("stream"),
  /** The model the client asked for. */
  requested: text(),
  minLatencyMs: t.Optional(t.Number({ minimum: 0, error: "minLatencyMs must be a number of milliseconds, 0 or more" })),
  sort: t.Optional(
    t.Union([t.Literal("ts"), t.Literal("latency"), t.Literal("cost")], {
      error: 'sort must be "ts", "latency" or "cost"',
    }),
  ),
  order: t.Optional(t.Union([t.Literal("asc"), t.Literal("desc")], { error: 'order must be "asc" or "desc"' })),
};

export const LogsQuery = t.Object({
  ...logFilterFields,
  cursor: t.Optional(
    t.String({ pattern: "^-?[0-9.eE+-]+:[0-9]+$", error: "cursor must be the nextCursor of a previous page" }),
  ),
  limit: whole("limit", { minimum: 1, maximum: 500 }),
});
export const LogsCountQuery = t.Object(logFilterFields);
export const LogsExportQuery = t.Object({
  ...logFilterFields,
  format: t.Optional(t.Union([t.Literal("csv"), t.Literal("jsonl")], { error: 'format must be "csv" or "jsonl"' })),
});
/** A `status` other than ok or error is ignored, as the tail always did (the URL is the UI's, typed by hand). */
export const TailQuery = t.Object({ tier: text(), model: text(), status: text() });
export const StatsQuery = t.Object({
  from: time(),
  to: time(),
  bucketMs: whole("bucketMs", { minimum: 60_000 }),
  tier: text(),
  model: text(),
});
/** The health page's window: how far back its counted figures and charts reach (default 1h). */
export const HealthQuery = t.Object({
  window: t.Optional(
    t.Union([t.Literal("15m"), t.Literal("1h"), t.Literal("24h")], { error: 'window must be "15m", "1h" or "24h"' }),
  ),
});
/** Who (a username), what (an action or its start: `key.`), when: the audit trail's filters. */
const auditFilterFields = { actor: text(), action: text(), from: time(), to: time() };
// The audit trail caps the page at 500 itself.
export const AuditQuery = t.Object({
  ...auditFilterFields,
  limit: whole("limit", { minimum: 1 }),
  before: whole("before", { minimum: 1 }),
});
export const AuditExportQuery = t.Object({
  ...auditFilterFields,
  format: t.Optional(t.Union([t.Literal("csv"), t.Literal("jsonl")], { error: 'format must be "csv" or "jsonl"' })),
});
/** A key's use over time: per hour or per day (the default), since `from` (default: 30 days or 48 hours back). */
export const KeyUsageQuery = t.Object({
  bucket: t.Optional(t.Union([t.Literal("hour"), t.Literal("day")], { error: 'bucket must be "hour" or "day"' })),
  from: time(),
});
/** DELETE /api/admins/:id: `confirmSelf=true` to remove your own account. */
export const AdminRemoveQuery = t.Object({ confirmSelf: text() });
/** A version id of the history, or `current` (the default) for the file as it is. */
const versionRef = () => t.Optional(t.Union([t.Number(), t.String()]));
export const DiffQuery = t.Object({ from: versionRef(), to: versionRef() });

/**
 * The routing playground's chat request. Only its type is used: POST /api/explain hands the raw text to
 * the pipeline's own parser, so it is refused in the same words (and size limits) as on /v1.
 */
export const ChatBody = t.Record(t.String(), t.Unknown());
