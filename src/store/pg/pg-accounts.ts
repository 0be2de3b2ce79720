/**
 * The admin accounts, sessions, settings and audit trail in PostgreSQL (cluster mode): one set for every
 * replica, so a session opened on one is valid on all and revoking it on one ends it everywhere at once
 * (each admin request reads its session row). Same interface and semantics as `SqliteAccounts`; every
 * statement runs under the read deadline and answers the admin API's 503 when the database is away.
 */
import { and, desc, eq, gt, isNotNull, isNull, lt, ne, sql } from "drizzle-orm";
import {
  type Accounts,
  type AuditFilter,
  type AuditInput,
  type AuditView,
  auditConditions,
  auditLimit,
  auditRow,
  auditView,
  type Invite,
  type NewInvite,
  type NewSession,
  type Role,
  type Session,
  type TotpFields,
  totpRow,
  type User,
  usedRecoveryCodesOf,
} from "../accounts.ts";
import { PgStatements } from "./pg-statements.ts";
import { auditLog, invites, sessions, settings, users } from "./schema.ts";

export class PgAccounts extends PgStatements implements Accounts {
  async count(): Promise<number> {
    const [row] = await this.run(() => this.db.select({ n: sql<number>`count(*)::int` }).from(users));
    return row.n;
  }

  async create(
    username: string,
    passwordHash: string,
    now: number,
    extra: { role?: Role; totpRequired?: boolean } = {},
  ): Promise<User> {
    const [user] = await this.run(() =>
      this.db
        .insert(users)
        .values({ username, passwordHash, createdAt: now, ...extra })
        .returning(),
    );
    return user;
  }

  all(): Promise<User[]> {
    return this.run(() => this.db.select().from(users).orderBy(users.id));
  }

  remove(id: number): Promise<boolean> {
    return this.changed(() => this.db.delete(users).where(eq(users.id, id)).returning({ id: users.id }));
  }

  async addInvite(invite: NewInvite): Promise<void> {
    await this.run(() => this.db.insert(invites).values(invite));
  }

  async inviteByHash(tokenHash: string): Promise<Invite | undefined> {
    const [invite] = await this.run(() => this.db.select().from(invites).where(eq(invites.tokenHash, tokenHash)));
    return invite;
  }

  useInvite(id: string, username: string, now: number): Promise<boolean> {
    return this.changed(() =>
      this.db
        .update(invites)
        .set({ usedAt: now, usedBy: username })
        .where(and(eq(invites.id, id), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
        .returning({ id: invites.id }),
    );
  }

  revokeInvite(id: string, now: number): Promise<boolean> {
    return this.changed(() =>
      this.db
        .update(invites)
        .set({ revokedAt: now })
        .where(and(eq(invites.id, id), isNull(invites.usedAt), isNull(invites.revokedAt)))
        .returning({ id: invites.id }),
    );
  }

  pendingInvites(now: number): Promise<Invite[]> {
    return this.run(() =>
      this.db
        .select()
        .from(invites)
        .where(and(isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
        .orderBy(desc(invites.createdAt)),
    );
  }

  async byName(username: string): Promise<User | undefined> {
    const [user] = await this.run(() => this.db.select().from(users).where(eq(users.username, username)));
    return user;
  }

  async byId(id: number): Promise<User | undefined> {
    const [user] = await this.run(() => this.db.select().from(users).where(eq(users.id, id)));
    return user;
  }

  withTotpSecret(): Promise<User[]> {
    return this.run(() => this.db.select().from(users).where(isNotNull(users.totpSecret)));
  }

  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.run(() => this.db.update(users).set({ passwordHash }).where(eq(users.id, id)));
  }

  async rename(id: number, username: string): Promise<void> {
    await this.run(() => this.db.update(users).set({ username }).where(eq(users.id, id)));
  }

  async setTotp(id: number, fields: TotpFields): Promise<void> {
    await this.run(() => this.db.update(users).set(totpRow(fields)).where(eq(users.id, id)));
  }

  advanceTotpStep(id: number, step: number): Promise<boolean> {
    return this.changed(() =>
      this.db
        .update(users)
        .set({ totpLastStep: step })
        .where(and(eq(users.id, id), sql`(${users.totpLastStep} IS NULL OR ${users.totpLastStep} < ${step})`))
        .returning({ id: users.id }),
    );
  }

  replaceRecoveryCodes(id: number, expected: string[], next: string[]): Promise<boolean> {
    return this.changed(() =>
      this.db
        .update(users)
        .set({ recoveryCodes: JSON.stringify(next) })
        .where(and(eq(users.id, id), eq(users.recoveryCodes, JSON.stringify(expected))))
        .returning({ id: users.id }),
    );
  }

  async markRecoveryCodeUsed(user: User, hash: string): Promise<void> {
    const used = JSON.stringify([...usedRecoveryCodesOf(user), hash]);
    await this.run(() => this.db.update(users).set({ usedRecoveryCodes: used }).where(eq(users.id, user.id)));
  }

  async openSession(session: NewSession): Promise<void> {
    await this.run(() => this.db.insert(sessions).values(session));
  }

  async session(id: string): Promise<Session | undefined> {
    const [row] = await this.run(() => this.db.select().from(sessions).where(eq(sessions.id, id)));
    return row;
  }

  async revokeSession(id: string, now: number): Promise<void> {
    await this.run(() =>
      this.db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.id, id), isNull(sessions.revokedAt))),
    );
  }

