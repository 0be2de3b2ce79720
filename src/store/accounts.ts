/**
 * Admin accounts, sessions, settings and the audit log. Synchronous and small: these run on admin
 * requests, never on the /v1 path.
 */
import { and, desc, eq, gte, isNotNull, isNull, lt, lte, type SQL, sql } from "drizzle-orm";
import type { Store } from "./db.ts";
import { auditLog, invites, sessions, settings, users } from "./schema.ts";

export type User = typeof users.$inferSelect;
type Session = typeof sessions.$inferSelect;
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

export class Accounts {
  constructor(private readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  count(): number {
    return (this.store.sqlite.query("SELECT count(*) AS n FROM users").get() as { n: number }).n;
  }

  create(
    username: string,
    passwordHash: string,
    now: number,
    extra: { role?: Role; totpRequired?: boolean } = {},
  ): User {
    return this.db
      .insert(users)
      .values({ username, passwordHash, createdAt: now, ...extra })
      .returning()
      .get();
  }

  /** Every admin account, oldest first. */
  all(): User[] {
    return this.db.select().from(users).orderBy(users.id).all();
  }

  /** Removes an account; its sessions go with it (foreign key cascade). */
  remove(id: number): boolean {
    return this.store.sqlite.prepare("DELETE FROM users WHERE id = ?").run(id).changes > 0;
  }

  // Invites: one-time links for a new admin (src/auth/invites.ts makes and checks the tokens).

  addInvite(invite: typeof invites.$inferInsert): void {
    this.db.insert(invites).values(invite).run();
  }

  inviteByHash(tokenHash: string): Invite | undefined {
    return this.db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).get();
  }

  /** Marks an invite used, only if it still is unused and not revoked: one link, one account, even in a race. */
  useInvite(id: string, username: string, now: number): boolean {
    return (
      this.store.sqlite
        .prepare(
          "UPDATE invites SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
        )
        .run(now, username, id, now).changes === 1
    );
  }

  revokeInvite(id: string, now: number): boolean {
    return (
      this.store.sqlite
        .prepare("UPDATE invites SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL")
        .run(now, id).changes === 1
    );
  }

  /** Invites neither used, revoked nor expired at `now`, newest first. */
  pendingInvites(now: number): Invite[] {
    return this.db
      .select()
      .from(invites)
      .where(and(isNull(invites.usedAt), isNull(invites.revokedAt)))
      .orderBy(desc(invites.createdAt))
      .all()
      .filter((invite) => invite.expiresAt > now);
  }

  byName(username: string): User | undefined {
    return this.db.select().from(users).where(eq(users.username, username)).get();
  }

  byId(id: number): User | undefined {
    return this.db.select().from(users).where(eq(users.id, id)).get();
  }

  /** Users holding a TOTP secret (enabled or pending), for re-encrypting them. */
  withTotpSecret(): User[] {
    return this.db.select().from(users).where(isNotNull(users.totpSecret)).all();
  }

  /** A new password hash (the caller revokes sessions as it sees fit). */
  setPassword(id: number, passwordHash: string): void {
    this.db.update(users).set({ passwordHash }).where(eq(users.id, id)).run();
  }

  rename(id: number, username: string): void {
    this.db.update(users).set({ username }).where(eq(users.id, id)).run();
  }

  setTotp(
    id: number,
    fields: {
      totpSecret?: string | null;
      totpEnabled?: boolean;
      totpLastStep?: number | null;
      recoveryCodes?: string[] | null;
    },
  ): void {
    const { recoveryCodes, ...rest } = fields;
    this.db
      .update(users)
      .set({
        ...rest,
        // New codes (or none) start a new list: the old list's used codes no longer mean anything.
        ...(recoveryCodes !== undefined
          ? { recoveryCodes: recoveryCodes === null ? null : JSON.stringify(recoveryCodes), usedRecoveryCodes: null }
          : {}),
      })
      .where(eq(users.id, id))
      .run();
  }

