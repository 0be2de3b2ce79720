/**
 * Admin authentication flows on top of the primitives: first-run setup, login (password, then TOTP or a
 * recovery code), sessions that can be revoked, and every answer to a failed attempt the same, whatever
 * went wrong (no user enumeration). Throttled per account and per client address.
 */
import { randomBytes } from "node:crypto";
import { GatewayError } from "../errors.ts";
import { systemClock } from "../pipeline/clock.ts";
import { type Accounts, recoveryCodesOf, type User, usedRecoveryCodesOf } from "../store/accounts.ts";
import { addressKey } from "./address-key.ts";
import { checkPasswordPolicy, dummyVerifyPassword, hashPassword, verifyPassword } from "./passwords.ts";
import { hashRecoveryCode, useRecoveryCode } from "./recovery-codes.ts";
import { SecretBox } from "./secret-box.ts";
import type { SessionSigner } from "./sessions.ts";
import { createSetupToken, type SetupToken } from "./setup-token.ts";
import type { SharedSetup } from "./shared-setup.ts";
import { type AttemptKeys, type AttemptLimiter, type AttemptVerdict, LoginThrottle } from "./throttle.ts";
import { verifyTotp } from "./totp.ts";

const DEFAULT_SESSION_TTL_MS = 12 * 3_600_000;
const ADMIN_USERNAME = "admin";

interface AdminSettings {
  /** Every admin must have TOTP: without it, a session can only enrol (default false). */
  require2fa: boolean;
  /** Lifetime of a session (default 12 hours). */
  sessionTtlMs: number;
}

export interface SessionInfo {
  sessionId: string;
  user: User;
  expiresAt: number;
  /** The user must enrol TOTP before anything else (require2fa is on and they have none). */
  mustEnrol: boolean;
}

/**
 * What a failed login says. The password step never tells an unknown user from a wrong password; the
 * code step is reached only with the right password, so it may say the code was wrong, or used already.
 */
const REFUSALS = {
  password: "Wrong username or password.",
  code: "Wrong code: check the app's current code, or type a recovery code.",
  recoveryUsed: "That recovery code was used already: each works once. Use another one, or an app code.",
} as const;
type Refusal = keyof typeof REFUSALS;
export const normaliseUsername = (name: string) => name.trim().toLowerCase();

/** Throws the 400 for a username that is not 2 to 64 of a-z, 0-9, _ . - (after normalising). */
export function checkUsername(username: string): void {
  if (!/^[a-z0-9_.-]{2,64}$/.test(username))
    throw new GatewayError("invalid_request", "username: 2 to 64 letters, digits, _ . or -", { param: "username" });
}

/** Throws the 400 listing every problem of a new password (checkPasswordPolicy), in the field `param`. */
export async function checkNewPassword(password: string, username: string, param: string): Promise<void> {
  const problems = await checkPasswordPolicy(password, username);
  if (problems.length > 0)
    throw new GatewayError("invalid_request", problems.map((p) => p.message).join(" "), { param });
}

/** The throttle keys of an attempt on `username` from `clientIp`. */
export const attemptKeys = (username: string, clientIp?: string): AttemptKeys => ({
  account: username,
  address: clientIp ? addressKey(clientIp) : undefined,
});

/** The 429 for a refused attempt: a lock says so, a delay says to wait; both carry Retry-After. */
export function throttled(verdict: Extract<AttemptVerdict, { allowed: false }>): GatewayError {
  const message =
    verdict.reason === "locked"
      ? "Too many failed attempts: this account is locked for a while from this address."
      : "Too many failed attempts: wait before trying again.";
  return new GatewayError("rate_limited", message, { retryAfterMs: verdict.retryAfterMs });
}

export class AdminAuth {
  private setupToken: SetupToken | undefined;
  /** Cluster mode: the setup link is the cluster's, whichever process printed it. */
  private readonly sharedSetup?: SharedSetup;
  readonly limiter: AttemptLimiter;
  /** TOTP secrets are stored sealed with a key kept apart from the database (the session key file). */
  private readonly totpBox: SecretBox;

  constructor(
    readonly accounts: Accounts,
    private readonly signer: SessionSigner,
    options: { limiter?: AttemptLimiter; sharedSetup?: SharedSetup } = {},
  ) {
    this.limiter = options.limiter ?? new LoginThrottle();
    this.sharedSetup = options.sharedSetup;
    this.totpBox = signer.box("totp secret");
  }

  /** Stores a new TOTP secret of `userId` sealed (see `totpSecretOf`). */
  sealTotpSecret(userId: number, secret: string): string {
    return this.totpBox.seal(secret, `user:${userId}`);
  }

  /** The user's TOTP secret in clear; undefined when none, or sealed under another session key. */
  totpSecretOf(user: User): string | undefined {
    return user.totpSecret ? this.totpBox.open(user.totpSecret, `user:${user.id}`) : undefined;
  }

