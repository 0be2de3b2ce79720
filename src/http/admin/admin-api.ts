/**
 * The admin API under /api. One guard in front of every route but the public ones (state, setup,
 * login): a valid session cookie, and for state-changing requests a header only our own page sends
 * (`x-smartroute-request`; a cross-site form cannot set it) and, when the browser sends one, an Origin
 * of this host (CSRF defence on top of the SameSite=Strict cookie). A session that must enrol TOTP
 * (require2fa, or an invited account) reaches only the enrolment routes; a read-only ("viewer") session
 * changes nothing but its own account (role-guard.ts), whatever the route.
 */
import { Elysia } from "elysia";
import type { AccountSecurity } from "../../auth/account-security.ts";
import type { AdminAuth } from "../../auth/admin-auth.ts";
import { AdminTeam } from "../../auth/admin-team.ts";
import { readSessionCookie } from "../../auth/sessions.ts";
import type { SettingOverride } from "../../config/process-settings.ts";
import type { SecretStore } from "../../config-editor/secret-store.ts";
import { GatewayError } from "../../errors.ts";
import type { Gateway } from "../../gateway.ts";
import type { Role } from "../../store/accounts.ts";
import { clientIpOf } from "../client-ip.ts";
import { ELYSIA_OPTIONS } from "../elysia-options.ts";
import { routeErrors } from "../route-errors.ts";
import { accountRoutes, publicAuthRoutes } from "./auth-routes.ts";
import { configRoutes } from "./config-routes.ts";
import type { RouteKey } from "./contract/routes.ts";
import { keyRoutes } from "./key-routes.ts";
import { observeRoutes } from "./observe-routes.ts";
import { playgroundRoutes } from "./playground-routes.ts";
import { roleRefusal } from "./role-guard.ts";
import { attachSession } from "./session-context.ts";
import { teamRoutes } from "./team-routes.ts";

const CSRF_HEADER = "x-smartroute-request";
// Contract keys (a misspelt route fails the type check), compared with the request's "METHOD /path".
const PUBLIC = new Set<string>([
  "GET /api/auth/state",
  "POST /api/auth/setup",
  "POST /api/auth/login",
  "POST /api/auth/invite/accept",
] satisfies RouteKey[]);
const ENROLMENT = new Set<string>([
  "GET /api/auth/me",
  "POST /api/auth/logout",
  "POST /api/auth/totp/enrol",
  "POST /api/auth/totp/confirm",
] satisfies RouteKey[]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Maps anything thrown by an admin route to its JSON error (OpenAI's shape, as on /v1), never cached. */
function adminErrors(log: Gateway["log"]) {
  return routeErrors({
    log,
    what: "admin route failed",
    notFound: "Unknown admin route.",
    unreadable: "The request body could not be read as JSON.",
    headers: { "cache-control": "no-store" },
  });
}

/** Rejects a state-changing request that did not come from our own page. */
function checkCsrf(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (request.headers.get(CSRF_HEADER) !== "1")
    throw new GatewayError("csrf_rejected", `State-changing admin requests need the header ${CSRF_HEADER}: 1.`);
  const origin = request.headers.get("origin");
  // "null" is what a sandboxed frame, a file: page or a cross-site redirect sends: never our own page.
  if (origin !== null && originHost(origin) !== new URL(request.url).host)
    throw new GatewayError("csrf_rejected", "Cross-origin admin requests are refused.");
}

/** The host of an Origin header, or undefined for `null` and for text that is not an origin. */
function originHost(origin: string): string | undefined {
  if (origin === "null" || !URL.canParse(origin)) return undefined;
  return new URL(origin).host;
}

export interface AdminApiParts {
  gateway: Gateway;
  auth: AdminAuth;
  security: AccountSecurity;
  /** The data dir's secret store, for secrets typed in the UI. */
  secrets?: SecretStore;
  /** Config settings the environment or a flag overrides (the config page says so). */
  overrides?: SettingOverride[];
}

/**
 * The routes in two apps: the public ones, and the rest that only the guard lets through. Apart from
 * adminApi, for the test that matches them with the contract (contract/routes.ts).
 */
export function adminApps(parts: AdminApiParts) {
  const { gateway, auth, security } = parts;
  const onError = adminErrors(gateway.log);
  // The gateway's clock (tests inject one): login throttling, sessions and re-checks agree on the time.
  const now = () => Math.floor(gateway.pipeline.deps.clock.now());
  const team = new AdminTeam(auth);
  const publicApp = new Elysia({ ...ELYSIA_OPTIONS, prefix: "/api" })
    .onError(onError)
    .use(publicAuthRoutes(auth, now, team));
  const privateApp = new Elysia({ ...ELYSIA_OPTIONS, prefix: "/api" })
    .onError(onError)
    .use(accountRoutes(auth, security, now))
    .use(teamRoutes(team, now))
    .use(keyRoutes(gateway, auth.accounts))
    .use(observeRoutes(gateway))
    .use(playgroundRoutes(gateway))
    .use(
      configRoutes({
        gateway,
        accounts: auth.accounts,
        security,
        now,
        secrets: parts.secrets,
        overrides: parts.overrides,
      }),
    );
  return { publicApp, privateApp, onError, now };
}

export function adminApi(parts: AdminApiParts): (request: Request) => Promise<Response> {
  const { auth } = parts;
  const { publicApp, privateApp, onError, now } = adminApps(parts);

  return async (request) => {
    try {
      const route = `${request.method} ${new URL(request.url).pathname.replace(/\/+$/, "")}`;
      checkCsrf(request);
      if (PUBLIC.has(route)) return await publicApp.handle(request);
      const session = await auth.session(readSessionCookie(request.headers), now());
      if (!session) throw new GatewayError("unauthorized", "Sign in first: no valid admin session.");
      if (session.mustEnrol && !ENROLMENT.has(route))
        throw new GatewayError(
          "forbidden",
          "Two-factor authentication is required here: enrol it first (POST /api/auth/totp/enrol).",
        );
      const refused = roleRefusal(session.user.role as Role, request.method, route);
      if (refused) throw refused;
      attachSession(request, session, clientIpOf(request));
      return await privateApp.handle(request);
    } catch (error) {
      return onError({ code: "", error });
    }
  };
}
