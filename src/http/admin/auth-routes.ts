/**
 * Admin routes about accounts: login (a contract, DESIGN §7), setup, logout, me, password, username,
 * TOTP enrol / confirm / disable, recovery codes, admin settings and the audit log.
 */
import { Elysia } from "elysia";
import type { AccountSecurity } from "../../auth/account-security.ts";
import type { AdminAuth, SessionInfo } from "../../auth/admin-auth.ts";
import type { AdminTeam } from "../../auth/admin-team.ts";
import { clearSessionCookie, sessionCookie } from "../../auth/sessions.ts";
import { GatewayError } from "../../errors.ts";
import type { User } from "../../store/accounts.ts";
import { clientIpOf } from "../client-ip.ts";
import { bodyOf, queryOf } from "./admin-input.ts";
import { auditExport } from "./audit-export.ts";
import type { Me } from "./contract/answers.ts";
import type { Answer } from "./contract/routes.ts";
import { timeParam } from "./query-params.ts";
import { sessionOf } from "./session-context.ts";

/** The most entries one export holds: the audit log of years of daily use, still one small file. */
const AUDIT_EXPORT_MAX = 100_000;

const auditTimes = (query: { from?: number | string; to?: number | string }) => ({
  from: timeParam(query, "from"),
  to: timeParam(query, "to"),
});

const NO_STORE = { "cache-control": "no-store", "content-type": "application/json" };

/** The admin API's clock: the gateway's (injected in tests), in whole milliseconds. */
type Now = () => number;

/** A JSON answer that also sets the session cookie. */
function withSession(
  request: Request,
  session: { token: string; expiresAt: number; now: number },
  body: object,
): Response {
  const secure = new URL(request.url).protocol === "https:";
  const cookie = sessionCookie(session.token, {
    maxAgeS: Math.max(1, Math.floor((session.expiresAt - session.now) / 1000)),
    secure,
  });
  return new Response(JSON.stringify(body), { headers: { ...NO_STORE, "set-cookie": cookie } });
}

function me(session: SessionInfo): Me {
  const { user } = session;
  return {
    username: user.username,
    role: user.role === "viewer" ? "viewer" : "admin",
    totpEnabled: user.totpEnabled,
    mustEnrol: session.mustEnrol,
    sessionExpiresAt: session.expiresAt,
    createdAt: user.createdAt,
  };
}

/** Routes anyone may call: state (for the UI), setup (with the one-time token), login, accepting an invite. */
export function publicAuthRoutes(auth: AdminAuth, now: Now, team: AdminTeam) {
  /** Opens a session for an account just created, answered as a sign-in. */
  const signInNew = async (request: Request, user: User, at: number) => {
    const { token, session } = await auth.openSession(
      user,
      at,
      clientIpOf(request),
      request.headers.get("user-agent") ?? undefined,
    );
    return withSession(request, { token, expiresAt: session.expiresAt, now: at }, { ok: true, user: me(session) });
  };
  return new Elysia()
    .get("/auth/state", async () => ({ setupRequired: await auth.setupRequired() }))
    .post("/auth/setup", async ({ request }) => {
      const body = await bodyOf(request, "POST /api/auth/setup");
      const at = now();
      const user = await auth.setup(
        {
          token: body.token ?? "",
          username: body.username ?? "",
          password: body.password ?? "",
          clientIp: clientIpOf(request),
        },
        at,
      );
      return signInNew(request, user, at);
    })
    .post("/auth/invite/accept", async ({ request }) => {
      const body = await bodyOf(request, "POST /api/auth/invite/accept");
      const at = now();
      const user = await team.accept(
        {
          token: body.token ?? "",
          username: body.username ?? "",
          password: body.password ?? "",
          clientIp: clientIpOf(request),
        },
        at,
      );
      return signInNew(request, user, at);
    })
    .post("/auth/login", async ({ request }) => {
      const body = await bodyOf(request, "POST /api/auth/login");
      const at = now();
      const { token, session } = await auth.login(
        {
          username: body.username ?? "",
          password: body.password ?? "",
          code: body.code || undefined,
          clientIp: clientIpOf(request),
          userAgent: request.headers.get("user-agent") ?? undefined,
        },
        at,
      );
      return withSession(request, { token, expiresAt: session.expiresAt, now: at }, { ok: true, user: me(session) });
    });
}