  /** Databases from before encryption hold clear TOTP secrets: sealed at start (`prepareFirstRun`), once, and audited. */
  private async sealClearTotpSecrets(now: number): Promise<void> {
    const clear = (await this.accounts.withTotpSecret()).filter((user) => !SecretBox.isSealed(user.totpSecret!));
    for (const user of clear)
      await this.accounts.setTotp(user.id, { totpSecret: this.sealTotpSecret(user.id, user.totpSecret!) });
    if (clear.length > 0)
      await this.accounts.audit({
        ts: now,
        actor: "gateway",
        action: "totp.secrets_encrypted",
        detail: { accounts: clear.length },
      });
  }

  settings(): Promise<AdminSettings> {
    return this.accounts.setting<AdminSettings>("admin", { require2fa: false, sessionTtlMs: DEFAULT_SESSION_TTL_MS });
  }

  async setupRequired(): Promise<boolean> {
    return (await this.accounts.count()) === 0;
  }

  /**
   * At start: with no admin, either create one from GATEWAY_ADMIN_PASSWORD or return a one-time setup
   * token (valid one hour) for the console's setup link.
   */
  async prepareFirstRun(
    adminPassword: string | undefined,
    now: number,
  ): Promise<{ created?: string; setupToken?: string; setupElsewhere?: boolean; problems?: string[] }> {
    await this.sealClearTotpSecrets(systemClock.now());
    if (!(await this.setupRequired())) return {};
    if (adminPassword) {
      const problems = (await checkPasswordPolicy(adminPassword, ADMIN_USERNAME)).map((p) => p.message);
      if (problems.length === 0) {
        const hash = await hashPassword(adminPassword);
        try {
          await this.accounts.create(ADMIN_USERNAME, hash, now);
        } catch (error) {
          // Replicas of a cluster starting together on one database: another one created it first.
          if (!(await this.setupRequired())) return {};
          throw error;
        }
        await this.accounts.audit({
          ts: now,
          actor: ADMIN_USERNAME,
          action: "account.create",
          detail: { via: "GATEWAY_ADMIN_PASSWORD" },
        });
        return { created: ADMIN_USERNAME };
      }
      return { ...(await this.newSetupToken(now)), problems };
    }
    return this.newSetupToken(now);
  }

  /** A setup token for the link; in a cluster, none when another process's link is the one in force. */
  private async newSetupToken(now: number): Promise<{ setupToken?: string; setupElsewhere?: boolean }> {
    const token = createSetupToken(now);
    if (this.sharedSetup && !(await this.sharedSetup.offer(token, now))) return { setupElsewhere: true };
    this.setupToken = token;
    return { setupToken: token.token };
  }

  /** Creates the first admin with the one-time setup token. */
  async setup(
    input: { token: string; username: string; password: string; clientIp?: string },
    now: number,
  ): Promise<User> {
    if (!(await this.setupRequired())) throw new GatewayError("conflict", "Setup is done: an admin account exists.");
    const username = normaliseUsername(input.username);
    checkUsername(username);
    await checkNewPassword(input.password, username, "password");
    // The policy is checked first so that a typo does not burn the token.
    const used = this.sharedSetup
      ? await this.sharedSetup.consume(input.token, now)
      : this.setupToken?.consume(input.token, now);
    if (!used)
      throw new GatewayError(
        "forbidden",
        "The setup link is invalid or has expired: restart the gateway for a new one.",
      );
    const hash = await hashPassword(input.password);
    if (!(await this.setupRequired())) throw new GatewayError("conflict", "Setup is done: an admin account exists.");
    const user = await this.accounts.create(username, hash, now);
    await this.accounts.audit({
      ts: now,
      actor: username,
      action: "account.create",
      detail: { via: "setup link" },
      clientIp: input.clientIp,
    });
    return user;
  }

