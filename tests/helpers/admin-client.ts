/**
 * A browser-like client of the admin API over real HTTP: keeps its session cookie, sends the CSRF
 * header, and can speak from a chosen loopback address (127.0.0.x), so tests can tell an attacker's
 * address from the owner's: the gateway reads the address from the socket, as in production.
 */
import { request as httpRequest } from "node:http";

export interface AdminAnswer {
  status: number;
  json: Record<string, unknown>;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface CallOptions {
  /** Local address to connect from (any 127.0.0.x works on Linux). */
  from?: string;
  /** Send the CSRF header (default true). */
  csrf?: boolean;
}

export class AdminClient {
  cookie = "";

  constructor(
    private readonly base: string,
    /** Default local address of every call. */
    private readonly from?: string,
  ) {}

  call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<AdminAnswer> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.csrf !== false) headers["x-smartroute-request"] = "1";
    if (this.cookie) headers.cookie = this.cookie;
    if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
    return new Promise((resolve, reject) => {
      const sent = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers,
          localAddress: options.from ?? this.from,
          agent: false,
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("end", () => {
            const setCookie = response.headers["set-cookie"]?.[0];
            if (setCookie) this.cookie = setCookie.split(";")[0].endsWith("=") ? "" : setCookie.split(";")[0];
            let json: Record<string, unknown> = {};
            try {
              json = JSON.parse(text) as Record<string, unknown>;
            } catch {
              // CSV, SSE or an empty body
            }
            resolve({ status: response.statusCode ?? 0, json, text, headers: response.headers });
          });
        },
      );
      sent.on("error", reject);
      sent.end(payload);
    });
  }

  /** Signs in; throws unless the login succeeded. */
  async login(username: string, password: string, code?: string): Promise<void> {
    const answer = await this.call("POST", "/api/auth/login", { username, password, code });
    if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${answer.text}`);
  }
}

/** A /v1 chat request with an optional gateway key; returns the status. */
export async function chatStatus(base: string, key?: string): Promise<number> {
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model: "t1", messages: [{ role: "user", content: "hello" }] }),
  });
  await response.text();
  return response.status;
}
