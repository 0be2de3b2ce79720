/**
 * The HTTP shell (the only place that imports Elysia): routes, and the one mapping of every error to
 * OpenAI's error shape with an honest status.
 */
import { Elysia } from "elysia";
import { GatewayError } from "../errors.ts";
import { countMessageTokens } from "../front-doors/messages/count-tokens.ts";
import { messagesDoor } from "../front-doors/messages/index.ts";
import { responsesDoor } from "../front-doors/responses/index.ts";
import { serveDoor, serveLocally } from "../front-doors/serve-door.ts";
import type { Gateway } from "../gateway.ts";
import { ELYSIA_OPTIONS } from "./elysia-options.ts";
import { listModels } from "./models.ts";
import { routeErrors } from "./route-errors.ts";
import { serveUi } from "./static-ui.ts";
import { readV1Call } from "./v1-call.ts";

/** Any error thrown outside the pipeline (routing, parsing, a bug) as an OpenAI-shaped response. */
function appErrors(log: Gateway["log"]) {
  return routeErrors({
    log,
    what: "unhandled HTTP error",
    notFound:
      "Unknown route. The OpenAI-compatible API is under /v1 (POST /v1/chat/completions, POST /v1/responses, POST /v1/messages, GET /v1/models).",
    unreadable: "The request could not be parsed.",
  });
}

/**
 * Refuses a path whose percent escapes do not decode (`GET /%`): the client's error, a 400 with nothing
 * in the log (the UI's file lookup decodes the path, and used to fail with a 500 and a stack trace).
 */
function checkPathEscapes(pathname: string): string {
  try {
    decodeURIComponent(pathname);
  } catch {
    throw new GatewayError("invalid_request", "The request path has a malformed percent escape.");
  }
  return pathname;
}

/** POST /v1/chat/completions: the route nearly all traffic takes. */
async function chatCompletions(request: Request, gateway: Gateway): Promise<Response> {
  const { config, call } = await readV1Call(request, gateway, "chat");
  return gateway.pipeline.handle(call, config);
}

/** The server's handler: every request through the Elysia app. */
export function createHandler(gateway: Gateway, admin?: (request: Request) => Promise<Response>) {
  const app = createApp(gateway, admin);
  return (request: Request): Promise<Response> => app.handle(request);
}

/** The HTTP app: /v1, /metrics, /healthz, and the admin API under /api when there is one (a data dir). */
export function createApp(gateway: Gateway, admin?: (request: Request) => Promise<Response>) {
  return (
    new Elysia(ELYSIA_OPTIONS)
      .onError(appErrors(gateway.log))
      .get("/healthz", () => ({ status: "ok", configVersion: gateway.live.version }))
      .get(
        "/metrics",
        () =>
          new Response(gateway.metrics.render(), {
            headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
          }),
      )
      .post("/v1/chat/completions", ({ request }) => chatCompletions(request, gateway), { parse: "none" })
      .post(
        "/v1/embeddings",
        async ({ request }) => {
          const { config, call } = await readV1Call(request, gateway, "embeddings");
          return gateway.pipeline.handleEmbeddings(call, config);
        },
        { parse: "none" },
      )
      // Front doors: other APIs' clients, translated at the edge onto the same pipeline (src/front-doors).
      .post("/v1/messages", ({ request }) => serveDoor(messagesDoor, request, gateway), { parse: "none" })
      .post(
        "/v1/messages/count_tokens",
        ({ request }) =>
          serveLocally(messagesDoor, request, gateway, async (body, config) => {
            const { input_tokens, counter } = await countMessageTokens(body, config);
            return { body: { input_tokens }, headers: { "x-gateway-token-counter": counter } };
          }),
        { parse: "none" },
      )
      .post("/v1/responses", ({ request }) => serveDoor(responsesDoor, request, gateway), { parse: "none" })
      // Codex tries a WebSocket first and falls back to HTTP at once only on a 426; anything else makes it
      // retry the socket. No `Upgrade` header: the protocol wanted is plain HTTP POST, not an upgrade.
      .get("/v1/responses", () =>
        Response.json(
          {
            error: {
              message: "WebSocket is not supported here: send the request as POST /v1/responses over HTTP.",
              type: "invalid_request_error",
              code: "upgrade_required",
              param: null,
            },
          },
          { status: 426 },
        ),
      )
      .get("/v1/models", async ({ request }) => {
        const config = gateway.live.get();
        gateway.identify(request.headers, config);
        return listModels(config, gateway.clock.now());
      })
      .all("/v1/*", () => {
        throw new GatewayError(
          "not_found",
          "Unknown route. This gateway serves POST /v1/chat/completions, POST /v1/responses, POST /v1/messages (and /v1/messages/count_tokens), POST /v1/embeddings and GET /v1/models.",
        );
      })
      // The admin API, and everything else is the admin UI (a single-page app).
      .all("/*", ({ request }) => {
        const { pathname } = new URL(request.url);
        if (pathname === "/api" || pathname.startsWith("/api/")) {
          if (!admin) throw new GatewayError("not_found", "The admin API needs a data directory (GATEWAY_DATA_DIR).");
          return admin(request);
        }
        if (request.method !== "GET" && request.method !== "HEAD")
          throw new GatewayError("not_found", "Unknown route.");
        return serveUi(checkPathEscapes(pathname));
      })
  );
}
