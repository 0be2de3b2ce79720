/**
 * What a signed-in admin changes about their own account: password, username, TOTP (enrol with a
 * server-made secret, confirm with a code, disable with password and code), recovery codes. Every
 * change is audited; secrets and codes never are.
 */
import { GatewayError } from "../errors.ts";
import type { User } from "../store/accounts.ts";
import {
  type AdminAuth,
  attemptKeys,
  checkNewPassword,
  checkUsername,
  normaliseUsername,
  type SessionInfo,
  throttled,
} from "./admin-auth.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { newRecoveryCodes } from "./recovery-codes.ts";
import { newTotpSecret, otpauthUri, qrSvg, verifyTotp } from "./totp.ts";

// 403, not 401: the session is fine, only the password or code given for this change was wrong.
const wrong = (what: string) => new GatewayError("wrong_credentials", `Wrong ${what}.`);

export class AccountSecurity {
  constructor(private readonly auth: AdminAuth) {}

  private get accounts() {
    return this.auth.accounts;
  }

  /**
   * One throttled check of the signed-in user's credentials, reserved before it runs like a login
   * attempt; a wrong answer is audited as `failure` and refused with 403 naming `what`.
   */
  private async attempt(
    session: SessionInfo,
    clientIp: string | undefined,
    now: number,
    spec: { what: string; failure: string; check: (user: User) => Promise<boolean> },
  ): Promise<User> {
    const user = (await this.accounts.byId(session.user.id))!;
    const keys = attemptKeys(user.username, clientIp);
    const verdict = await this.auth.limiter.reserve(keys, now);
    if (!verdict.allowed) throw throttled(verdict);
    if (await spec.check(user)) {
      await this.auth.limiter.succeed(keys, now);
      return user;
    }
    await this.accounts.audit({ ts: now, actor: user.username, action: spec.failure, clientIp });
    throw wrong(spec.what);
  }

  /** Password and (when TOTP is on) a code, throttled like a login: for disabling TOTP and new codes. */
  private async reauthenticate(
    session: SessionInfo,
    input: { password?: string; code?: string },
    now: number,
    clientIp?: string,
  ): Promise<void> {
    await this.attempt(session, clientIp, now, {
      what: session.user.totpEnabled ? "password or code" : "password",
      failure: "reauth.failed",
      check: async (user) =>
        (await verifyPassword(input.password ?? "", user.passwordHash)) &&
        (!user.totpEnabled ||
          (input.code !== undefined && (await this.auth.checkSecondFactor(user, input.code, now)).ok)),
    });
  }

  /** New password; every other session of the user is revoked (the current one stays). */
  async changePassword(
    session: SessionInfo,
    input: { current?: string; next?: string },
    now: number,
    clientIp?: string,
  ): Promise<void> {
    // The current password only: a TOTP holder already passed the code to get this session.
    await this.checkPasswordOnly(session, input.current, now, clientIp);
    await checkNewPassword(input.next ?? "", session.user.username, "next");
    await this.accounts.setPassword(session.user.id, await hashPassword(input.next!));
    await this.accounts.revokeSessionsOf(session.user.id, now, session.sessionId);
    await this.accounts.audit({
      ts: now,
      actor: session.user.username,
      action: "account.password",
      detail: { otherSessionsRevoked: true },
      clientIp,
    });
  }

  /**
   * The account's password, checked again for a sensitive action (a rename, a config change that runs
   * new code): throttled like a login, 403 `wrong_credentials` when wrong.
   */
  async checkPasswordOnly(
    session: SessionInfo,
    password: string | undefined,
    now: number,
    clientIp?: string,
  ): Promise<void> {
    await this.attempt(session, clientIp, now, {
      what: "password",
      failure: "reauth.failed",
      check: (user) => verifyPassword(password ?? "", user.passwordHash),
    });
  }

