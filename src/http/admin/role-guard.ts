/**
 * The read-only role, enforced in one place: the admin API's guard asks `refusal` before any route
 * runs, so a route added later is covered without a line of its own. A "viewer" may read every route
 * and change only its own account (sign out, its password, its TOTP and recovery codes, its sessions):
 * every other state-changing request is refused with 403, saying why. The lists below are the exceptions,
 * named by contract key; anything not on them is refused, so a new route is refused until listed.
 */

import { GatewayError } from "../../errors.ts";
import type { Role } from "../../store/accounts.ts";
import type { RouteKey } from "./contract/routes.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The changes a viewer may make: to its own account only. Contract keys, so a misspelt one fails the type check. */
export const OWN_ACCOUNT_CHANGES = [
  "POST /api/auth/logout",
  "POST /api/auth/password",
  "POST /api/auth/username",
  "POST /api/auth/totp/enrol",
  "POST /api/auth/totp/confirm",
  "POST /api/auth/totp/disable",
  "POST /api/auth/recovery-codes",
  "DELETE /api/auth/sessions/:id",
] as const satisfies readonly RouteKey[];

/**
 * POSTs that change nothing: the playground's explain classifies a request and lists its candidates,
 * without calling upstream. (Config validation is not one: loading a candidate runs its code.)
 */
export const READS_BY_POST = ["POST /api/explain"] as const satisfies readonly RouteKey[];

/** `POST /api/auth/sessions/:id` as a pattern matching `POST /api/auth/sessions/ab12cd34`. */
const asPattern = (key: string) => new RegExp(`^${key.replace(/:[a-zA-Z]+/g, "[^/]+")}$`);
const ALLOWED_PATTERNS = [...OWN_ACCOUNT_CHANGES, ...READS_BY_POST].map(asPattern);

/** The 403 for a request this role may not make, or undefined when it may (`route`: "METHOD /api/path"). */
export function roleRefusal(role: Role, method: string, route: string): GatewayError | undefined {
  if (role === "admin" || SAFE_METHODS.has(method)) return undefined;
  if (ALLOWED_PATTERNS.some((pattern) => pattern.test(route))) return undefined;
  return new GatewayError(
    "forbidden",
    "Your admin role is read-only: you can see everything but change nothing. Ask an admin to make this change.",
    { param: "role" },
  );
}
