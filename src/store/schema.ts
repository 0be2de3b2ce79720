/**
 * The SQLite schema (drizzle). Migrations in src/store/migrations are generated from this file with
 * `npm run db:generate` and committed; they are applied at start, so an older database upgrades in place.
 * Times are epoch milliseconds (integers) unless a name says otherwise.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per /v1 request: what was asked, where it went, how it went, and (per logging.bodies) the bodies. */
export const requests = sqliteTable(
  "requests",
  {
    /** Insertion order: the keyset for paging newest-first. */
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    ts: integer("ts").notNull(),
    apiKeyId: text("api_key_id"),
    clientIp: text("client_ip"),
    /** The API the client spoke: "chat" (chat completions), "messages" (Anthropic) or "responses" (OpenAI). */
    door: text("door").notNull().default("chat"),
    requestedModel: text("requested_model").notNull(),
    tier: text("tier").notNull(),
    tierReason: text("tier_reason"),
    /** Final "provider/model", when one answered. */
    model: text("model"),
    status: integer("status").notNull(),
    /** The request's error code (a GatewayError code such as `upstream_error`, `client_closed`), when it failed. */
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    latencyMs: real("latency_ms").notNull(),
    ttftMs: real("ttft_ms"),
    overheadMs: real("overhead_ms").notNull(),
    attempts: integer("attempts").notNull(),
    /** JSON: [{ target, startedAt, durationMs, outcome, status, errorClass?, reason }] */
    attemptTrace: text("attempt_trace").notNull(),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    /** "upstream" (the model's usage) or "estimated" (counted locally). */
    tokenSource: text("token_source"),
    /** `cost_micros` / 1e6, kept for older readers; null when the model is not priced. */
    costUsd: real("cost_usd"),
    /** The cost in integer micro-dollars (src/pricing/cost.ts); null: not priced. */
    costMicros: integer("cost_micros"),
    /** What the same tokens cost on the baseline, in micro-dollars; savings = baseline - cost (sign kept). */
    baselineMicros: integer("baseline_micros"),
    /** The baseline's "provider/model". */
    baselineModel: text("baseline_model"),
    /** JSON: { tokens: {input, cachedInput, cacheWrite, cacheWrite1h, output, reasoning}, micros: {same}, source } */
    costDetail: text("cost_detail"),
    stream: integer("stream", { mode: "boolean" }).notNull(),
    /** The latest user message, cut to 200 characters: for lists and search. */
    promptPreview: text("prompt_preview"),
    requestBody: text("request_body"),
    responseBody: text("response_body"),
    /**
     * Refused before any route was planned (a bad or unknown key, a key's limits or rate, a budget, bad
     * input, a body too large): `requested_model` and `tier` are then "" when unknown, no attempt was made,
     * and the row is in no rollup (src/store/queries/refused.ts counts them).
     */
    refused: integer("refused", { mode: "boolean" }).notNull().default(false),
  },
  // One column each: SQLite appends the rowid (seq) to every index, so `WHERE model = ? ORDER BY seq DESC`
  // walks the model index backwards and stops after one page, at any depth. The log lists newest first
  // by `ts, seq`: the pairs with ts serve its most used filters the same way in that order. The latency
  // and cost orders have no index: one on a value in no order halves the writer's rows per second, and
  // those orders scan the range asked for instead (src/store/queries/logs.ts).
  (t) => [
    index("requests_ts").on(t.ts),
    index("requests_status").on(t.status),
    index("requests_tier").on(t.tier),
    index("requests_model").on(t.model),
    index("requests_key").on(t.apiKeyId),
    index("requests_model_ts").on(t.model, t.ts),
    index("requests_status_ts").on(t.status, t.ts),
    index("requests_key_ts").on(t.apiKeyId, t.ts),
    // Small: refused rows only, for their counts by code over a range.
    index("requests_refused_ts").on(t.ts).where(sql`${t.refused} = 1`),
  ],
);

/** Aggregates per minute, tier and model, updated by the log writer in the same transaction as the rows. */
const rollupColumns = {
  tier: text("tier").notNull(),
  model: text("model").notNull(),
  requests: integer("requests").notNull().default(0),
  errors: integer("errors").notNull().default(0),
  attempts: integer("attempts").notNull().default(0),
  failovers: integer("failovers").notNull().default(0),
  promptTokens: integer("prompt_tokens").notNull().default(0),
  completionTokens: integer("completion_tokens").notNull().default(0),
  costUsd: real("cost_usd").notNull().default(0),
  costMicros: integer("cost_micros").notNull().default(0),
  /** Sums over the requests with both a cost and a baseline only: savings compare like with like. */
  savedCostMicros: integer("saved_cost_micros").notNull().default(0),
  baselineMicros: integer("baseline_micros").notNull().default(0),
  /** Requests with a cost and a baseline (the savings' population). */
  savingsRequests: integer("savings_requests").notNull().default(0),
  /** Requests with a cost and no price for their model: shown as "not priced". */
  unpriced: integer("unpriced").notNull().default(0),
  /** Requests whose tokens were estimated locally. */
  estimated: integer("estimated").notNull().default(0),
  latencySum: real("latency_sum").notNull().default(0),
  /** JSON array of counts per latency bucket (see src/store/histogram.ts). */
  latencyHist: text("latency_hist").notNull(),
  ttftSum: real("ttft_sum").notNull().default(0),
  ttftCount: integer("ttft_count").notNull().default(0),
  ttftHist: text("ttft_hist").notNull(),
};

