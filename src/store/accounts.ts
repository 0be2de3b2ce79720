/**
 * Admin accounts, sessions, settings and the audit log, behind one interface with two stores chosen at
 * boot: this process's SQLite (`SqliteAccounts`, here) or, in cluster mode, PostgreSQL shared by every
 * replica (`store/pg/pg-accounts.ts`), so an admin signed in on one replica is signed in on all and a
 * logout or password change on one holds on all. Small queries, on admin requests only, never on /v1.
 */
import { type AnyColumn, and, desc, eq, gt, gte, isNotNull, isNull, lt, lte, ne, type SQL, sql } from "drizzle-orm";
import type { Store } from "./db.ts";
import { auditLog, invites, sessions, settings, users } from "./schema.ts";

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
export type NewInvite = typeof invites.$inferInsert;
type AuditEntry = typeof auditLog.$inferSelect;
export type Invite = typeof invites.$inferSelect;
/** What an admin may do: "admin" anything, "viewer" see everything and change only its own account. */
export type Role = "admin" | "viewer";

/** Filters of the audit trail: who (exact username), what (an action or its prefix, `key.`), when. */
export interface AuditFilter {
  limit?: number;
  before?: number;
  actor?: string;
  action?: string;
  from?: number;
  to?: number;
}

/** One audit trail entry as written. */
export interface AuditInput {
  ts: number;
  actor: string;
  action: string;
  detail?: Record<string, unknown>;
  clientIp?: string;
}

/** One audit trail entry as read: its detail parsed. */
export type AuditView = Omit<AuditEntry, "detail"> & { detail: unknown };

/** The TOTP fields of an account that change together. */
export interface TotpFields {
  totpSecret?: string | null;
  totpEnabled?: boolean;
  totpLastStep?: number | null;
  recoveryCodes?: string[] | null;
}

/** The audit page's size bounds: 100 by default, at most 500 for a page (`maxLimit` for an export). */
export const auditLimit = (options: AuditFilter, maxLimit: number) =>
  Math.min(Math.max(options.limit ?? 100, 1), maxLimit);

/** An action filter as a LIKE prefix: "key." matches every key action, LIKE's wildcards escaped. */
export const actionPrefix = (action: string) => `${action.replace(/[\\%_]/g, "\\$&")}%`;

/** The audit filter's conditions over either store's `audit_log` columns. */
export function auditConditions(
  options: AuditFilter,
  columns: { id: AnyColumn; actor: AnyColumn; action: AnyColumn; ts: AnyColumn },
): SQL[] {
  const where: SQL[] = [];
  if (options.before) where.push(lt(columns.id, options.before));
  if (options.actor) where.push(eq(columns.actor, options.actor));
  if (options.action) where.push(sql`${columns.action} LIKE ${actionPrefix(options.action)} ESCAPE '\\'`);
  if (options.from !== undefined) where.push(gte(columns.ts, options.from));
  if (options.to !== undefined) where.push(lte(columns.ts, options.to));
  return where;
}

/** The hashed recovery codes of the current list. */
export const recoveryCodesOf = (user: User): string[] =>
  user.recoveryCodes ? (JSON.parse(user.recoveryCodes) as string[]) : [];

/** Hashes of the recovery codes of the current list already used. */
export const usedRecoveryCodesOf = (user: User): string[] =>
  user.usedRecoveryCodes ? (JSON.parse(user.usedRecoveryCodes) as string[]) : [];

/** The row values of a TOTP change: new codes (or none) start a new list, whose used codes mean nothing. */
export function totpRow({ recoveryCodes, ...rest }: TotpFields) {
  return {
    ...rest,
    ...(recoveryCodes !== undefined
      ? { recoveryCodes: recoveryCodes === null ? null : JSON.stringify(recoveryCodes), usedRecoveryCodes: null }
      : {}),
  };
}

export const auditRow = (entry: AuditInput) => ({
  ts: entry.ts,
  actor: entry.actor,
  action: entry.action,
  detail: entry.detail ? JSON.stringify(entry.detail) : null,
  clientIp: entry.clientIp ?? null,
});

export const auditView = (row: AuditEntry): AuditView => ({
  ...row,
  detail: row.detail ? JSON.parse(row.detail) : null,
});

/**
 * The accounts store. Every call answers with a promise: PostgreSQL's do, and SQLite's keep the same
 * shape so the admin code is one. The conditional updates (`useInvite`, `advanceTotpStep`,
 * `replaceRecoveryCodes`) are single statements: true only for the one caller that won a race.
 */
