/** Admin routes for gateway API keys: list, create (the key is shown once), revoke. Every change is audited. */
import { Elysia } from "elysia";
import { GatewayError } from "../../errors.ts";
import type { Gateway } from "../../gateway.ts";
import type { Accounts } from "../../store/accounts.ts";
import type { KeyLimits } from "../../store/api-key-store.ts";
import { bodyOf } from "./admin-input.ts";
import type { Answer, Body } from "./contract/routes.ts";
import { sessionOf } from "./session-context.ts";

const bad = (param: string, message: string) => new GatewayError("invalid_request", message, { param });

/** The checks of a key creation the schema cannot make (a future time, a known tier), and its normal form. */
function keyInput(
  body: Body<"POST /api/keys">,
  gateway: Gateway,
): { name: string; expiresAt: number | null; limits: KeyLimits } {
  let expiresAt: number | null = null;
  if (body.expiresAt !== undefined && body.expiresAt !== null) {
    expiresAt = typeof body.expiresAt === "number" ? body.expiresAt : Date.parse(body.expiresAt);
    if (!Number.isFinite(expiresAt) || expiresAt <= gateway.clock.now())
      throw bad("expiresAt", "expiresAt must be a future time (epoch ms or ISO-8601)");
  }
  const { tiers, models, requestsPerMinute } = body.limits ?? {};
  const config = gateway.live.get();
  for (const tier of tiers ?? []) if (!(tier in config.tiers)) throw bad("limits.tiers", `unknown tier "${tier}"`);
  const limits: KeyLimits = {};
  if (tiers) limits.tiers = tiers;
  if (models) limits.models = models;
  if (typeof requestsPerMinute === "number") limits.requestsPerMinute = requestsPerMinute;
  return { name: body.name.trim(), expiresAt, limits };
}

export function keyRoutes(gateway: Gateway, accounts: Accounts) {
  return new Elysia()
    .get("/keys", (): Answer<"GET /api/keys"> => {
      const config = gateway.live.get();
      return {
        keys: gateway.keys.list(),
        configKeys: gateway.keyCheck(config).digestMap.size,
        open: gateway.isOpen(config),
        openByConfig: config.openAccess,
      };
    })
    .post("/keys", async ({ request, set }): Promise<Answer<"POST /api/keys">> => {
      const session = sessionOf(request);
      const input = keyInput(await bodyOf(request, "POST /api/keys"), gateway);
      const created = gateway.keys.create(input, gateway.clock.now());
      accounts.audit({
        ts: gateway.clock.now(),
        actor: session.username,
        action: "key.create",
        detail: { id: created.record.id, name: input.name, prefix: created.record.prefix },
        clientIp: session.clientIp,
      });
      set.status = 201;
      return { key: created.key, record: created.record, note: "Copy the key now: it is not shown again." };
    })
    .delete("/keys/:id", ({ params, request }) => {
      const session = sessionOf(request);
      if (!gateway.keys.revoke(params.id, gateway.clock.now()))
        throw new GatewayError("not_found", `No active key ${params.id}.`);
      accounts.audit({
        ts: gateway.clock.now(),
        actor: session.username,
        action: "key.revoke",
        detail: { id: params.id },
        clientIp: session.clientIp,
      });
      return { ok: true };
    });
}
