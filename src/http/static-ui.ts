/**
 * Serves the built admin UI (ui/dist): files by path, and index.html for every other route (the app
 * routes in the browser). Hashed assets are cached for good; index.html never, so a new build shows.
 */

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

const UI_DIST = new URL("../../ui/dist/", import.meta.url).pathname;

/** Security headers for the admin pages: no framing (clickjacking), no sniffing, same-origin only. */
const SECURITY_HEADERS = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
};

export async function serveUi(pathname: string, dist = UI_DIST): Promise<Response> {
  const index = join(dist, "index.html");
  if (!existsSync(index)) {
    return new Response("The admin UI is not built: run `npm run build:ui` (npm run gateway does it when needed).", {
      status: 503,
      headers: { "content-type": "text/plain" },
    });
  }
  const path = normalize(join(dist, decodeURIComponent(pathname)));
  const inside = path.startsWith(dist.endsWith(sep) ? dist : dist + sep);
  if (inside && extname(path) && existsSync(path)) {
    const body = await readFile(path);
    const immutable = path.includes(`${sep}assets${sep}`);
    return new Response(body, {
      headers: {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
        ...SECURITY_HEADERS,
      },
    });
  }
  if (extname(pathname) && pathname.startsWith("/assets/")) return new Response("not found", { status: 404 });
  return new Response(await readFile(index), {
    headers: { "content-type": TYPES[".html"], "cache-control": "no-cache", ...SECURITY_HEADERS },
  });
}
