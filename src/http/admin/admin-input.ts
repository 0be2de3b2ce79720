/**
 * Reads a route's body or query string with the contract's schema (contract/inputs.ts), typed, or
 * throws the gateway's 400 `invalid_request` naming the first wrong field in `param` (`limits.tiers`),
 * with the schema's `error` message. A body that is not a JSON object reads as `{}`, as it always did:
 * then its required fields are what the 400 names. Elysia's own `body:` option would answer 422 with
 * its own shape and re-parse the body every route reads itself, so the routes call these instead.
 */
import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { GatewayError } from "../../errors.ts";
import { adminRoutes, type Body, type BodyRoute, type Query, type QueryRoute } from "./contract/routes.ts";

export async function bodyOf<K extends BodyRoute>(request: Request, route: K): Promise<Body<K>> {
  const json: unknown = await request.json().catch(() => ({}));
  const body = typeof json === "object" && json !== null && !Array.isArray(json) ? json : {};
  return checked(adminRoutes[route].body, body) as Body<K>;
}

/**
 * The query string: only the parameters the schema names (others were always ignored), an empty value
 * counting as absent, a number read where the schema takes one.
 */
export function queryOf<K extends QueryRoute>(request: Request, route: K): Query<K> {
  const schema = adminRoutes[route].query;
  const properties: Record<string, TSchema | undefined> = schema.properties;
  const values: Record<string, unknown> = {};
  for (const [name, text] of new URL(request.url).searchParams) {
    const property = properties[name];
    if (text === "" || !property) continue;
    const number = Number(text);
    values[name] = text.trim() !== "" && Value.Check(property, number) ? number : text;
  }
  return checked(schema, values) as Query<K>;
}

function checked(schema: TSchema, value: unknown): unknown {
  const [first] = Value.Errors(schema, value);
  if (!first) return value;
  // `/limits/tiers/0` is the field `limits.tiers`.
  const param = first.path
    .split("/")
    .filter((part) => part !== "" && !/^\d+$/.test(part))
    .join(".");
  const message = typeof first.schema.error === "string" ? first.schema.error : `${param}: ${first.message}`;
  throw new GatewayError("invalid_request", message, { param });
}
