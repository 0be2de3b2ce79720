/**
 * Invites and the team of admins, on both account stores (in-memory SQLite, and the real PostgreSQL of
 * cluster mode) with the clock passed in: a link works once and until it expires, the invitee must
 * enrol TOTP, and the last admin cannot be removed.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { AdminAuth } from "../../src/auth/admin-auth.ts";
import { AdminTeam, INVITE_TTL_MS } from "../../src/auth/admin-team.ts";
import { SessionSigner } from "../../src/auth/sessions.ts";
import { GatewayError } from "../../src/errors.ts";
import { accountBackends, type OpenAccountStores } from "../helpers/account-stores.ts";

const T0 = Date.UTC(2026, 0, 1);
const STRONG = "velvet orbit lantern 42";

for (const backend of accountBackends)
  describe.skipIf(backend.skip)(`on ${backend.name}`, () => {
    let auth: AdminAuth;
    let team: AdminTeam;
    let stores: OpenAccountStores;

    beforeEach(async () => {
      stores = await backend.open();
      auth = new AdminAuth(stores.accounts, new SessionSigner(new Uint8Array(32).fill(3)));
      await auth.accounts.create("owner", "unused-hash", T0);
      team = new AdminTeam(auth);
    });
    afterEach(() => stores.close());

    /** The GatewayError a promise or call rejects with. */
    async function refusal(run: () => unknown): Promise<GatewayError> {
      try {
        await run();
      } catch (error) {
        if (error instanceof GatewayError) return error;
        throw error;
      }
      throw new Error("expected a refusal");
    }

    describe("invite links", () => {
      test("a link makes one account with its role, which must enrol TOTP; the token is never stored", async () => {
        const { token, invite } = await team.invite({ role: "viewer", by: "owner" }, T0);
        expect(JSON.stringify(await auth.accounts.pendingInvites(T0))).not.toContain(token);
        const user = await team.accept({ token, username: "Reader", password: STRONG }, T0 + 1000);
        expect(user).toMatchObject({ username: "reader", role: "viewer", totpRequired: true, totpEnabled: false });
        const { session } = await auth.openSession(user, T0 + 1000);
        expect(session.mustEnrol).toBe(true);
        expect((await team.list(T0 + 1000)).invites.map((i) => i.id)).not.toContain(invite.id);

        const again = await refusal(() => team.accept({ token, username: "reader2", password: STRONG }, T0 + 2000));
        expect(again.code).toBe("forbidden");
        expect(again.message).toMatch(/invalid, used or expired/);
        expect(await auth.accounts.byName("reader2")).toBeUndefined();
      });

      test("a link stops working when it expires (at the injected time, not the wall clock)", async () => {
        const { token } = await team.invite({ role: "admin", by: "owner" }, T0);
        const late = await refusal(() =>
          team.accept({ token, username: "late", password: STRONG }, T0 + INVITE_TTL_MS),
        );
        expect(late.code).toBe("forbidden");
        const justInTime = await team.accept({ token, username: "ontime", password: STRONG }, T0 + INVITE_TTL_MS - 1);
        expect(justInTime.role).toBe("admin");
      });

      test("a weak password or a bad username is refused before the link is used up", async () => {
        const { token } = await team.invite({ role: "viewer", by: "owner" }, T0);
        const weak = await refusal(() => team.accept({ token, username: "reader", password: "password123" }, T0));
        expect(weak).toMatchObject({ code: "invalid_request", param: "password" });
        expect(weak.message).toMatch(/too easy to guess/);
        expect(await refusal(() => team.accept({ token, username: "x", password: STRONG }, T0))).toMatchObject({
          param: "username",
        });
        expect((await team.accept({ token, username: "reader", password: STRONG }, T0)).username).toBe("reader");
      });

      test("a withdrawn invite does not work, and a taken username is refused", async () => {
        const first = await team.invite({ role: "viewer", by: "owner" }, T0);
        await team.revokeInvite(first.invite.id, "owner", T0);
        expect(
          (await refusal(() => team.accept({ token: first.token, username: "a1", password: STRONG }, T0))).code,
        ).toBe("forbidden");
        const second = await team.invite({ role: "viewer", by: "owner" }, T0);
        expect(
          (await refusal(() => team.accept({ token: second.token, username: "owner", password: STRONG }, T0))).code,
        ).toBe("conflict");
      });
    });

    describe("removing admins", () => {
      test("never the last admin with the admin role; yourself only when confirmed", async () => {
        const owner = (await auth.accounts.byName("owner"))!;
        const viewer = await auth.accounts.create("viewer", "unused-hash", T0, { role: "viewer" });
        const last = await refusal(() => team.remove({ id: owner.id, by: owner, confirmSelf: true }, T0));
        expect(last.message).toMatch(/last admin/);

        const second = await auth.accounts.create("second", "unused-hash", T0, { role: "admin" });
        const unconfirmed = await refusal(() => team.remove({ id: owner.id, by: owner }, T0));
        expect(unconfirmed).toMatchObject({ code: "conflict", param: "confirmSelf" });
        await team.remove({ id: viewer.id, by: owner }, T0);
        await team.remove({ id: owner.id, by: owner, confirmSelf: true }, T0);
        expect((await auth.accounts.all()).map((u) => u.username)).toEqual(["second"]);
        expect((await auth.accounts.auditTrail({ action: "admin.remove" })).map((e) => e.detail)).toEqual([
          { username: "owner", role: "admin" },
          { username: "viewer", role: "viewer" },
        ]);
        expect(second.role).toBe("admin");
      });
    });
  });
