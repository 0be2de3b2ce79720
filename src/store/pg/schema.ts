/**
 * The PostgreSQL schema (drizzle pg-core) of cluster mode (`GATEWAY_DATABASE_URL`): the same tables,
 * columns, names and keys as the SQLite schema (src/store/schema.ts), so the same rows, rollups and
 * queries mean the same on both stores. Migrations in src/store/pg-migrations are generated from this
 * file with `drizzle-kit generate --config drizzle.pg.config.ts` and committed; they run at start.
 *
 * Where the types differ from SQLite's, it is because SQLite has one 64-bit INTEGER and one 8-byte REAL:
 * - epoch-millisecond times, micro-dollar amounts and every sum are `bigint` (an `integer` is 32-bit and
 *   a millisecond time or a day's token count overflows it); read back as JS numbers (mode "number",
 *   and the driver parses int8 as a number, see pg/connect.ts), exact below 2^53;
 * - small counts of one request (status, attempts, tokens of one request) stay `integer`;
 * - `real` is `double precision` (PostgreSQL's `real` is 4 bytes and would round latencies and costs);
 * - SQLite's 0/1 booleans are `boolean`;
 * - autoincrement keys are identity columns (BY DEFAULT, so a copy of a SQLite store may keep its ids);
 * - JSON columns stay `text` holding the same JSON text as SQLite, so both stores share one encoding and
 *   the code that reads them.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
} from "drizzle-orm/pg-core";

/**
 * An epoch-millisecond time, or any 64-bit integer read back as a JS number. Written rounded: a clock
 * may give fractions of a millisecond, which SQLite's INTEGER affinity takes and `bigint` refuses.
 */
const int64 = customType<{ data: number; driverData: number | string }>({
  dataType: () => "bigint",
  toDriver: (value) => Math.round(value),
  fromDriver: (value) => Number(value),
});

/** A 64-bit identity key (the database numbers it), read back as a JS number. */
const identity64 = (name: string) => bigint(name, { mode: "number" });

/** One row per /v1 request: what was asked, where it went, how it went, and (per logging.bodies) the bodies. */
export const requests = pgTable(
  "requests",
  {
    /** Insertion order: the keyset for paging newest-first. */
    seq: identity64("seq").primaryKey().generatedByDefaultAsIdentity(),
    id: text("id").notNull().unique(),
    ts: int64("ts").notNull(),
    apiKeyId: text("api_key_id"),
    clientIp: text("client_ip"),
    door: text("door").notNull().default("chat"),
    requestedModel: text("requested_model").notNull(),
    tier: text("tier").notNull(),
    tierReason: text("tier_reason"),
    model: text("model"),
    status: integer("status").notNull(),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    latencyMs: doublePrecision("latency_ms").notNull(),
    ttftMs: doublePrecision("ttft_ms"),
    overheadMs: doublePrecision("overhead_ms").notNull(),
    attempts: integer("attempts").notNull(),
    attemptTrace: text("attempt_trace").notNull(),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    tokenSource: text("token_source"),
    costUsd: doublePrecision("cost_usd"),
    costMicros: int64("cost_micros"),
    baselineMicros: int64("baseline_micros"),
    baselineModel: text("baseline_model"),
    costDetail: text("cost_detail"),
    stream: boolean("stream").notNull(),
    promptPreview: text("prompt_preview"),
    requestBody: text("request_body"),
    responseBody: text("response_body"),
    /** Refused before any route was planned (see src/store/schema.ts): in no rollup. */
    refused: boolean("refused").notNull().default(false),
  },
  // SQLite appends the rowid (seq) to every index by itself; PostgreSQL does not, so the filtered
  // columns' indexes end with seq explicitly: `WHERE model = $1 ORDER BY seq DESC` still walks one
  // index backwards and stops after one page, at any depth. The log lists newest first by `ts, seq`:
  // the pairs with ts (and seq) serve its most used filters the same way in that order.
  (t) => [
    index("requests_ts").on(t.ts),
    index("requests_status").on(t.status, t.seq),
    index("requests_tier").on(t.tier, t.seq),
    index("requests_model").on(t.model, t.seq),
    index("requests_key").on(t.apiKeyId, t.seq),
    index("requests_model_ts").on(t.model, t.ts, t.seq),
    index("requests_status_ts").on(t.status, t.ts, t.seq),
    index("requests_key_ts").on(t.apiKeyId, t.ts, t.seq),
    // Small: refused rows only, for their counts by code over a range.
    index("requests_refused_ts").on(t.ts).where(sql`${t.refused} = true`),
  ],
);