  /**
   * Records the TOTP step a code was accepted for, only if it is newer than the one stored: two requests
   * racing with the same code cannot both win. True when this call won.
   */
  advanceTotpStep(id: number, step: number): boolean {
    return (
      this.store.sqlite
        .prepare("UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)")
        .run(step, id, step).changes === 1
    );
  }

  /** Replaces the recovery codes only if they are still `expected` (a code is used once, even in a race). */
  replaceRecoveryCodes(id: number, expected: string[], next: string[]): boolean {
    return (
      this.store.sqlite
        .prepare("UPDATE users SET recovery_codes = ? WHERE id = ? AND recovery_codes = ?")
        .run(JSON.stringify(next), id, JSON.stringify(expected)).changes === 1
    );
  }

  recoveryCodes(user: User): string[] {
    return user.recoveryCodes ? (JSON.parse(user.recoveryCodes) as string[]) : [];
  }

  /** Hashes of the recovery codes of the current list already used. */
  usedRecoveryCodes(user: User): string[] {
    return user.usedRecoveryCodes ? (JSON.parse(user.usedRecoveryCodes) as string[]) : [];
  }

  /** Remembers a used recovery code's hash, so typing it again is answered "already used". */
  markRecoveryCodeUsed(user: User, hash: string): void {
    const used = JSON.stringify([...this.usedRecoveryCodes(user), hash]);
    this.db.update(users).set({ usedRecoveryCodes: used }).where(eq(users.id, user.id)).run();
  }

  // Sessions: the JWT carries the session id; a session row can be revoked before the token expires.

  openSession(session: typeof sessions.$inferInsert): void {
    this.db.insert(sessions).values(session).run();
  }

  session(id: string): Session | undefined {
    return this.db.select().from(sessions).where(eq(sessions.id, id)).get();
  }

  revokeSession(id: string, now: number): void {
    this.db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
      .run();
  }

  /** Revokes every open session of a user, but `keep` (the one making the change). */
  revokeSessionsOf(userId: number, now: number, keep?: string): void {
    for (const s of this.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .all()) {
      if (s.id !== keep) this.revokeSession(s.id, now);
    }
  }

  /** A user's sessions that are still open at `now`, newest first. */
  openSessionsOf(userId: number, now: number): Session[] {
    return this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .orderBy(desc(sessions.createdAt))
      .all()
      .filter((s) => s.expiresAt > now);
  }

  pruneSessions(now: number): void {
    this.db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
  }

  // Settings

  setting<T>(key: string, fallback: T): T {
    const row = this.db.select().from(settings).where(eq(settings.key, key)).get();
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  setSetting(key: string, value: unknown, now: number): void {
    const text = JSON.stringify(value);
    this.db
      .insert(settings)
      .values({ key, value: text, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value: text, updatedAt: now } })
      .run();
  }

  // Audit log

  audit(entry: {
    ts: number;
    actor: string;
    action: string;
    detail?: Record<string, unknown>;
    clientIp?: string;
  }): void {
    this.db
      .insert(auditLog)
      .values({
        ts: entry.ts,
        actor: entry.actor,
        action: entry.action,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
        clientIp: entry.clientIp ?? null,
      })
      .run();
  }

  /** Newest first, filtered; at most `limit` (500 by default and at most, for a page; `maxLimit` for an export). */
  auditTrail(options: AuditFilter = {}, maxLimit = 500): (Omit<AuditEntry, "detail"> & { detail: unknown })[] {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), maxLimit);
    const where: SQL[] = [];
    if (options.before) where.push(lt(auditLog.id, options.before));
    if (options.actor) where.push(eq(auditLog.actor, options.actor));
    // "key." matches every key action; "login" matches login and login.failed (a prefix, LIKE's wildcards escaped).
    if (options.action)
      where.push(sql`${auditLog.action} LIKE ${`${options.action.replace(/[\\%_]/g, "\\$&")}%`} ESCAPE '\\'`);
    if (options.from !== undefined) where.push(gte(auditLog.ts, options.from));
    if (options.to !== undefined) where.push(lte(auditLog.ts, options.to));
    const rows = this.db
      .select()
      .from(auditLog)
      .where(where.length > 0 ? and(...where) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(limit)
      .all();
    return rows.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : null }));
  }
}
