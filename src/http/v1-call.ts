/**
 * What every `/v1` POST does before its endpoint's own work: take the config snapshot the request keeps
 * to its end, check the gateway key (401/429), read the body within `limits.maxBodyBytes` (413), and
 * name the client (address, key id, the key's limits) for the pipeline and the log. A refusal here is
 * logged (`Gateway.refuse`) as one of `door`'s requests, cheaply: the body is not read for a bad key or
 * a key's rate limit, and never kept for either.
 */
import type { ResolvedConfig } from "../config/types.ts";
import { GatewayError } from "../errors.ts";
import type { Gateway } from "../gateway.ts";
import type { ChatCall } from "../pipeline/pipeline.ts";
import type { LogDoor } from "../pipeline/refusal.ts";
import { clientIpOf } from "./client-ip.ts";
import { readBody } from "./read-body.ts";
import type { Connection } from "./request-guard.ts";

export interface V1Call {
  config: ResolvedConfig;
  call: ChatCall;
  /** Logs a refusal of this request found after the key and the body (a door's bad input); returns the error to answer with. */
  refuse(error: unknown): unknown;
}

/** `door`: the API whose requests these are in the log; none for requests that are not logged (count_tokens). */
export async function readV1Call(request: Request, gateway: Gateway, door?: LogDoor): Promise<V1Call> {
  const config = gateway.live.get();
  const startedAt = gateway.clock.now();
  const ip = clientIpOf(request);
  const refuse = (error: unknown, apiKeyId?: string, body?: string) =>
    door ? gateway.refuse(error, { startedAt, door, client: { ip, apiKeyId }, body }, config) : error;
  let key: Awaited<ReturnType<Gateway["authorize"]>>;
  try {
    key = await gateway.authorize(request.headers, config);
  } catch (error) {
    throw refuse(error, verifiedKey(error, request, gateway, config));
  }
  let body: string;
  try {
    body = await readBody(request, config.limits.maxBodyBytes);
  } catch (error) {
    throw refuse(error, key.id);
  }
  const client = { ip, apiKeyId: key.id, limits: key.limits };
  return { config, call: { body, signal: request.signal, client }, refuse: (error) => refuse(error, key.id, body) };
}

/**
 * The key of a request refused after its key was verified (its rate limit, or Redis down for shared
 * limits): the row is the key's. A bad key (401) has none.
 */
function verifiedKey(error: unknown, request: Request, gateway: Gateway, config: ResolvedConfig): string | undefined {
  if (!(error instanceof GatewayError) || error.code === "invalid_api_key") return undefined;
  try {
    return gateway.identify(request.headers, config).id;
  } catch {
    return undefined;
  }
}

/** The log's door for a /v1 path a POST is logged under; none for the others. */
export function doorOfPath(pathname: string): LogDoor | undefined {
  switch (pathname) {
    case "/v1/chat/completions":
      return "chat";
    case "/v1/messages":
      return "messages";
    case "/v1/responses":
      return "responses";
    case "/v1/embeddings":
      return "embeddings";
    default:
      return undefined;
  }
}

/**
 * The request guard's hook (admission caps, body size and time): a refused /v1 POST is logged like
 * the others, without its body. Returns the error to answer with.
 */
export function edgeRefusals(gateway: Gateway) {
  return (request: Request, connection: Pick<Connection, "ip">, error: GatewayError): GatewayError => {
    const door = request.method === "POST" ? doorOfPath(new URL(request.url).pathname) : undefined;
    if (!door) return error;
    const at = { startedAt: gateway.clock.now(), door, client: { ip: connection.ip } };
    return gateway.refuse(error, at, gateway.live.get()) as GatewayError;
  };
}