  /**
   * Password, then TOTP (or a recovery code) when the account has it. The attempt is reserved with the
   * throttle before the password is hashed, so parallel guesses cannot outrun the limit. A correct
   * password without a code on a TOTP account answers `totp_required` and gives the reservation back
   * without counting a success: that would let a password holder reset the counter between code guesses.
   */
  async login(
    input: { username: string; password: string; code?: string; clientIp?: string; userAgent?: string },
    now: number,
  ): Promise<{ token: string; session: SessionInfo }> {
    const username = normaliseUsername(input.username ?? "");
    const keys = attemptKeys(username, input.clientIp);
    const verdict = await this.limiter.reserve(keys, now);
    const actor = username || "(empty)";
    if (!verdict.allowed) {
      await this.accounts.audit({
        ts: now,
        actor,
        action: "login.throttled",
        detail: { reason: verdict.reason, scope: verdict.scope },
        clientIp: input.clientIp,
      });
      throw throttled(verdict);
    }
    // Said in every audit entry of the attempt: this address got through an account under attack.
    const slowed = verdict.accountSlowed ? { accountSlowed: true } : {};
    const fail = async (reason: string, refusal: Refusal): Promise<never> => {
      await this.accounts.audit({
        ts: now,
        actor,
        action: "login.failed",
        detail: { reason, ...slowed },
        clientIp: input.clientIp,
      });
      throw new GatewayError("unauthorized", REFUSALS[refusal]);
    };
    const user = await this.accounts.byName(username);
    const passwordOk = user
      ? await verifyPassword(input.password ?? "", user.passwordHash)
      : await dummyVerifyPassword(input.password ?? "");
    if (!user || !passwordOk) return await fail("wrong password or unknown user", "password");
    if (user.totpEnabled) {
      if (!input.code) {
        await this.limiter.release(keys, now);
        throw new GatewayError("totp_required", "Enter the code from your authenticator app (or a recovery code).");
      }
      const secondFactor = await this.checkSecondFactor(user, input.code, now);
      if (!secondFactor.ok) return await fail(secondFactor.reason, secondFactor.reused ? "recoveryUsed" : "code");
      if (secondFactor.usedRecoveryCode)
        await this.accounts.audit({
          ts: now,
          actor,
          action: "login.recovery_code",
          detail: { remaining: secondFactor.remaining },
          clientIp: input.clientIp,
        });
    }
    await this.limiter.succeed(keys, now);
    const issued = await this.openSession(user, now, input.clientIp, input.userAgent);
    await this.accounts.audit({
      ts: now,
      actor,
      action: "login",
      detail: verdict.accountSlowed ? slowed : undefined,
      clientIp: input.clientIp,
    });
    return issued;
  }

  /** A TOTP code (once per time step) or an unused recovery code. */
  async checkSecondFactor(
    user: User,
    code: string,
    now: number,
  ): Promise<
    { ok: true; usedRecoveryCode?: boolean; remaining?: number } | { ok: false; reason: string; reused?: boolean }
  > {
    const compact = code.replace(/\s+/g, "");
    if (/^\d{6}$/.test(compact)) {
      const secret = this.totpSecretOf(user);
      if (!secret) return { ok: false, reason: "totp secret unreadable (was session.key replaced?)" };
      const result = await verifyTotp({ secret, code: compact, lastStep: user.totpLastStep, now });
      if (!result.ok) return { ok: false, reason: `totp ${result.reason}` };
      if (!(await this.accounts.advanceTotpStep(user.id, result.step))) return { ok: false, reason: "totp replayed" };
      return { ok: true };
    }
    const hashes = recoveryCodesOf(user);
    const used = useRecoveryCode(code, hashes);
    if (!used.ok || !(await this.accounts.replaceRecoveryCodes(user.id, hashes, used.remaining))) {
      const reused = usedRecoveryCodesOf(user).includes(hashRecoveryCode(code));
      return reused
        ? { ok: false, reason: "recovery code reused", reused }
        : { ok: false, reason: "wrong recovery code" };
    }
    await this.accounts.markRecoveryCodeUsed(user, hashRecoveryCode(code));
    return { ok: true, usedRecoveryCode: true, remaining: used.remaining.length };
  }

  async openSession(
    user: User,
    now: number,
    clientIp?: string,
    userAgent?: string,
  ): Promise<{ token: string; session: SessionInfo }> {
    const ttlMs = (await this.settings()).sessionTtlMs;
    const sessionId = randomBytes(18).toString("base64url");
    const expiresAt = now + ttlMs;
    await this.accounts.openSession({
      id: sessionId,
      userId: user.id,
      createdAt: now,
      expiresAt,
      clientIp: clientIp ?? null,
      userAgent: userAgent?.slice(0, 200) ?? null,
    });
    const token = await this.signer.issue({ sessionId, userId: user.id, username: user.username, now, ttlMs });
    return {
      token,
      session: { sessionId, user, expiresAt, mustEnrol: await this.mustEnrol(user) },
    };
  }

  /** The session a token stands for, if it is valid: signature, expiry, not revoked, user still there. */
  async session(token: string | undefined, now: number): Promise<SessionInfo | undefined> {
    if (!token) return undefined;
    const claims = await this.signer.verify(token, now);
    if (!claims) return undefined;
    const row = await this.accounts.session(claims.sessionId);
    if (!row || row.revokedAt !== null || row.expiresAt <= now || row.userId !== claims.userId) return undefined;
    const user = await this.accounts.byId(claims.userId);
    // Sessions opened before the user's "sign out everywhere" time are over (compared in ms on the row).
    if (!user || row.createdAt < user.sessionsValidAfter) return undefined;
    return {
      sessionId: row.id,
      user,
      expiresAt: row.expiresAt,
      mustEnrol: await this.mustEnrol(user),
    };
  }

  /** The user must enrol TOTP before anything else: every admin must (require2fa), or this one (invited). */
  private async mustEnrol(user: User): Promise<boolean> {
    if (user.totpEnabled) return false;
    return user.totpRequired || (await this.settings()).require2fa;
  }

  logout(sessionId: string, now: number): Promise<void> {
    return this.accounts.revokeSession(sessionId, now);
  }
}