export interface Accounts {
  count(): Promise<number>;
  create(
    username: string,
    passwordHash: string,
    now: number,
    extra?: { role?: Role; totpRequired?: boolean },
  ): Promise<User>;
  /** Every admin account, oldest first. */
  all(): Promise<User[]>;
  /** Removes an account; its sessions go with it (foreign key cascade). */
  remove(id: number): Promise<boolean>;
  addInvite(invite: NewInvite): Promise<void>;
  inviteByHash(tokenHash: string): Promise<Invite | undefined>;
  /** Marks an invite used, only if it still is unused, unrevoked and unexpired: one link, one account. */
  useInvite(id: string, username: string, now: number): Promise<boolean>;
  revokeInvite(id: string, now: number): Promise<boolean>;
  /** Invites neither used, revoked nor expired at `now`, newest first. */
  pendingInvites(now: number): Promise<Invite[]>;
  byName(username: string): Promise<User | undefined>;
  byId(id: number): Promise<User | undefined>;
  /** Users holding a TOTP secret (enabled or pending), for re-encrypting them. */
  withTotpSecret(): Promise<User[]>;
  /** A new password hash (the caller revokes sessions as it sees fit). */
  setPassword(id: number, passwordHash: string): Promise<void>;
  rename(id: number, username: string): Promise<void>;
  setTotp(id: number, fields: TotpFields): Promise<void>;
  /** Records the TOTP step a code was accepted for, only if newer than the stored one. True when this call won. */
  advanceTotpStep(id: number, step: number): Promise<boolean>;
  /** Replaces the recovery codes only if they are still `expected` (a code is used once, even in a race). */
  replaceRecoveryCodes(id: number, expected: string[], next: string[]): Promise<boolean>;
  /** Remembers a used recovery code's hash, so typing it again is answered "already used". */
  markRecoveryCodeUsed(user: User, hash: string): Promise<void>;
  // Sessions: the JWT carries the session id; a session row can be revoked before the token expires.
  openSession(session: NewSession): Promise<void>;
  session(id: string): Promise<Session | undefined>;
  revokeSession(id: string, now: number): Promise<void>;
  /** Revokes every open session of a user, but `keep` (the one making the change). */
  revokeSessionsOf(userId: number, now: number, keep?: string): Promise<void>;
  /** A user's sessions that are still open at `now`, newest first. */
  openSessionsOf(userId: number, now: number): Promise<Session[]>;
  pruneSessions(now: number): Promise<void>;
  setting<T>(key: string, fallback: T): Promise<T>;
  setSetting(key: string, value: unknown, now: number): Promise<void>;
  /** Every setting whose key starts with `prefix`, its value parsed. */
  settingsWithPrefix<T>(prefix: string): Promise<{ key: string; value: T }[]>;
  deleteSetting(key: string): Promise<void>;
  /** Deletes `key` only while it still holds `value`: true for the one caller that took it, even in a race. */
  takeSetting(key: string, value: unknown): Promise<boolean>;
  /** Stores `value` under `key` unless a value is there already, and answers the stored one (first writer wins). */
  settingOnce<T>(key: string, value: T, now: number): Promise<T>;
  audit(entry: AuditInput): Promise<void>;
  /** Newest first, filtered; at most `limit` (see `auditLimit`). */
  auditTrail(options?: AuditFilter, maxLimit?: number): Promise<AuditView[]>;
}

/** The accounts in this process's SQLite (one gateway, or tests). */
export class SqliteAccounts implements Accounts {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  async count(): Promise<number> {
    return (this.store.sqlite.query("SELECT count(*) AS n FROM users").get() as { n: number }).n;
  }

  async create(
    username: string,
    passwordHash: string,
    now: number,
    extra: { role?: Role; totpRequired?: boolean } = {},
  ): Promise<User> {
    return this.db
      .insert(users)
      .values({ username, passwordHash, createdAt: now, ...extra })
      .returning()
      .get();
  }

  async all(): Promise<User[]> {
    return this.db.select().from(users).orderBy(users.id).all();
  }

  async remove(id: number): Promise<boolean> {
    return this.store.sqlite.prepare("DELETE FROM users WHERE id = ?").run(id).changes > 0;
  }

  async addInvite(invite: NewInvite): Promise<void> {
    this.db.insert(invites).values(invite).run();
  }

