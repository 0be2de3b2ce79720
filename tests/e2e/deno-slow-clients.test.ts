/**
 * The request guard on Deno (issue 11, items 2 and 9): Deno.serve has no timers of its own, so the
 * gateway's body budget is what answers a body that never ends (408), its per-address cap holds there
 * too, and a short Host header routes. The gateway runs as `npm run gateway:deno` runs it.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MockUpstream, startMockUpstream } from "../../bench/mock-upstream.ts";
import { configSource, freePort, ROOT } from "../helpers/gateway-harness.ts";
import { bodyOf, eventually, holdSlowBody, type RawExchange, rawRequest } from "../helpers/raw-http.ts";

let mock: MockUpstream;
let dir = "";
let child: ReturnType<typeof Bun.spawn> | undefined;
let url = "";
const held: RawExchange[] = [];

/** The deno command of package.json's gateway:deno script (its permissions and flags). */
function denoArgs(): string[] {
  const script: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts["gateway:deno"];
  const run = script
    .split("&&")
    .map((part) => part.trim())
    .find((part) => part.startsWith("deno "))!;
  return [join(ROOT, "node_modules/.bin/deno"), ...run.split(/\s+/).slice(1)];
}

beforeAll(async () => {
  mock = startMockUpstream();
  dir = mkdtempSync(join(tmpdir(), "smartroute-deno-guard-"));
  const configPath = join(dir, "gateway.config.ts");
  writeFileSync(
    configPath,
    configSource(
      mock.url,
      `  limits: { bodyTimeoutMs: 500, maxRequestsPerClient: 2 },\n  tiers: { t1: { models: ["a/good"] } },`,
    ),
  );
  const port = freePort();
  const env = {
    ...process.env,
    GATEWAY_CONFIG: configPath,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_DATA_DIR: join(dir, "data"),
    DENO_NO_UPDATE_CHECK: "1",
    GATEWAY_LOG_LEVEL: "warn",
  };
  child = Bun.spawn(denoArgs(), { cwd: ROOT, env, stdout: "ignore", stderr: "inherit" });
  url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200, 20_000);
}, 25_000);

afterAll(async () => {
  for (const raw of held) raw.socket.destroy();
  child?.kill("SIGTERM");
  await Promise.race([child?.exited, Bun.sleep(3_000)]);
  if (child?.exitCode === null) child.kill("SIGKILL");
  await mock?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a body that never ends is answered 408 at the budget", async () => {
  const raw = await holdSlowBody(url, "/api/auth/login");
  held.push(raw);
  expect(await raw.status()).toBe(408);
  await eventually(() => raw.received().includes("request_timeout"));
  expect((JSON.parse(bodyOf(raw.received())) as { error: { code: string } }).error.code).toBe("request_timeout");
  raw.socket.destroy(); // Deno keeps reading such a body after the answer: the client ends it
}, 10_000);

test("past maxRequestsPerClient: 429, then served again once the held requests end", async () => {
  const hold = await Promise.all([holdSlowBody(url, "/api/auth/login"), holdSlowBody(url, "/api/auth/login")]);
  held.push(...hold);
  await Bun.sleep(100);
  const health = "GET /v1/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  expect((await rawRequest(url, health)).status).toBe(429);
  await eventually(async () => (await rawRequest(url, health)).status === 200, 5_000);
}, 10_000);

test("Host: gw routes /healthz to the health check, not the UI", async () => {
  const { status, body } = await rawRequest(url, "GET /healthz HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
  expect(status).toBe(200);
  expect(JSON.parse(body).status).toBe("ok");
});
