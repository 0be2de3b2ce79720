/**
 * What every `/v1` POST does before its endpoint's own work: take the config snapshot the request keeps
 * to its end, check the gateway key (401/429), read the body within `limits.maxBodyBytes` (413), and
 * name the client (address, key id, the key's limits) for the pipeline and the log.
 */
import type { ResolvedConfig } from "../config/types.ts";
import type { Gateway } from "../gateway.ts";
import type { ChatCall } from "../pipeline/pipeline.ts";
import { clientIpOf } from "./client-ip.ts";
import { readBody } from "./read-body.ts";

export async function readV1Call(
  request: Request,
  gateway: Gateway,
): Promise<{ config: ResolvedConfig; call: ChatCall }> {
  const config = gateway.live.get();
  const key = await gateway.authorize(request.headers, config);
  const body = await readBody(request, config.limits.maxBodyBytes);
  const client = { ip: clientIpOf(request), apiKeyId: key.id, limits: key.limits };
  return { config, call: { body, signal: request.signal, client } };
}
