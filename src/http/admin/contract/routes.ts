/**
 * The admin API's contract: every route under /api as `"METHOD /api/path"`, with the schemas of its
 * body and query (inputs.ts; the server validates with them) and the type of its answer (answers.ts).
 * The server's routes are checked against this table (tests/http/admin-contract.test.ts); the UI calls
 * the API by these keys (ui/src/api.ts), so a wrong path, body or answer type fails its type check.
 * The UI imports this module's types only: TypeBox and the server stay out of its bundle.
 */
import type { Static, TSchema } from "@sinclair/typebox";
import type * as A from "./answers.ts";
import * as input from "./inputs.ts";

type Method = "GET" | "POST" | "PUT" | "DELETE";

interface RouteSpec {
  body?: TSchema;
  query?: TSchema;
  /** Type only: its value is undefined. */
  answer: unknown;
}

/** The answer type of a route, carried in the table's type (the value itself is undefined). */
const answer = <T>() => undefined as T;

export const adminRoutes = {
  "GET /api/auth/state": { answer: answer<{ setupRequired: boolean }>() },
  "POST /api/auth/setup": { body: input.SetupBody, answer: answer<A.SignedIn>() },
  "POST /api/auth/login": { body: input.LoginBody, answer: answer<A.SignedIn>() },
  "GET /api/auth/me": { answer: answer<A.Me>() },
  "POST /api/auth/logout": { answer: answer<A.Ok>() },
  "POST /api/auth/password": { body: input.PasswordBody, answer: answer<A.Ok & { otherSessionsRevoked: true }>() },
  "POST /api/auth/username": { body: input.UsernameBody, answer: answer<A.Ok & { username: string }>() },
  "POST /api/auth/totp/enrol": { answer: answer<A.TotpEnrolment>() },
  "POST /api/auth/totp/confirm": { body: input.CodeBody, answer: answer<A.RecoveryCodes>() },
  "POST /api/auth/totp/disable": { body: input.SecondFactorBody, answer: answer<A.Ok>() },
  "POST /api/auth/recovery-codes": { body: input.SecondFactorBody, answer: answer<A.RecoveryCodes>() },
  "GET /api/auth/sessions": { answer: answer<{ sessions: A.OpenSession[] }>() },
  "DELETE /api/auth/sessions/:id": { answer: answer<A.Ok>() },
  "GET /api/settings": { answer: answer<A.AdminSettings>() },
  "PUT /api/settings": { body: input.SettingsBody, answer: answer<A.AdminSettings>() },
  "GET /api/audit": { query: input.AuditQuery, answer: answer<{ entries: A.AuditEntry[] }>() },
  /** CSV or JSON Lines, as a download: the UI links to it. */
  "GET /api/audit/export": { query: input.AuditExportQuery, answer: answer<string>() },
  /** Public: the invitee creates their account with the link's token (then enrols TOTP). */
  "POST /api/auth/invite/accept": { body: input.InviteAcceptBody, answer: answer<A.SignedIn>() },
  "GET /api/admins": { answer: answer<A.AdminTeamView>() },
  "POST /api/admins/invites": { body: input.InviteBody, answer: answer<A.CreatedInvite>() },
  "DELETE /api/admins/invites/:id": { answer: answer<A.Ok>() },
  "DELETE /api/admins/:id": { query: input.AdminRemoveQuery, answer: answer<A.Ok>() },

  "GET /api/keys": { answer: answer<A.KeyList>() },
  "POST /api/keys": { body: input.KeyCreateBody, answer: answer<A.CreatedKey>() },
  "DELETE /api/keys/:id": { answer: answer<A.Ok>() },
  "PUT /api/keys/:id/limits": { body: input.KeyLimitsBody, answer: answer<A.KeyRecord>() },
  "PUT /api/keys/:id/name": { body: input.KeyNameBody, answer: answer<A.KeyRecord>() },
  /** A new secret for the same key (id, limits, history kept); the old secret stops working at once. */
  "POST /api/keys/:id/rotate": { answer: answer<A.CreatedKey>() },
  "GET /api/keys/:id/usage": { query: input.KeyUsageQuery, answer: answer<A.KeyUsage>() },

  "GET /api/logs": { query: input.LogsQuery, answer: answer<A.LogPage>() },
  "GET /api/logs/count": { query: input.LogsCountQuery, answer: answer<A.LogCount>() },
  /** CSV or JSON Lines, as a download: the UI links to it. */
  "GET /api/logs/export": { query: input.LogsExportQuery, answer: answer<string>() },
  /** Server-sent events (`event: request`): the UI opens it with EventSource. */
  "GET /api/logs/tail": { query: input.TailQuery, answer: answer<string>() },
  "GET /api/logs/:id": { answer: answer<A.LogDetail>() },
  "GET /api/stats": { query: input.StatsQuery, answer: answer<A.StatsAnswer>() },
  "GET /api/health": { query: input.HealthQuery, answer: answer<A.HealthAnswer>() },
  "GET /api/cluster": { answer: answer<A.ClusterAnswer>() },
  "POST /api/health/reset": { body: input.HealthResetBody, answer: answer<A.Ok & { health: A.HealthView }>() },
  "POST /api/explain": { body: input.ChatBody, answer: answer<A.Explanation>() },
  "POST /api/playground/send": { body: input.ChatBody, answer: answer<A.PlaygroundSent>() },
  "POST /api/models/test": { body: input.ModelTestBody, answer: answer<A.TestResult>() },

  "GET /api/config": { answer: answer<A.ConfigAnswer>() },
  "POST /api/config/validate": { body: input.ChangeBody, answer: answer<A.ValidateAnswer>() },
  "POST /api/config/apply": { body: input.ChangeBody, answer: answer<A.Applied>() },
  "POST /api/config/secret": { body: input.SecretBody, answer: answer<A.SecretSet>() },
  "POST /api/config/secrets/move": { answer: answer<A.SecretsMoved>() },
  "GET /api/config/secrets": { answer: answer<{ secrets: A.StoredSecret[] }>() },
  "DELETE /api/config/secrets/:name": { answer: answer<A.Ok>() },
  "POST /api/config/providers/test": { body: input.ProviderTestBody, answer: answer<A.ProviderProbe>() },
  "POST /api/config/providers": { body: input.ProviderAddBody, answer: answer<A.ProviderAdded>() },
  "GET /api/config/models": { answer: answer<A.ModelChoices>() },
  "GET /api/config/history": { answer: answer<{ versions: A.HistoryVersion[] }>() },
  "GET /api/config/history/:id": { answer: answer<A.ConfigVersion>() },
  "GET /api/config/diff": { query: input.DiffQuery, answer: answer<{ hunks: A.Hunk[] }>() },
  "POST /api/config/rollback": { body: input.RollbackBody, answer: answer<A.Applied>() },
} satisfies Record<`${Method} /api/${string}`, RouteSpec>;

export type AdminRoutes = typeof adminRoutes;
export type RouteKey = keyof AdminRoutes;
export type Answer<K extends RouteKey> = AdminRoutes[K]["answer"];
export type Body<K extends RouteKey> = AdminRoutes[K] extends { body: infer S extends TSchema } ? Static<S> : undefined;
export type Query<K extends RouteKey> = AdminRoutes[K] extends { query: infer S extends TSchema }
  ? Static<S>
  : undefined;

/** The `:name` segments of a path, as the names of its parameters. */
type ParamNames<P extends string> = P extends `${string}/:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}/:${infer Name}`
    ? Name
    : never;
export type Params<K extends RouteKey> = Record<ParamNames<K>, string | number>;

/** The routes whose key has a `:param`, a body schema or a query schema (what admin-input.ts reads). */
export type BodyRoute = { [K in RouteKey]: AdminRoutes[K] extends { body: TSchema } ? K : never }[RouteKey];
export type QueryRoute = { [K in RouteKey]: AdminRoutes[K] extends { query: TSchema } ? K : never }[RouteKey];
