/**
 * Admin routes about the team of admins: list them and the pending invites, invite one (the link's
 * token is in the answer once), withdraw an invite, remove an admin. Accepting an invite is public
 * (auth-routes.ts); only admins with the "admin" role get here with a change (the guard, admin-api.ts).
 */
import { Elysia } from "elysia";
import type { AdminTeam } from "../../auth/admin-team.ts";
import { GatewayError } from "../../errors.ts";
import { bodyOf, queryOf } from "./admin-input.ts";
import type { Answer } from "./contract/routes.ts";
import { sessionOf } from "./session-context.ts";

export function teamRoutes(team: AdminTeam, now: () => number) {
  return new Elysia()
    .get("/admins", (): Promise<Answer<"GET /api/admins">> => team.list(now()))
    .post("/admins/invites", async ({ request, set }): Promise<Answer<"POST /api/admins/invites">> => {
      const session = sessionOf(request);
      const { role } = await bodyOf(request, "POST /api/admins/invites");
      const created = await team.invite({ role, by: session.username, clientIp: session.clientIp }, now());
      set.status = 201;
      set.headers["cache-control"] = "no-store";
      return { ...created, note: "Send this link to the new admin now: it is not shown again, and works once." };
    })
    .delete("/admins/invites/:id", async ({ params, request }) => {
      const session = sessionOf(request);
      await team.revokeInvite(params.id, session.username, now(), session.clientIp);
      return { ok: true };
    })
    .delete("/admins/:id", async ({ params, request }) => {
      const session = sessionOf(request);
      const id = Number(params.id);
      if (!Number.isInteger(id)) throw new GatewayError("not_found", "No admin with that id.");
      const { confirmSelf } = queryOf(request, "DELETE /api/admins/:id");
      await team.remove(
        { id, by: session.user, confirmSelf: confirmSelf === "true", clientIp: session.clientIp },
        now(),
      );
      return { ok: true };
    });
}
