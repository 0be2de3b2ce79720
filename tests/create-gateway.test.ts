/**
 * A gateway built in memory from a config object answers `Request`s as the server does, using only
 * the public API (src/index.ts) and the built-in plugins: no file, no port, no data directory.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { scripted } from "../plugins/index.ts";
import {
  type CreateGatewayOptions,
  createGateway,
  defineConfig,
  type InMemoryGateway,
  VirtualClock,
} from "../src/index.ts";

const chat = (body: object, headers: Record<string, string> = {}) =>
  new Request("http://gateway/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const hello = { model: "t1", messages: [{ role: "user", content: "hello" }] };

let gateway: InMemoryGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe("createGateway", () => {
  test("answers a chat completion with the gateway's headers, from a config object", async () => {
    const up = scripted([{ text: "hi there" }]);
    gateway = createGateway({ config: defineConfig({ providers: { up }, tiers: { t1: { models: ["up/m1"] } } }) });
    const response = await gateway.handle(chat(hello));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { model: string; choices: { message: { content: string } }[] };
    expect(body.choices[0].message.content).toBe("hi there");
    expect(body.model).toBe("m1");
    expect(response.headers.get("x-gateway-tier")).toBe("t1");
    expect(response.headers.get("x-gateway-model")).toBe("up/m1");
    expect(response.headers.get("x-gateway-attempts")).toBe("1");
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(Number(response.headers.get("x-gateway-overhead-ms"))).toBeGreaterThanOrEqual(0);
    expect(up.calls[0].body.messages).toEqual(hello.messages);
  });

  test("a config function gets the env and the mode", async () => {
    let mode = "";
    gateway = createGateway({
      mode: "test",
      config: defineConfig((context) => {
        mode = context.mode;
        return { providers: { up: scripted([{}]) }, tiers: { t1: { models: ["up/m1"] } } };
      }),
    });
    expect(mode).toBe("test");
    expect((await gateway.handle(chat(hello))).status).toBe(200);
  });

  test("an invalid config is refused with the path of each problem", () => {
    const config = { providers: { a: scripted([{}]), b: scripted([{}]) }, tiers: { t1: { models: ["nope/m1"] } } };
    expect(() => createGateway({ config: { ...config, routng: {} } as CreateGatewayOptions["config"] })).toThrow(
      /routng: unknown key/,
    );
    expect(() => createGateway({ config })).toThrow(/tiers\.t1\.models\[0\]: unknown provider "nope"/);
  });

  test("the other routes answer as the server's: /healthz, /v1/models, unknown routes, /api without a data dir", async () => {
    gateway = createGateway({ config: { providers: { up: scripted([{}]) }, tiers: { t1: { models: ["up/m1"] } } } });
    expect(await (await gateway.handle(new Request("http://gw/healthz"))).json()).toEqual({
      status: "ok",
      configVersion: 1,
    });
    const models = (await (await gateway.handle(new Request("http://gw/v1/models"))).json()) as {
      data: { id: string }[];
    };
    expect(models.data.map((m) => m.id)).toContain("up/m1");
    const unknown = await gateway.handle(new Request("http://gw/v1/nope", { method: "POST" }));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found");
    expect((await gateway.handle(new Request("http://gw/api/health"))).status).toBe(404);
  });

  test("gateway keys of the config guard /v1, as on the server", async () => {
    gateway = createGateway({
      config: {
        auth: { apiKeys: ["sk-test"] },
        providers: { up: scripted([{}]) },
        tiers: { t1: { models: ["up/m1"] } },
      },
    });
    expect((await gateway.handle(chat(hello))).status).toBe(401);
    expect((await gateway.handle(chat(hello, { authorization: "Bearer sk-test" }))).status).toBe(200);
  });

  test("a body past limits.maxBodyBytes is refused by the same request guard (413)", async () => {
    gateway = createGateway({
      config: {
        limits: { maxBodyBytes: 1024 },
        providers: { up: scripted([{}]) },
        tiers: { t1: { models: ["up/m1"] } },
      },
    });
    const response = await gateway.handle(chat({ ...hello, messages: [{ role: "user", content: "x".repeat(2000) }] }));
    expect(response.status).toBe(413);
  });

  test("with a virtual clock, a stream's gaps pass in virtual time and the budgets leave no timer behind", async () => {
    const clock = new VirtualClock();
    gateway = createGateway({
      clock,
      config: {
        providers: { up: scripted([{ stream: ["Hel", "lo"], gapsMs: [0, 50_000] }]) },
        tiers: { t1: { models: ["up/m1"] } },
        timeouts: { idleMs: 60_000 },
      },
    });
    const started = clock.now();
    const response = await clock.run(gateway.handle(chat({ ...hello, stream: true })));
    const text = await clock.run(response.text());
    expect(text).toContain('"content":"Hel"');
    expect(text).toContain('"content":"lo"');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(clock.now() - started).toBe(50_000);
    expect(clock.pending).toBe(0);
  });

  test("a body that never finishes arriving is a 408 after limits.bodyTimeoutMs of virtual time", async () => {
    const clock = new VirtualClock();
    gateway = createGateway({
      clock,
      config: {
        limits: { bodyTimeoutMs: 30_000 },
        providers: { up: scripted([{}]) },
        tiers: { t1: { models: ["up/m1"] } },
      },
    });
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('{"model":')),
    });
    const request = new Request("http://gateway/v1/chat/completions", {
      method: "POST",
      headers: { "transfer-encoding": "chunked" },
      body,
      duplex: "half",
    } as RequestInit);
    const started = clock.now();
    const response = await clock.run(gateway.handle(request));
    expect(response.status).toBe(408);
    expect(clock.now() - started).toBe(30_000);
  });

  test("with an in-memory store, requests are logged and health is kept", async () => {
    gateway = createGateway({
      store: "memory",
      config: { providers: { up: scripted([{}]) }, tiers: { t1: { models: ["up/m1"] } } },
    });
    expect((await gateway.handle(chat(hello))).status).toBe(200);
    expect(gateway.health("up/m1").successes).toBe(1);
    const metrics = await (await gateway.handle(new Request("http://gw/metrics"))).text();
    expect(metrics).toContain("up/m1");
  });
});
