/**
 * Gateway API keys in PostgreSQL (cluster mode): one set for every replica. A key created, rotated or
 * revoked on one replica is in this table at once; the replicas' in-memory registries re-read it when a
 * change is announced through Redis, and every few seconds whatever happens (src/auth/api-keys.ts).
 * Usage counts are added, never overwritten: each replica adds what it counted.
 */
import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import {
  type ApiKeyStore,
  EVER_CREATED,
  type KeyLimits,
  type NewKey,
  type StoredKey,
  toKey,
} from "../api-key-store.ts";
import { PgStatements } from "./pg-statements.ts";
import { apiKeys, settings } from "./schema.ts";

export class PgKeyStore extends PgStatements implements ApiKeyStore {
  async all(): Promise<StoredKey[]> {
    const rows = await this.run(() => this.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt)));
    return rows.map(toKey);
  }

  async insert(key: NewKey): Promise<void> {
    // Raw SQL skips the schema's rounding of times (a clock may give fractions of a millisecond).
    const createdAt = Math.round(key.createdAt);
    // One statement (see pg-row-sink.ts on transactions across network cuts): the key and the flag.
    await this.run(() =>
      this.db.execute(sql`WITH flag AS (
          INSERT INTO ${settings} (key, value, updated_at) VALUES (${EVER_CREATED}, 'true', ${createdAt})
          ON CONFLICT (key) DO NOTHING)
        INSERT INTO ${apiKeys} (id, name, prefix, hash, created_at, expires_at, limits)
        VALUES (${key.id}, ${key.name}, ${key.prefix}, ${key.hash}, ${createdAt}, ${key.expiresAt === null ? null : Math.round(key.expiresAt)}, ${JSON.stringify(key.limits)})`),
    );
  }

  async markConfigured(now: number): Promise<void> {
    await this.run(() =>
      this.db.insert(settings).values({ key: EVER_CREATED, value: "true", updatedAt: now }).onConflictDoNothing(),
    );
  }

  async everCreated(): Promise<boolean> {
    const [row] = await this.run(() =>
      this.db.execute<{ ever: boolean }>(
        sql`SELECT EXISTS (SELECT 1 FROM ${settings} WHERE key = ${EVER_CREATED}) OR EXISTS (SELECT 1 FROM ${apiKeys}) AS ever`,
      ),
    );
    return row.ever;
  }

  setLimits(id: string, limits: KeyLimits): Promise<boolean> {
    return this.changed(() =>
      this.db
        .update(apiKeys)
        .set({ limits: JSON.stringify(limits) })
        .where(eq(apiKeys.id, id))
        .returning({ id: apiKeys.id }),
    );
  }

  rename(id: string, name: string): Promise<boolean> {
    return this.changed(() =>
      this.db.update(apiKeys).set({ name }).where(eq(apiKeys.id, id)).returning({ id: apiKeys.id }),
    );
  }

  rotate(id: string, secret: { hash: string; prefix: string }): Promise<boolean> {
    return this.changed(() =>
      this.db
        .update(apiKeys)
        .set({
          // The same JSON text array as SQLite's: the old hash appended.
          retiredHashes: sql`(COALESCE(${apiKeys.retiredHashes}, '[]')::jsonb || to_jsonb(${apiKeys.hash}))::text`,
          hash: secret.hash,
          prefix: secret.prefix,
        })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id }),
    );
  }

  async retiredHashes(): Promise<string[]> {
    const rows = await this.run(() =>
      this.db.select({ list: apiKeys.retiredHashes }).from(apiKeys).where(isNotNull(apiKeys.retiredHashes)),
    );
    return rows.flatMap((row) => JSON.parse(row.list!) as string[]);
  }

  revoke(id: string, now: number): Promise<boolean> {
    return this.changed(() =>
      this.db
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id }),
    );
  }

  async addUsage(usage: Map<string, { count: number; lastUsedAt: number }>): Promise<void> {
    if (usage.size === 0) return;
    const rows = [...usage].map(([id, u]) => sql`(${id}, ${u.count}::bigint, ${Math.round(u.lastUsedAt)}::bigint)`);
    // One statement for every key; the latest use wins whichever replica saw it.
    await this.run(() =>
      this.db.execute(sql`UPDATE ${apiKeys} SET request_count = ${apiKeys.requestCount} + u.count,
          last_used_at = GREATEST(COALESCE(${apiKeys.lastUsedAt}, 0), u.last_used)
        FROM (VALUES ${sql.join(rows, sql`, `)}) AS u(id, count, last_used) WHERE ${apiKeys.id} = u.id`),
    );
  }
}