export const statsMinute = sqliteTable(
  "stats_minute",
  { minute: integer("minute").notNull(), ...rollupColumns },
  (t) => [primaryKey({ columns: [t.minute, t.tier, t.model] })],
);
export const statsDay = sqliteTable("stats_day", { day: integer("day").notNull(), ...rollupColumns }, (t) => [
  primaryKey({ columns: [t.day, t.tier, t.model] }),
]);

/**
 * Aggregates per minute (and per UTC day), tier and target over ATTEMPTS, not requests: a failover's
 * failed attempt counts against the target that failed, its rescue for the one that answered. Written
 * by the log writer with the request rollups (src/store/target-rollups.ts).
 */
const targetRollupColumns = {
  tier: text("tier").notNull(),
  /** "provider/model" the attempt went to. */
  target: text("target").notNull(),
  attempts: integer("attempts").notNull().default(0),
  /** Attempts not accepted: retried, failed over, the request's last failure, or a stream cut after commit. */
  failures: integer("failures").notNull().default(0),
  /** Failed attempts followed by another attempt on the same target. */
  retries: integer("retries").notNull().default(0),
  /** Failed attempts after which the request moved to another target (or a stream was cut). */
  failovers: integer("failovers").notNull().default(0),
  /** Accepted attempts: requests this target finally answered. */
  answered: integer("answered").notNull().default(0),
  /** Durations of every attempt (sum and histogram, src/store/histogram.ts). */
  latencySum: real("latency_sum").notNull().default(0),
  latencyHist: text("latency_hist").notNull(),
  /** Time to first token of the answering attempts, from the attempt's own start. */
  ttftSum: real("ttft_sum").notNull().default(0),
  ttftCount: integer("ttft_count").notNull().default(0),
  ttftHist: text("ttft_hist").notNull(),
};

export const statsTargetMinute = sqliteTable(
  "stats_target_minute",
  { minute: integer("minute").notNull(), ...targetRollupColumns },
  (t) => [primaryKey({ columns: [t.minute, t.tier, t.target] })],
);
export const statsTargetDay = sqliteTable(
  "stats_target_day",
  { day: integer("day").notNull(), ...targetRollupColumns },
  (t) => [primaryKey({ columns: [t.day, t.tier, t.target] })],
);

/** Health of each target, saved so it survives a restart. */
export const healthState = sqliteTable("health_state", {
  target: text("target").primaryKey(),
  /** JSON of the health record. */
  state: text("state").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Every applied config version: text, author ("file" for edits outside the UI), time, reason. */
export const configHistory = sqliteTable("config_history", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  ts: integer("ts").notNull(),
  author: text("author").notNull(),
  reason: text("reason").notNull(),
  source: text("source").notNull(),
});

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  totpSecret: text("totp_secret"),
  totpEnabled: integer("totp_enabled", { mode: "boolean" }).notNull().default(false),
  /** Last accepted TOTP time step: a code of that step or earlier is a replay. */
  totpLastStep: integer("totp_last_step"),
  /** JSON array of hashed one-time recovery codes. */
  recoveryCodes: text("recovery_codes"),
  /** JSON array of the hashes of recovery codes already used, to say so when one is typed again. */
  usedRecoveryCodes: text("used_recovery_codes"),
  /** Sessions issued before this time are revoked (logout everywhere, password change). */
  sessionsValidAfter: integer("sessions_valid_after").notNull().default(0),
  createdAt: integer("created_at").notNull(),
  /** "admin" changes anything; "viewer" sees everything and changes nothing but its own account. */
  role: text("role").notNull().default("admin"),
  /** Must enrol TOTP before anything else (an invited admin), whatever the require2fa setting. */
  totpRequired: integer("totp_required", { mode: "boolean" }).notNull().default(false),
});

/** One-time links that let a new admin create their account: only the token's digest is kept. */
export const invites = sqliteTable("invites", {
  id: text("id").primaryKey(),
  tokenHash: text("token_hash").notNull().unique(),
  role: text("role").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
  usedBy: text("used_by"),
  revokedAt: integer("revoked_at"),
});

export const sessions = sqliteTable("sessions", {
  id: text("id").primaryKey(),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  revokedAt: integer("revoked_at"),
  clientIp: text("client_ip"),
  userAgent: text("user_agent"),
});

export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Shown in lists: the first characters of the key. */
  prefix: text("prefix").notNull(),
  hash: text("hash").notNull().unique(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at"),
  revokedAt: integer("revoked_at"),
  lastUsedAt: integer("last_used_at"),
  requestCount: integer("request_count").notNull().default(0),
  /** JSON: { tiers?: string[], models?: string[], requestsPerMinute?: number } */
  limits: text("limits"),
  /** JSON array of the hashes this key had before a rotation: refused like a revoked key's, even on an open /v1. */
  retiredHashes: text("retired_hashes"),
});

/** Admin settings (e.g. require 2FA for every admin): small JSON values by key. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ts: integer("ts").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    /** JSON details; never secrets. */
    detail: text("detail"),
    clientIp: text("client_ip"),
  },
  (t) => [index("audit_ts").on(t.ts)],
);