/** Routes for the signed-in admin (the guard attached the session). */
export function accountRoutes(auth: AdminAuth, security: AccountSecurity, now: Now) {
  const ip = clientIpOf;
  const session = sessionOf;
  return new Elysia()
    .get("/auth/me", ({ request }) => me(session(request)))
    .post("/auth/logout", async ({ request }) => {
      const s = session(request);
      await auth.logout(s.sessionId, now());
      await auth.accounts.audit({ ts: now(), actor: s.user.username, action: "logout", clientIp: ip(request) });
      return new Response(JSON.stringify({ ok: true }), {
        headers: {
          ...NO_STORE,
          "set-cookie": clearSessionCookie({ secure: new URL(request.url).protocol === "https:" }),
        },
      });
    })
    .post("/auth/password", async ({ request }) => {
      const body = await bodyOf(request, "POST /api/auth/password");
      await security.changePassword(session(request), { current: body.current, next: body.next }, now(), ip(request));
      return { ok: true, otherSessionsRevoked: true };
    })
    .post("/auth/username", async ({ request }) => {
      const body = await bodyOf(request, "POST /api/auth/username");
      return {
        ok: true,
        username: await security.rename(
          session(request),
          { username: body.username, password: body.password },
          now(),
          ip(request),
        ),
      };
    })
    .post(
      "/auth/totp/enrol",
      async ({ request }) =>
        new Response(JSON.stringify(await security.enrolTotp(session(request), now(), ip(request))), {
          headers: NO_STORE,
        }),
    )
    .post("/auth/totp/confirm", async ({ request }) => {
      const body = await bodyOf(request, "POST /api/auth/totp/confirm");
      return new Response(
        JSON.stringify(await security.confirmTotp(session(request), { code: body.code }, now(), ip(request))),
        { headers: NO_STORE },
      );
    })
    .post("/auth/totp/disable", async ({ request }) => {
      const body = await bodyOf(request, "POST /api/auth/totp/disable");
      await security.disableTotp(session(request), { password: body.password, code: body.code }, now(), ip(request));
      return { ok: true };
    })
    .post("/auth/recovery-codes", async ({ request }) => {
      const body = await bodyOf(request, "POST /api/auth/recovery-codes");
      return new Response(
        JSON.stringify(
          await security.regenerateRecoveryCodes(
            session(request),
            { password: body.password, code: body.code },
            now(),
            ip(request),
          ),
        ),
        { headers: NO_STORE },
      );
    })
    .get("/auth/sessions", async ({ request }): Promise<Answer<"GET /api/auth/sessions">> => {
      const s = session(request);
      return {
        sessions: (await auth.accounts.openSessionsOf(s.user.id, now())).map((row) => ({
          // The id is a credential's handle: only its first characters are shown, enough to revoke it.
          id: row.id.slice(0, 8),
          current: row.id === s.sessionId,
          createdAt: row.createdAt,
          expiresAt: row.expiresAt,
          clientIp: row.clientIp,
          userAgent: row.userAgent,
        })),
      };
    })
    .delete("/auth/sessions/:id", async ({ params, request }) => {
      const s = session(request);
      const target = (await auth.accounts.openSessionsOf(s.user.id, now())).find(
        (row) => row.id.startsWith(params.id) && params.id.length >= 8,
      );
      if (!target) throw new GatewayError("not_found", "No open session with that id.");
      await auth.logout(target.id, now());
      await auth.accounts.audit({
        ts: now(),
        actor: s.user.username,
        action: "session.revoke",
        detail: { current: target.id === s.sessionId },
        clientIp: ip(request),
      });
      return { ok: true };
    })
    .get("/settings", () => auth.settings())
    .put("/settings", async ({ request }) => {
      const s = session(request);
      const body = await bodyOf(request, "PUT /api/settings");
      if (body.require2fa && !s.user.totpEnabled)
        throw new GatewayError(
          "conflict",
          "Turn on two-factor authentication for yourself before requiring it of every admin.",
        );
      const current = await auth.settings();
      // Field by field: a body may carry other fields, which the schema lets through.
      const next: Answer<"PUT /api/settings"> = {
        require2fa: body.require2fa ?? current.require2fa,
        sessionTtlMs: body.sessionTtlMs ?? current.sessionTtlMs,
      };
      await auth.accounts.setSetting("admin", next, now());
      await auth.accounts.audit({
        ts: now(),
        actor: s.user.username,
        action: "settings.update",
        detail: { ...next },
        clientIp: ip(request),
      });
      return next;
    })
    .get("/audit", async ({ request }): Promise<Answer<"GET /api/audit">> => {
      const query = queryOf(request, "GET /api/audit");
      return { entries: await auth.accounts.auditTrail({ ...query, ...auditTimes(query) }) };
    })
    .get("/audit/export", async ({ request }) => {
      const query = queryOf(request, "GET /api/audit/export");
      const format = query.format ?? "csv";
      const entries = await auth.accounts.auditTrail(
        { ...query, ...auditTimes(query), limit: AUDIT_EXPORT_MAX },
        AUDIT_EXPORT_MAX,
      );
      const stamp = new Date(now()).toISOString().replace(/[:.]/g, "-");
      return new Response(auditExport(entries, format), {
        headers: {
          "cache-control": "no-store",
          "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson",
          "content-disposition": `attachment; filename="smartroute-audit-${stamp}.${format}"`,
        },
      });
    });
}