  async revokeSessionsOf(userId: number, now: number, keep?: string): Promise<void> {
    await this.run(() =>
      this.db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined)),
    );
  }

  openSessionsOf(userId: number, now: number): Promise<Session[]> {
    return this.run(() =>
      this.db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
        .orderBy(desc(sessions.createdAt)),
    );
  }

  async pruneSessions(now: number): Promise<void> {
    await this.run(() => this.db.delete(sessions).where(lt(sessions.expiresAt, now)));
  }

  async setting<T>(key: string, fallback: T): Promise<T> {
    const [row] = await this.run(() => this.db.select().from(settings).where(eq(settings.key, key)));
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  async setSetting(key: string, value: unknown, now: number): Promise<void> {
    const text = JSON.stringify(value);
    await this.run(() =>
      this.db
        .insert(settings)
        .values({ key, value: text, updatedAt: now })
        .onConflictDoUpdate({ target: settings.key, set: { value: text, updatedAt: now } }),
    );
  }

  async settingsWithPrefix<T>(prefix: string): Promise<{ key: string; value: T }[]> {
    const rows = await this.run(() =>
      this.db.select().from(settings).where(sql`substr(${settings.key}, 1, ${prefix.length}) = ${prefix}`),
    );
    return rows.map((row) => ({ key: row.key, value: JSON.parse(row.value) as T }));
  }

  async deleteSetting(key: string): Promise<void> {
    await this.run(() => this.db.delete(settings).where(eq(settings.key, key)));
  }

  takeSetting(key: string, value: unknown): Promise<boolean> {
    return this.changed(() =>
      this.db
        .delete(settings)
        .where(and(eq(settings.key, key), eq(settings.value, JSON.stringify(value))))
        .returning({ key: settings.key }),
    );
  }

  async settingOnce<T>(key: string, value: T, now: number): Promise<T> {
    await this.run(() =>
      this.db
        .insert(settings)
        .values({ key, value: JSON.stringify(value), updatedAt: now })
        .onConflictDoNothing(),
    );
    const [row] = await this.run(() => this.db.select().from(settings).where(eq(settings.key, key)));
    return JSON.parse(row.value) as T;
  }

  async audit(entry: AuditInput): Promise<void> {
    await this.run(() => this.db.insert(auditLog).values(auditRow(entry)));
  }

  async auditTrail(options: AuditFilter = {}, maxLimit = 500): Promise<AuditView[]> {
    const where = auditConditions(options, auditLog);
    const rows = await this.run(() =>
      this.db
        .select()
        .from(auditLog)
        .where(where.length > 0 ? and(...where) : undefined)
        .orderBy(desc(auditLog.id))
        .limit(auditLimit(options, maxLimit)),
    );
    return rows.map(auditView);
  }
}
