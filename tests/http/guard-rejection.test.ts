/**
 * A guard written against the public API only (src/index.ts) refuses with its own status and code, and
 * both reach the client through the HTTP app; an unknown error there is a 500 that leaks nothing.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Gateway } from "../../src/gateway.ts";
import { createApp } from "../../src/http/app.ts";
import { type Harness, recordingLogger, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    imports: `import { definePlugin, type Plugin } from "${import.meta.dir}/../../src/index.ts";
const paywall: Plugin = definePlugin({
  name: "test:paywall",
  onRequest: (ctx) => (ctx.body.user === "unpaid" ? { reject: { message: "This account has no credit left.", status: 402, code: "payment_required" } } : undefined),
});`,
    config: () => `  tiers: { t1: { models: ["a/good"] } },
  plugins: [paywall],`,
  });
});
afterAll(() => h.stop());

const chat = (user: string) =>
  new Request("http://localhost/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "t1", user, messages: [{ role: "user", content: "hi" }] }),
  });

test("a guard's 402 and its code payment_required reach the client, with its message", async () => {
  const response = await createApp(h.running.gateway).handle(chat("unpaid"));
  expect(response.status).toBe(402);
  expect(response.headers.get("x-request-id")).toBeTruthy();
  expect(await response.json()).toEqual({
    error: {
      message: "This account has no credit left.",
      type: "invalid_request_error",
      code: "payment_required",
      param: null,
    },
  });
  expect((await createApp(h.running.gateway).handle(chat("paid"))).status).toBe(200);
});

test("an unknown error in a route is a 500 internal_error without its stack, logged once", async () => {
  const log = recordingLogger();
  const broken = {
    log,
    live: {
      get: () => {
        throw new TypeError("cannot read /etc/smartroute/secret");
      },
    },
  } as unknown as Gateway;
  const response = await createApp(broken).handle(chat("paid"));
  expect(response.status).toBe(500);
  const text = await response.text();
  expect(JSON.parse(text).error).toEqual({
    message: "Internal error; see the gateway log.",
    type: "api_error",
    code: "internal_error",
    param: null,
  });
  expect(text).not.toContain("secret");
  expect(text).not.toContain("TypeError");
  expect(log.lines.filter((line) => line.startsWith("error"))).toHaveLength(1);
});
