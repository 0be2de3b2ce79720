/**
 * The admin API client: same-origin fetch with the session cookie and the CSRF header every
 * state-changing request needs; errors come back as ApiError with the server's message and code.
 * Routes are named by the server's contract (`call("GET /api/logs", { query })`): its keys, bodies,
 * queries and answer types are checked by tsc. Only its types are imported, so none of it is bundled.
 */
import type { Answer, Body, Params, Query, RouteKey } from "../../src/http/admin/contract/routes.ts";

export type * from "../../src/http/admin/contract/answers.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
    readonly retryAfterS?: number,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** Called when any request answers 401 (the session ended): the app returns to the login page. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** What a call sends with its route: `params` for a path's `:name`s, its `body`, its `query`, when it has them. */
export type Input<K extends RouteKey> = (keyof Params<K> extends never ? unknown : { params: Params<K> }) &
  (Body<K> extends undefined ? unknown : { body: Body<K> }) &
  (Query<K> extends undefined ? unknown : { query?: Query<K> });

/** The input argument: optional when the route needs none. */
type InputArg<K extends RouteKey> = object extends Input<K> ? [input?: Input<K>] : [input: Input<K>];

interface AnyInput {
  params?: Record<string, string | number>;
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
}

/** The URL of a route (its `:name`s filled in, its query appended), for links and EventSource too. */
export function url<K extends RouteKey>(route: K, ...[input]: InputArg<K>): string {
  const { params = {}, query: values = {} } = (input ?? {}) as AnyInput;
  const path = route
    .slice(route.indexOf(" ") + 1)
    .replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]));
  return path + query(values);
}

/** Calls a route of the contract and returns its answer. */
export async function call<K extends RouteKey>(route: K, ...[input]: InputArg<K>): Promise<Answer<K>> {
  const method = route.slice(0, route.indexOf(" "));
  // State-changing calls always send a JSON object, `{}` when the route takes no body, as before.
  const body = method === "GET" || method === "DELETE" ? undefined : ((input as AnyInput | undefined)?.body ?? {});
  const response = await fetch(url(route, ...([input] as InputArg<K>)), {
    method,
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-smartroute-request": "1" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  if (!response.ok) {
    const error = (json as { error?: { message?: string; code?: string; param?: string } } | undefined)?.error;
    if (response.status === 401 && error?.code === "unauthorized") onUnauthorized();
    const retry = Number(response.headers.get("retry-after"));
    throw new ApiError(
      response.status,
      error?.code ?? String(response.status),
      error?.message ?? `Request failed (${response.status})`,
      error?.param ?? undefined,
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
      json,
    );
  }
  return json as Answer<K>;
}

/** Query string from an object, skipping empty values (for the UI's own links too). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
