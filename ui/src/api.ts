/**
 * The admin API client: same-origin fetch with the session cookie and the CSRF header every
 * state-changing request needs; errors come back as ApiError with the server's message and code.
 */
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

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
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
  return json as T;
}

export const get = <T>(path: string) => api<T>("GET", path);
export const post = <T>(path: string, body?: unknown) => api<T>("POST", path, body ?? {});
export const put = <T>(path: string, body?: unknown) => api<T>("PUT", path, body ?? {});
export const del = <T>(path: string) => api<T>("DELETE", path);

/** Query string from an object, skipping empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