  async inviteByHash(tokenHash: string): Promise<Invite | undefined> {
    return this.db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).get();
  }

  async useInvite(id: string, username: string, now: number): Promise<boolean> {
    return (
      this.store.sqlite
        .prepare(
          "UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
        )
        .run(now, username, id, now).changes === 1
    );
  }

  async revokeInvite(id: string, now: number): Promise<boolean> {
    return (
      this.store.sqlite
        .prepare("UPDATE invites SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL")
        .run(now, id).changes === 1
    );
  }

  async pendingInvites(now: number): Promise<Invite[]> {
    return this.db
      .select()
      .from(invites)
      .where(and(isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
      .orderBy(desc(invites.createdAt))
      .all();
  }

  async byName(username: string): Promise<User | undefined> {
    return this.db.select().from(users).where(eq(users.username, username)).get();
  }

  async byId(id: number): Promise<User | undefined> {
    return this.db.select().from(users).where(eq(users.id, id)).get();
  }

  async withTotpSecret(): Promise<User[]> {
    return this.db.select().from(users).where(isNotNull(users.totpSecret)).all();
  }

  async setPassword(id: number, passwordHash: string): Promise<void> {
    this.db.update(users).set({ passwordHash }).where(eq(users.id, id)).run();
  }

  async rename(id: number, username: string): Promise<void> {
    this.db.update(users).set({ username }).where(eq(users.id, id)).run();
  }

  async setTotp(id: number, fields: TotpFields): Promise<void> {
    this.db.update(users).set(totpRow(fields)).where(eq(users.id, id)).run();
  }

  async advanceTotpStep(id: number, step: number): Promise<boolean> {
    return (
      this.store.sqlite
        .prepare("UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)")
        .run(step, id, step).changes === 1
    );
  }

  async replaceRecoveryCodes(id: number, expected: string[], next: string[]): Promise<boolean> {
    return (
      this.store.sqlite
        .prepare("UPDATE users SET recovery_codes = ? WHERE id = ? AND recovery_codes = ?")
        .run(JSON.stringify(next), id, JSON.stringify(expected)).changes === 1
    );
  }

  async markRecoveryCodeUsed(user: User, hash: string): Promise<void> {
    const used = JSON.stringify([...usedRecoveryCodesOf(user), hash]);
    this.db.update(users).set({ usedRecoveryCodes: used }).where(eq(users.id, user.id)).run();
  }

  async openSession(session: NewSession): Promise<void> {
    this.db.insert(sessions).values(session).run();
  }

  async session(id: string): Promise<Session | undefined> {
    return this.db.select().from(sessions).where(eq(sessions.id, id)).get();
  }

  async revokeSession(id: string, now: number): Promise<void> {
    this.db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
      .run();
  }

  async revokeSessionsOf(userId: number, now: number, keep?: string): Promise<void> {
    this.db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined))
      .run();
  }

  async openSessionsOf(userId: number, now: number): Promise<Session[]> {
    return this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
      .orderBy(desc(sessions.createdAt))
      .all();
  }

  async pruneSessions(now: number): Promise<void> {
    this.db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
  }

  async setting<T>(key: string, fallback: T): Promise<T> {
    const row = this.db.select().from(settings).where(eq(settings.key, key)).get();
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  async setSetting(key: string, value: unknown, now: number): Promise<void> {
    const text = JSON.stringify(value);
    this.db
      .insert(settings)
      .values({ key, value: text, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value: text, updatedAt: now } })
      .run();
  }

  async settingsWithPrefix<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    return this.db
      .select()
      .from(settings)
      .where(sql`substr(${settings.key}, 1, ${prefix.length}) = ${prefix}`)
      .all()
      .map((row) => ({ key: row.key, value: JSON.parse(row.value) as T }));
  }

  async deleteSetting(key: string): Promise<void> {
    this.db.delete(settings).where(eq(settings.key, key)).run();
  }

  async takeSetting(key: string, value: unknown): Promise<boolean> {
    return (
      this.store.sqlite.prepare("DELETE FROM settings WHERE key = ? AND value = ?").run(key, JSON.stringify(value))
        .changes === 1
    );
  }

  async settingOnce<T>(key: string, value: T, now: number): Promise<T> {
    this.db
      .insert(settings)
      .values({ key, value: JSON.stringify(value), updatedAt: now })
      .onConflictDoNothing()
      .run();
    return JSON.parse(this.db.select().from(settings).where(eq(settings.key, key)).get()!.value) as T;
  }

  async audit(entry: AuditInput): Promise<void> {
    this.db.insert(auditLog).values(auditRow(entry)).run();
  }

  async auditTrail(options: AuditFilter = {}, maxLimit = 500): Promise<AuditView[]> {
    const where = auditConditions(options, auditLog);
    return this.db
      .select()
      .from(auditLog)
      .where(where.length > 0 ? and(...where) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(auditLimit(options, maxLimit))
      .all()
      .map(auditView);
  }
}
