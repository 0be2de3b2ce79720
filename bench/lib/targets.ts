/**
 * The systems a scenario compares, addressed so each gets the same upstream work: the gateway is asked
 * for a tier, the mock (directly or through the bare proxy) for the model string that tier sends it.
 */
import { mockReply } from "../mock-upstream/wire.ts";
import { BENCH_API_KEY, chatBody, SHAPES, tokensOf } from "./models.ts";
import type { Server } from "./servers.ts";

export type Shape = "plain" | "stream" | "first" | "slow" | "firstNow" | "long";

/** Model strings of the bench config's tiers as the mock receives them. */
const UPSTREAM_MODEL: Record<Shape, string> = {
  plain: "m1",
  stream: `s200?${SHAPES.stream}`,
  first: `first?${SHAPES.first}`,
  slow: `slow?${SHAPES.slow}`,
  firstNow: `firstnow?${SHAPES.firstNow}`,
  long: `long?${SHAPES.long}`,
};

/** Plain traffic asks for "auto", so it pays for classification (keyword, then complexity) like users' does. */
const GATEWAY_TIER: Record<Shape, string> = {
  plain: "auto",
  stream: "stream200",
  first: "first",
  slow: "slow",
  firstNow: "firstnow",
  long: "long",
};

export interface Target {
  name: string;
  server: Server;
  url: string;
  headers: Record<string, string>;
  model(shape: Shape): string;
}

const JSON_HEADERS = { "content-type": "application/json" };

export function upstreamTarget(name: string, server: Server): Target {
  return { name, server, url: server.chatUrl, headers: JSON_HEADERS, model: (shape) => UPSTREAM_MODEL[shape] };
}

export function gatewayTarget(server: Server, name = "gateway"): Target {
  return {
    name,
    server,
    url: server.chatUrl,
    headers: { ...JSON_HEADERS, authorization: `Bearer ${BENCH_API_KEY}` },
    model: (shape) => GATEWAY_TIER[shape],
  };
}

/** A streamed request of `shape` to `target` for bench/load.ts, expecting the mock's full answer. */
export function streamKind(target: Target, shape: Exclude<Shape, "plain">) {
  return {
    name: shape,
    body: chatBody(target.model(shape), true),
    stream: true,
    expectText: mockReply(tokensOf(SHAPES[shape])),
  };
}