/** Aggregates per minute, tier and model, updated by the log writer in the same transaction as the rows. */
const rollupColumns = () => ({
  tier: text("tier").notNull(),
  model: text("model").notNull(),
  requests: int64("requests").notNull().default(0),
  errors: int64("errors").notNull().default(0),
  attempts: int64("attempts").notNull().default(0),
  failovers: int64("failovers").notNull().default(0),
  promptTokens: int64("prompt_tokens").notNull().default(0),
  completionTokens: int64("completion_tokens").notNull().default(0),
  costUsd: doublePrecision("cost_usd").notNull().default(0),
  costMicros: int64("cost_micros").notNull().default(0),
  savedCostMicros: int64("saved_cost_micros").notNull().default(0),
  baselineMicros: int64("baseline_micros").notNull().default(0),
  savingsRequests: int64("savings_requests").notNull().default(0),
  unpriced: int64("unpriced").notNull().default(0),
  estimated: int64("estimated").notNull().default(0),
  latencySum: doublePrecision("latency_sum").notNull().default(0),
  /** JSON array of counts per latency bucket (src/store/histogram.ts), merged in SQL on upsert. */
  latencyHist: text("latency_hist").notNull(),
  ttftSum: doublePrecision("ttft_sum").notNull().default(0),
  ttftCount: int64("ttft_count").notNull().default(0),
  ttftHist: text("ttft_hist").notNull(),
});

export const statsMinute = pgTable("stats_minute", { minute: int64("minute").notNull(), ...rollupColumns() }, (t) => [
  primaryKey({ columns: [t.minute, t.tier, t.model] }),
]);
export const statsDay = pgTable("stats_day", { day: int64("day").notNull(), ...rollupColumns() }, (t) => [
  primaryKey({ columns: [t.day, t.tier, t.model] }),
]);

/** Aggregates per minute (and per UTC day), tier and target over ATTEMPTS (see src/store/schema.ts). */
const targetRollupColumns = () => ({
  tier: text("tier").notNull(),
  target: text("target").notNull(),
  attempts: int64("attempts").notNull().default(0),
  failures: int64("failures").notNull().default(0),
  retries: int64("retries").notNull().default(0),
  failovers: int64("failovers").notNull().default(0),
  answered: int64("answered").notNull().default(0),
  latencySum: doublePrecision("latency_sum").notNull().default(0),
  latencyHist: text("latency_hist").notNull(),
  ttftSum: doublePrecision("ttft_sum").notNull().default(0),
  ttftCount: int64("ttft_count").notNull().default(0),
  ttftHist: text("ttft_hist").notNull(),
});

export const statsTargetMinute = pgTable(
  "stats_target_minute",
  { minute: int64("minute").notNull(), ...targetRollupColumns() },
  (t) => [primaryKey({ columns: [t.minute, t.tier, t.target] })],
);
export const statsTargetDay = pgTable(
  "stats_target_day",
  { day: int64("day").notNull(), ...targetRollupColumns() },
  (t) => [primaryKey({ columns: [t.day, t.tier, t.target] })],
);

/** Health of each target, saved so it survives a restart. */
export const healthState = pgTable("health_state", {
  target: text("target").primaryKey(),
  state: text("state").notNull(),
  updatedAt: int64("updated_at").notNull(),
});

/** Every applied config version: text, author ("file" for edits outside the UI), time, reason. */
export const configHistory = pgTable("config_history", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  ts: int64("ts").notNull(),
  author: text("author").notNull(),
  reason: text("reason").notNull(),
  source: text("source").notNull(),
});

export const users = pgTable("users", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  totpSecret: text("totp_secret"),
  totpEnabled: boolean("totp_enabled").notNull().default(false),
  totpLastStep: int64("totp_last_step"),
  recoveryCodes: text("recovery_codes"),
  usedRecoveryCodes: text("used_recovery_codes"),
  sessionsValidAfter: int64("sessions_valid_after").notNull().default(0),
  createdAt: int64("created_at").notNull(),
  role: text("role").notNull().default("admin"),
  totpRequired: boolean("totp_required").notNull().default(false),
});

export const invites = pgTable("invites", {
  id: text("id").primaryKey(),
  tokenHash: text("token_hash").notNull().unique(),
  role: text("role").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: int64("created_at").notNull(),
  expiresAt: int64("expires_at").notNull(),
  usedAt: int64("used_at"),
  usedBy: text("used_by"),
  revokedAt: int64("revoked_at"),
});

export const sessions = pgTable("sessions", {
  id: text("id").primaryKey(),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  createdAt: int64("created_at").notNull(),
  expiresAt: int64("expires_at").notNull(),
  revokedAt: int64("revoked_at"),
  clientIp: text("client_ip"),
  userAgent: text("user_agent"),
});

export const apiKeys = pgTable("api_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  prefix: text("prefix").notNull(),
  hash: text("hash").notNull().unique(),
  createdAt: int64("created_at").notNull(),
  expiresAt: int64("expires_at"),
  revokedAt: int64("revoked_at"),
  lastUsedAt: int64("last_used_at"),
  requestCount: int64("request_count").notNull().default(0),
  limits: text("limits"),
  retiredHashes: text("retired_hashes"),
});

export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: int64("updated_at").notNull(),
});

export const auditLog = pgTable(
  "audit_log",
  {
    id: identity64("id").primaryKey().generatedByDefaultAsIdentity(),
    ts: int64("ts").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    detail: text("detail"),
    clientIp: text("client_ip"),
  },
  (t) => [index("audit_ts").on(t.ts)],
);
