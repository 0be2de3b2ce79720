/**
 * Gateway API keys as stored: hashed, with a display prefix, limits, expiry, revocation and usage. One
 * interface, two stores chosen at boot: this process's SQLite (here) or PostgreSQL shared by the
 * replicas of a cluster (`store/pg/pg-api-keys.ts`). The registry (src/auth/api-keys.ts) keeps them in
 * memory for the /v1 path; these calls run on admin requests, at start and every few seconds.
 */
import { desc, eq, sql } from "drizzle-orm";
import type { Store } from "./db.ts";
import { apiKeys, settings } from "./schema.ts";

export interface KeyLimits {
  /** Tiers this key may use (all when absent). */
  tiers?: string[];
  /** Models ("provider/model" or model name) this key may be answered by (all when absent). */
  models?: string[];
  /** Requests per minute (unlimited when absent). */
  requestsPerMinute?: number;
  /** Money this key may spend per `budgetPeriod`, in USD (unlimited when absent). */
  budgetUsd?: number;
  /** The budget's period, in UTC: "day", "month" (default) or "total". */
  budgetPeriod?: "day" | "month" | "total";
  /** Requests in flight at once (unlimited when absent). */
  maxConcurrent?: number;
}

export interface StoredKey {
  id: string;
  name: string;
  prefix: string;
  hash: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
  requestCount: number;
  limits: KeyLimits;
}

export type { KeyUsagePoint } from "./queries/stats.ts";

/** The settings row that remembers a key was once created, whatever happens to the key rows later. */
export const EVER_CREATED = "apiKeys.everCreated";

// The retired hashes stay in the store: only the registry reads them (retiredHashes), never a list.
export const toKey = ({ retiredHashes: _retired, ...row }: typeof apiKeys.$inferSelect): StoredKey => ({
  ...row,
  limits: row.limits ? (JSON.parse(row.limits) as KeyLimits) : {},
});

/** The stored keys. Every call answers with a promise (PostgreSQL's do); the updates say whether a key matched. */
export interface ApiKeyStore {
  all(): Promise<StoredKey[]>;
  /** Stores a new key and remembers, for good, that one was created. */
  insert(key: NewKey): Promise<void>;
  /** Remembers, for good, that the config declared a key (removing it from the config must not reopen /v1). */
  markConfigured(now: number): Promise<void>;
  /** True once any key was created or configured here (revoked or not): /v1 never reopens by itself after that. */
  everCreated(): Promise<boolean>;
  /** Replaces a key's limits; false when there is no such key. */
  setLimits(id: string, limits: KeyLimits): Promise<boolean>;
  rename(id: string, name: string): Promise<boolean>;
  /**
   * A new secret for an active key: only the hash and display prefix change, so its id, limits, usage
   * and logged requests stay its own. The old hash joins the key's retired ones, refused like a revoked key.
   */
  rotate(id: string, secret: { hash: string; prefix: string }): Promise<boolean>;
  /** Every hash a key had before a rotation. */
  retiredHashes(): Promise<string[]>;
  revoke(id: string, now: number): Promise<boolean>;
  /** Adds usage counted in memory since the last call (added to the stored counts: replicas add theirs). */
  addUsage(usage: Map<string, { count: number; lastUsedAt: number }>): Promise<void>;
  /** What the registry loads, at once, where the store can answer synchronously (SQLite: a gateway ready at construction). */
  loadNow?(): KeySnapshot;
}

/** Everything the registry keeps in memory. */
export interface KeySnapshot {
  all: StoredKey[];
  retired: string[];
  everCreated: boolean;
}

export type NewKey = Omit<StoredKey, "revokedAt" | "lastUsedAt" | "requestCount">;

/** The keys in this process's SQLite. */
export class SqliteKeyStore implements ApiKeyStore {
  constructor(private readonly store: Store) {}

  async all(): Promise<StoredKey[]> {
    return this.allNow();
  }

  loadNow(): KeySnapshot {
    return { all: this.allNow(), retired: this.retiredNow(), everCreated: this.everCreatedNow() };
  }

  private allNow(): StoredKey[] {
    return this.store.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt)).all().map(toKey);
  }

  async insert(key: NewKey): Promise<void> {
    this.store.sqlite.transaction(() => {
      this.store.db
        .insert(apiKeys)
        .values({ ...key, limits: JSON.stringify(key.limits) })
        .run();
      this.markConfiguredNow(key.createdAt);
    })();
  }

  async markConfigured(now: number): Promise<void> {
    this.markConfiguredNow(now);
  }

  private markConfiguredNow(now: number): void {
    this.store.db
      .insert(settings)
      .values({ key: EVER_CREATED, value: "true", updatedAt: now })
      .onConflictDoNothing()
      .run();
  }

  async everCreated(): Promise<boolean> {
    return this.everCreatedNow();
  }

  private everCreatedNow(): boolean {
    // A key row also counts: databases from before the settings row have their keys, never deleted.
    const flagged = this.store.db
      .select({ key: settings.key })
      .from(settings)
      .where(eq(settings.key, EVER_CREATED))
      .get();
    return flagged !== undefined || this.store.db.select({ id: apiKeys.id }).from(apiKeys).limit(1).get() !== undefined;
  }

  async setLimits(id: string, limits: KeyLimits): Promise<boolean> {
    return (
      this.store.sqlite.prepare("UPDATE api_keys SET limits = ? WHERE id = ?").run(JSON.stringify(limits), id).changes >
      0
    );
  }

  async rename(id: string, name: string): Promise<boolean> {
    return this.store.sqlite.prepare("UPDATE api_keys SET name = ? WHERE id = ?").run(name, id).changes > 0;
  }

  async rotate(id: string, secret: { hash: string; prefix: string }): Promise<boolean> {
    return (
      this.store.sqlite
        .prepare(
          `UPDATE api_keys SET retired_hashes = json_insert(coalesce(retired_hashes, '[]'), '$[#]', hash),
             hash = ?, prefix = ? WHERE id = ? AND revoked_at IS NULL`,
        )
        .run(secret.hash, secret.prefix, id).changes > 0
    );
  }

  async retiredHashes(): Promise<string[]> {
    return this.retiredNow();
  }

  private retiredNow(): string[] {
    const rows = this.store.sqlite
      .query("SELECT retired_hashes AS list FROM api_keys WHERE retired_hashes IS NOT NULL")
      .all() as { list: string }[];
    return rows.flatMap((row) => JSON.parse(row.list) as string[]);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return (
      this.store.sqlite.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now, id)
        .changes > 0
    );
  }

  async addUsage(usage: Map<string, { count: number; lastUsedAt: number }>): Promise<void> {
    if (usage.size === 0) return;
    this.store.sqlite.transaction(() => {
      for (const [id, u] of usage) {
        this.store.db
          .update(apiKeys)
          .set({ requestCount: sql`${apiKeys.requestCount} + ${u.count}`, lastUsedAt: u.lastUsedAt })
          .where(eq(apiKeys.id, id))
          .run();
      }
    })();
  }
}
