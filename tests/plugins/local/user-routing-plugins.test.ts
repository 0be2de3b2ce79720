/**
 * The routing refinements the gateway ships (tool turns, sticky) are `refineTier` plugins, and a user's
 * own has the same contract: here a refiner written against `src/index.ts` alone sends a conversation
 * that mentions an incident to the top tier, and a strategy refuses a request with a status of its own.
 * In memory, with scripted upstreams, through `createGateway`.
 */
import { afterEach, expect, test } from "bun:test";
import { scripted } from "../../../plugins/index.ts";
import { createGateway, defineConfig, definePlugin, type InMemoryGateway } from "../../../src/index.ts";

const chat = (content: string, model = "auto") =>
  new Request("http://gateway/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content }] }),
  });

let gateway: InMemoryGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const incidentsGoUp = definePlugin({
  name: "local:incidents-up",
  refineTier(chosen, ctx) {
    const top = ctx.tiers[ctx.tiers.length - 1];
    return /incident/i.test(ctx.text) ? { tier: top, reason: `incident: ${top} (${chosen.reason})` } : undefined;
  },
});

const upstreams = () => ({ up: scripted([{ text: "ok" }]) });

test("a user's refineTier plugin changes the tier after classification, with its reason", async () => {
  gateway = createGateway({
    config: defineConfig({
      providers: upstreams(),
      tiers: { t1: { models: ["up/small"] }, t3: { models: ["up/large"] } },
      routing: { defaultTier: "t1" },
      plugins: [incidentsGoUp],
    }),
  });
  const plain = await gateway.handle(chat("what time is it"));
  expect(plain.headers.get("x-gateway-tier")).toBe("t1");
  const incident = await gateway.handle(chat("we have an incident in prod"));
  expect(incident.headers.get("x-gateway-tier")).toBe("t3");
  expect(incident.headers.get("x-gateway-model")).toBe("up/large");
  const explained = await gateway.explain({ model: "auto", messages: [{ role: "user", content: "incident!" }] });
  expect(explained.tier).toBe("t3");
  expect(explained.reason).toContain("incident: t3");
});

test("a refiner answering a tier the config does not have is ignored, with a warning", async () => {
  const warnings: string[] = [];
  gateway = createGateway({
    log: { info() {}, warn: (m) => void warnings.push(m), error() {} },
    config: defineConfig({
      providers: upstreams(),
      tiers: { t1: { models: ["up/small"] } },
      routing: { defaultTier: "t1" },
      plugins: [definePlugin({ name: "local:typo", refineTier: () => ({ tier: "t9", reason: "typo" }) })],
    }),
  });
  const response = await gateway.handle(chat("hello"));
  expect(response.headers.get("x-gateway-tier")).toBe("t1");
  expect(warnings.some((w) => w.includes('local:typo refined to tier "t9"'))).toBe(true);
});

test("a strategy's { reject } ends the request with its status and code", async () => {
  gateway = createGateway({
    config: defineConfig({
      providers: upstreams(),
      tiers: { t1: { models: ["up/small"] } },
      plugins: [
        definePlugin({
          name: "local:quiet-hours",
          orderTargets: () => ({ reject: { status: 503, code: "quiet_hours", message: "No traffic in quiet hours." } }),
        }),
      ],
    }),
  });
  const response = await gateway.handle(chat("hello", "t1"));
  expect(response.status).toBe(503);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error).toMatchObject({ code: "quiet_hours", message: "No traffic in quiet hours." });
});
