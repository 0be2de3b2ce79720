/** Admin routes for gateway API keys: list, create (the key is shown once), revoke. Every change is audited. */
import { Elysia } from "elysia";
import { GatewayError } from "../../errors.ts";
import type { Gateway } from "../../gateway.ts";
import type { Accounts } from "../../store/accounts.ts";
import type { KeyLimits } from "../../store/api-key-store.ts";
import { sessionOf } from "./session-context.ts";

const bad = (param: string, message: string) => new GatewayError("invalid_request", message, { param });

function stringList(value: unknown, param: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v === ""))
    throw bad(param, `${param} must be a list of names`);
  return value as string[];
}

/** Checks and normalises the body of a key creation. */
function keyInput(
  body: Record<string, unknown>,
  gateway: Gateway,
): { name: string; expiresAt: number | null; limits: KeyLimits } {
  const name = typeof body.name === "string" ? body.name.trim() : "";
  if (name === "" || name.length > 100) throw bad("name", "name is required (at most 100 characters)");
  let expiresAt: number | null = null;
  if (body.expiresAt !== undefined && body.expiresAt !== null) {
    expiresAt = typeof body.expiresAt === "number" ? body.expiresAt : Date.parse(String(body.expiresAt));
    if (!Number.isFinite(expiresAt) || expiresAt <= gateway.clock.now())
      throw bad("expiresAt", "expiresAt must be a future time (epoch ms or ISO-8601)");
  }
  const raw = (body.limits ?? {}) as Record<string, unknown>;
  if (typeof raw !== "object" || raw === null) throw bad("limits", "limits must be an object");
  const config = gateway.live.get();
  const tiers = stringList(raw.tiers, "limits.tiers");
  for (const tier of tiers ?? []) if (!(tier in config.tiers)) throw bad("limits.tiers", `unknown tier "${tier}"`);
  const models = stringList(raw.models, "limits.models");
  const rpm = raw.requestsPerMinute;
  if (rpm !== undefined && rpm !== null && (typeof rpm !== "number" || !Number.isInteger(rpm) || rpm < 1))
    throw bad("limits.requestsPerMinute", "requestsPerMinute must be a whole number above 0");
  const limits: KeyLimits = {};
  if (tiers) limits.tiers = tiers;
  if (models) limits.models = models;
  if (typeof rpm === "number") limits.requestsPerMinute = rpm;
  return { name, expiresAt, limits };
}

export function keyRoutes(gateway: Gateway, accounts: Accounts) {
  return new Elysia()
    .get("/keys", () => {
      const config = gateway.live.get();
      return {
        keys: gateway.keys.list(),
        configKeys: gateway.keyCheck(config).digestMap.size,
        open: gateway.isOpen(config),
        openByConfig: config.openAccess,
      };
    })
    .post("/keys", async ({ request, set }) => {
      const session = sessionOf(request);
      const input = keyInput((await request.json().catch(() => ({}))) as Record<string, unknown>, gateway);
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
