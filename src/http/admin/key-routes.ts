/**
 * Admin routes for gateway API keys: list (with each key's spend and headroom), create (the key is shown
 * once), change limits, rename, rotate (a new secret shown once, same id), use over time, revoke. Every
 * change is audited.
 */
import { Elysia } from "elysia";
import { GatewayError } from "../../errors.ts";
import type { Gateway } from "../../gateway.ts";
import { budgetWindow } from "../../pricing/spend-ledger.ts";
import type { Accounts } from "../../store/accounts.ts";
import type { KeyLimits } from "../../store/api-key-store.ts";
import { bodyOf, queryOf } from "./admin-input.ts";
import type { KeyRecord, KeySpendView } from "./contract/answers.ts";
import type { Answer, Body } from "./contract/routes.ts";
import { timeParam } from "./query-params.ts";
import { sessionOf } from "./session-context.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

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
  return { name: body.name.trim(), expiresAt, limits: limitsOf(body.limits ?? {}, gateway) };
}

function limitsOf(input: NonNullable<Body<"POST /api/keys">["limits"]>, gateway: Gateway): KeyLimits {
  const { tiers, models, requestsPerMinute, budgetUsd, budgetPeriod, maxConcurrent } = input;
  const config = gateway.live.get();
  for (const tier of tiers ?? []) if (!(tier in config.tiers)) throw bad("limits.tiers", `unknown tier "${tier}"`);
  const limits: KeyLimits = {};
  if (tiers) limits.tiers = tiers;
  if (models) limits.models = models;
  if (typeof requestsPerMinute === "number") limits.requestsPerMinute = requestsPerMinute;
  if (typeof budgetUsd === "number") limits.budgetUsd = budgetUsd;
  if (budgetPeriod) limits.budgetPeriod = budgetPeriod;
  if (typeof maxConcurrent === "number") limits.maxConcurrent = maxConcurrent;
  return limits;
}

/** A key with its spend and headroom now, from the gateway's ledger. */
async function withSpend(key: KeyRecord, gateway: Gateway): Promise<KeyRecord> {
  const ledger = gateway.spend.ledger;
  const spend: KeySpendView = { inFlight: await ledger.inFlight(key.id) };
  const { budgetUsd, budgetPeriod = "month" } = key.limits;
  if (budgetUsd !== undefined) {
    const window = budgetWindow(budgetPeriod, budgetUsd, gateway.clock.now());
    const { spentMicros, reservedMicros } = await ledger.usage(key.id, window);
    Object.assign(spend, {
      period: budgetPeriod,
      spentMicros,
      reservedMicros,
      limitMicros: window.limitMicros,
      headroomMicros: Math.max(0, window.limitMicros - spentMicros - reservedMicros),
      resetAt: window.resetAt,
    });
  }
  return { ...key, spend };
}

export function keyRoutes(gateway: Gateway, accounts: Accounts) {
  return new Elysia()
    .get("/keys", async (): Promise<Answer<"GET /api/keys">> => {
      const config = gateway.live.get();
      return {
        keys: await Promise.all((await gateway.keys.list()).map((key) => withSpend(key, gateway))),
        configKeys: gateway.keyCheck(config).digestMap.size,
        open: gateway.isOpen(config),
        openByConfig: config.openAccess,
      };
    })
    .post("/keys", async ({ request, set }): Promise<Answer<"POST /api/keys">> => {
      const session = sessionOf(request);
      const input = keyInput(await bodyOf(request, "POST /api/keys"), gateway);
      const created = await gateway.keys.create(input, gateway.clock.now());
      await accounts.audit({
        ts: gateway.clock.now(),
        actor: session.username,
        action: "key.create",
        detail: { id: created.record.id, name: input.name, prefix: created.record.prefix },
        clientIp: session.clientIp,
      });
      set.status = 201;
      return { key: created.key, record: created.record, note: "Copy the key now: it is not shown again." };
    })
    .put("/keys/:id/limits", async ({ params, request }): Promise<Answer<"PUT /api/keys/:id/limits">> => {
      const session = sessionOf(request);
      const limits = limitsOf((await bodyOf(request, "PUT /api/keys/:id/limits")).limits, gateway);
      if (!(await gateway.keys.setLimits(params.id, limits)))
        throw new GatewayError("not_found", `No key ${params.id}.`);
      await accounts.audit({
        ts: gateway.clock.now(),
        actor: session.username,
        action: "key.limits",
        detail: { id: params.id, limits },
        clientIp: session.clientIp,
      });
      const key = (await gateway.keys.list()).find((k) => k.id === params.id);
      if (!key) throw new GatewayError("not_found", `No key ${params.id}.`);
      return withSpend(key, gateway);
    })
    .put("/keys/:id/name", async ({ params, request }): Promise<Answer<"PUT /api/keys/:id/name">> => {
      const session = sessionOf(request);
      const name = (await bodyOf(request, "PUT /api/keys/:id/name")).name.trim();
      const before = (await gateway.keys.list()).find((k) => k.id === params.id);
      if (!before || !(await gateway.keys.rename(params.id, name)))
        throw new GatewayError("not_found", `No key ${params.id}.`);
      await accounts.audit({
        ts: gateway.clock.now(),
        actor: session.username,
        action: "key.rename",
        detail: { id: params.id, from: before.name, to: name },
        clientIp: session.clientIp,
      });
      return withSpend({ ...before, name }, gateway);
    })
    .post("/keys/:id/rotate", async ({ params, request }): Promise<Answer<"POST /api/keys/:id/rotate">> => {
      const session = sessionOf(request);
      const key = await gateway.keys.rotate(params.id);
      const record = (await gateway.keys.list()).find((k) => k.id === params.id);
      if (!key || !record) throw new GatewayError("not_found", `No active key ${params.id}.`);
      await accounts.audit({
        ts: gateway.clock.now(),
        actor: session.username,
        action: "key.rotate",
        detail: { id: params.id, prefix: record.prefix },
        clientIp: session.clientIp,
      });
      return {
        key,
        record: await withSpend(record, gateway),
        note: "Copy the new key now: it is not shown again. The old key no longer works.",
      };
    })
    .get("/keys/:id/usage", async ({ params, request }): Promise<Answer<"GET /api/keys/:id/usage">> => {
      const query = queryOf(request, "GET /api/keys/:id/usage");
      const bucket = query.bucket ?? "day";
      const bucketMs = bucket === "day" ? DAY_MS : HOUR_MS;
      // By default a month of days or two days of hours; aligned to a bucket so the first one is whole.
      const from = timeParam(query, "from") ?? gateway.clock.now() - (bucket === "day" ? 30 * DAY_MS : 48 * HOUR_MS);
      const aligned = Math.floor(from / bucketMs) * bucketMs;
      if (!(await gateway.keys.list()).some((k) => k.id === params.id))
        throw new GatewayError("not_found", `No key ${params.id}.`);
      // From the request log's store (PostgreSQL's in cluster mode).
      const points = gateway.logs ? await gateway.logs.keyUsage(params.id, aligned, bucketMs) : [];
      return { bucket, from: aligned, points };
    })
    .delete("/keys/:id", async ({ params, request }) => {
      const session = sessionOf(request);
      if (!(await gateway.keys.revoke(params.id, gateway.clock.now())))
        throw new GatewayError("not_found", `No active key ${params.id}.`);
      await accounts.audit({
        ts: gateway.clock.now(),
        actor: session.username,
        action: "key.revoke",
        detail: { id: params.id },
        clientIp: session.clientIp,
      });
      return { ok: true };
    });
}
