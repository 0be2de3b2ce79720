/** The admin session a request was authenticated with, set by the admin guard for the route handlers. */
import type { SessionInfo } from "../../auth/admin-auth.ts";

type AdminSession = SessionInfo & { username: string; clientIp?: string };

const sessions = new WeakMap<Request, AdminSession>();

export function attachSession(request: Request, session: SessionInfo, clientIp?: string): void {
  sessions.set(request, { ...session, username: session.user.username, clientIp });
}

/** The request's admin session; only routes behind the guard call this, so it is always there. */
export function sessionOf(request: Request): AdminSession {
  const session = sessions.get(request);
  if (!session) throw new Error("admin route reached without a session: it must be mounted behind the guard");
  return session;
}
