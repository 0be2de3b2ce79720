/** Gateway API keys as stored: hashed, with a display prefix, limits, expiry, revocation and usage. */
import { desc, eq, sql } from "drizzle-orm";
import { apiKeys } from "./schema.ts";
import type { Store } from "./db.ts";

export interface KeyLimits {
  /** Tiers this key may use (all when absent). */
  tiers?: string[];
  /** Models ("provider/model" or model name) this key may be answered by (all when absent). */
  models?: string[];
  /** Requests per minute (unlimited when absent). */
  requestsPerMinute?: number;
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

const toKey = (row: typeof apiKeys.$inferSelect): StoredKey => ({ ...row, limits: row.limits ? (JSON.parse(row.limits) as KeyLimits) : {} });

export class ApiKeyStore {
  constructor(private readonly store: Store) {}

  all(): StoredKey[] {
    return this.store.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt)).all().map(toKey);
  }

  insert(key: Omit<StoredKey, "revokedAt" | "lastUsedAt" | "requestCount">): void {
    this.store.db.insert(apiKeys).values({ ...key, limits: JSON.stringify(key.limits) }).run();
  }

  revoke(id: string, now: number): boolean {
    return this.store.sqlite.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(now, id).changes > 0;
  }

  /** Adds usage counted in memory since the last call (one small transaction for all keys). */
  addUsage(usage: Map<string, { count: number; lastUsedAt: number }>): void {
    if (usage.size === 0) return;
    this.store.sqlite.transaction(() => {
      for (const [id, u] of usage) {
        this.store.db.update(apiKeys).set({ requestCount: sql`${apiKeys.requestCount} + ${u.count}`, lastUsedAt: u.lastUsedAt }).where(eq(apiKeys.id, id)).run();
      }
    })();
  }
}
