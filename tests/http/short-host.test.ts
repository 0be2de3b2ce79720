/**
 * Short Host headers (issue 11, item 9): container service names such as `gw`, `llm`, `api` (and
 * `gw:80`) must route like any other host. The framework's path extraction assumed a host of at least
 * four characters, so `/healthz` answered the UI page while the API was down for such clients.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../../src/http/app.ts";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { rawRequest } from "../helpers/raw-http.ts";

let h: Harness;
const HOSTS = ["gw", "llm", "api", "gw:80", "a", "x:1"];
const chat = JSON.stringify({ model: "t1", messages: [{ role: "user", content: "hi" }] });

beforeAll(async () => {
  h = await startHarness({ config: () => `  tiers: { t1: { models: ["a/good"] } },` });
});
afterAll(() => h.stop());

const get = (path: string, host: string) => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
const post = (path: string, host: string, body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe("over a real socket", () => {
  for (const host of HOSTS) {
    test(`Host: ${host}`, async () => {
      const health = await rawRequest(h.url, get("/healthz", host));
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body).status).toBe("ok");
      const metrics = await rawRequest(h.url, get("/metrics", host));
      expect(metrics.status).toBe(200);
      expect(metrics.text.toLowerCase()).toContain("content-type: text/plain");
      const completion = await rawRequest(h.url, post("/v1/chat/completions", host, chat));
      expect(completion.status).toBe(200);
      expect(JSON.parse(completion.body).choices[0].message.content).toBe("w1 w2 w3 w4 w5 w6 w7 w8");
      expect((await rawRequest(h.url, get("/v1/models", host))).status).toBe(200);
      expect((await rawRequest(h.url, get("/api/auth/state", host))).status).toBe(200);
      expect((await rawRequest(h.url, get("/v1/nothing", host))).status).toBe(404);
    });
  }
});

describe("through app.handle", () => {
  for (const host of HOSTS) {
    test(`http://${host}/`, async () => {
      const app = createApp(h.running.gateway);
      const health = await app.handle(new Request(`http://${host}/healthz`));
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe("ok");
      const models = await app.handle(new Request(`http://${host}/v1/models?x=1`));
      expect(models.status).toBe(200);
      const completion = await app.handle(
        new Request(`http://${host}/v1/chat/completions`, { method: "POST", body: chat }),
      );
      expect(completion.status).toBe(200);
    });
  }
});
