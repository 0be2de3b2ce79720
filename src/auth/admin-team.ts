/**
 * More than one admin: an admin invites another with a one-time link (random, expiring, kept only as
 * its digest, shown once to the inviter); the invitee picks a username and password and must enrol
 * TOTP before anything else. Admins can be removed, never the last full admin, and yourself only when
 * you say so. Roles: "admin" changes anything, "viewer" sees everything (the admin API's guard
 * refuses its changes, src/http/admin/admin-api.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { GatewayError } from "../errors.ts";
import type { Invite, Role, User } from "../store/accounts.ts";
import { type AdminAuth, checkNewPassword, checkUsername, normaliseUsername } from "./admin-auth.ts";
import { hashPassword } from "./passwords.ts";

/** How long an invite link works, by default: two days, time for the invitee to see the message. */
export const INVITE_TTL_MS = 48 * 3_600_000;
export const ROLES: readonly Role[] = ["admin", "viewer"];

const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/** An admin account as listed: never its hashes or secrets. */
export interface AdminView {
  id: number;
  username: string;
  role: Role;
  totpEnabled: boolean;
  createdAt: number;
}

/** A pending invite as listed: never its token. */
export type InviteView = Pick<Invite, "id" | "createdBy" | "createdAt" | "expiresAt"> & { role: Role };

const adminView = (user: User): AdminView => ({
  id: user.id,
  username: user.username,
  role: user.role as Role,
  totpEnabled: user.totpEnabled,
  createdAt: user.createdAt,
});

export class AdminTeam {
  constructor(private readonly auth: AdminAuth) {}

  private get accounts() {
    return this.auth.accounts;
  }

  async list(now: number): Promise<{ admins: AdminView[]; invites: InviteView[] }> {
    return {
      admins: (await this.accounts.all()).map(adminView),
      invites: (await this.accounts.pendingInvites(now)).map(({ id, role, createdBy, createdAt, expiresAt }) => ({
        id,
        role: role as Role,
        createdBy,
        createdAt,
        expiresAt,
      })),
    };
  }

  /** A new invite; `token` goes in the link and is never stored or shown again. */
  async invite(
    input: { role: Role; by: string; clientIp?: string; ttlMs?: number },
    now: number,
  ): Promise<{ token: string; invite: InviteView }> {
    if (!ROLES.includes(input.role))
      throw new GatewayError("invalid_request", 'role must be "admin" or "viewer"', { param: "role" });
    const token = randomBytes(32).toString("base64url");
    const invite = {
      id: `inv_${randomBytes(6).toString("hex")}`,
      role: input.role,
      createdBy: input.by,
      createdAt: now,
      expiresAt: now + (input.ttlMs ?? INVITE_TTL_MS),
    };
    await this.accounts.addInvite({ ...invite, tokenHash: digest(token) });
    await this.accounts.audit({
      ts: now,
      actor: input.by,
      action: "admin.invite",
      detail: { invite: invite.id, role: invite.role, expiresAt: invite.expiresAt },
      clientIp: input.clientIp,
    });
    return { token, invite };
  }

  async revokeInvite(id: string, by: string, now: number, clientIp?: string): Promise<void> {
    if (!(await this.accounts.revokeInvite(id, now)))
      throw new GatewayError("not_found", "No pending invite with that id.");
    await this.accounts.audit({ ts: now, actor: by, action: "admin.invite_revoke", detail: { invite: id }, clientIp });
  }

  /**
   * Creates the invitee's account: the link's token, a free username, a strong password. The input is
   * checked before the invite is used, so a typo does not burn the link; using it is one atomic update,
   * so the link makes one account even when sent twice at once.
   */
  async accept(input: { token: string; username: string; password: string; clientIp?: string }, now: number) {
    const username = normaliseUsername(input.username);
    checkUsername(username);
    await checkNewPassword(input.password, username, "password");
    const invite = await this.accounts.inviteByHash(digest(input.token));
    const unusable = () =>
      new GatewayError("forbidden", "This invite link is invalid, used or expired: ask an admin for a new one.");
    if (!invite || invite.usedAt !== null || invite.revokedAt !== null || invite.expiresAt <= now) throw unusable();
    if (await this.accounts.byName(username)) throw new GatewayError("conflict", "That username is taken.");
    const hash = await hashPassword(input.password);
    if (!(await this.accounts.useInvite(invite.id, username, now))) throw unusable();
    const user = await this.accounts.create(username, hash, now, { role: invite.role as Role, totpRequired: true });
    await this.accounts.audit({
      ts: now,
      actor: username,
      action: "account.create",
      detail: { via: "invite", invite: invite.id, role: invite.role, invitedBy: invite.createdBy },
      clientIp: input.clientIp,
    });
    return user;
  }

  /**
   * Removes an admin and their sessions. Never the last full admin (nobody could change anything any
   * more); yourself only with `confirmSelf` (the UI asks first).
   */
  async remove(input: { id: number; by: User; confirmSelf?: boolean; clientIp?: string }, now: number): Promise<void> {
    const target = await this.accounts.byId(input.id);
    if (!target) throw new GatewayError("not_found", "No admin with that id.");
    if (target.id === input.by.id && !input.confirmSelf)
      throw new GatewayError("conflict", "This is your own account: confirm to remove yourself (you are signed out).", {
        param: "confirmSelf",
      });
    const fullAdmins = (await this.accounts.all()).filter((user) => user.role === "admin");
    if (target.role === "admin" && fullAdmins.length === 1)
      throw new GatewayError("conflict", "This is the last admin with the admin role: invite another one first.");
    await this.accounts.remove(target.id);
    await this.accounts.audit({
      ts: now,
      actor: input.by.username,
      action: "admin.remove",
      detail: { username: target.username, role: target.role },
      clientIp: input.clientIp,
    });
  }
}