  async rename(
    session: SessionInfo,
    input: { username?: string; password?: string },
    now: number,
    clientIp?: string,
  ): Promise<string> {
    await this.checkPasswordOnly(session, input.password, now, clientIp);
    const username = normaliseUsername(input.username ?? "");
    checkUsername(username);
    if (await this.accounts.byName(username)) throw new GatewayError("conflict", "That username is taken.");
    await this.accounts.rename(session.user.id, username);
    await this.accounts.audit({
      ts: now,
      actor: username,
      action: "account.rename",
      detail: { from: session.user.username },
      clientIp,
    });
    return username;
  }

  /** Starts enrolment: a secret made here (never taken from the client), pending until confirmed. */
  async enrolTotp(
    session: SessionInfo,
    now: number,
    clientIp?: string,
  ): Promise<{ secret: string; uri: string; qrSvg: string }> {
    const user = (await this.accounts.byId(session.user.id))!;
    if (user.totpEnabled)
      throw new GatewayError("conflict", "Two-factor authentication is on already: disable it first.");
    const secret = newTotpSecret();
    await this.accounts.setTotp(user.id, {
      totpSecret: this.auth.sealTotpSecret(user.id, secret),
      totpEnabled: false,
      totpLastStep: null,
    });
    await this.accounts.audit({ ts: now, actor: user.username, action: "totp.enrol", clientIp });
    const uri = otpauthUri({ secret, account: user.username });
    return { secret, uri, qrSvg: qrSvg(uri) };
  }

  /** Confirms enrolment with a code of the pending secret: TOTP is on, and ten recovery codes are shown once. */
  async confirmTotp(
    session: SessionInfo,
    input: { code?: string },
    now: number,
    clientIp?: string,
  ): Promise<{ recoveryCodes: string[] }> {
    const pending = (await this.accounts.byId(session.user.id))!;
    if (pending.totpEnabled) throw new GatewayError("conflict", "Two-factor authentication is on already.");
    if (!pending.totpSecret)
      throw new GatewayError("invalid_request", "Start enrolment first (POST /api/auth/totp/enrol).");
    let step = 0;
    const user = await this.attempt(session, clientIp, now, {
      what: "code",
      failure: "totp.confirm_failed",
      check: async (current) => {
        const secret = this.auth.totpSecretOf(current);
        if (!secret) return false;
        const result = await verifyTotp({ secret, code: input.code ?? "", lastStep: null, now });
        if (result.ok) step = result.step;
        return result.ok;
      },
    });
    const { codes, hashes } = newRecoveryCodes();
    await this.accounts.setTotp(user.id, { totpEnabled: true, totpLastStep: step, recoveryCodes: hashes });
    await this.accounts.audit({ ts: now, actor: user.username, action: "totp.enabled", clientIp });
    return { recoveryCodes: codes };
  }

  async disableTotp(
    session: SessionInfo,
    input: { password?: string; code?: string },
    now: number,
    clientIp?: string,
  ): Promise<void> {
    if (!session.user.totpEnabled) throw new GatewayError("conflict", "Two-factor authentication is off.");
    if ((await this.auth.settings()).require2fa)
      throw new GatewayError("forbidden", "Two-factor authentication is required for every admin here.");
    if (session.user.totpRequired)
      throw new GatewayError("forbidden", "Two-factor authentication is required for your account (it was invited).");
    await this.reauthenticate(session, input, now, clientIp);
    await this.accounts.setTotp(session.user.id, {
      totpSecret: null,
      totpEnabled: false,
      totpLastStep: null,
      recoveryCodes: null,
    });
    await this.accounts.audit({ ts: now, actor: session.user.username, action: "totp.disabled", clientIp });
  }

  async regenerateRecoveryCodes(
    session: SessionInfo,
    input: { password?: string; code?: string },
    now: number,
    clientIp?: string,
  ): Promise<{ recoveryCodes: string[] }> {
    if (!session.user.totpEnabled)
      throw new GatewayError("conflict", "Two-factor authentication is off: there are no recovery codes.");
    await this.reauthenticate(session, input, now, clientIp);
    const { codes, hashes } = newRecoveryCodes();
    await this.accounts.setTotp(session.user.id, { recoveryCodes: hashes });
    await this.accounts.audit({ ts: now, actor: session.user.username, action: "totp.recovery_codes", clientIp });
    return { recoveryCodes: codes };
  }
}
