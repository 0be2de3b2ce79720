/**
 * Caps on held requests (issue 11, item 2): one address holding its share gets 429 while others are
 * served; the whole gateway at its in-flight cap sheds with 503 before the descriptors run out, and
 * `/healthz` keeps answering; both recover when the held requests end. 127.0.0.2 is a second client
 * address on Linux loopback.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { bodyOf, eventually, holdSlowBody, openRaw, type RawExchange, rawRequest } from "../helpers/raw-http.ts";

const OTHER_ADDRESS = "127.0.0.2";
let h: Harness | undefined;
let held: RawExchange[] = [];

afterEach(async () => {
  for (const raw of held) raw.socket.destroy();
  held = [];
  await h?.stop();
  h = undefined;
});

async function start(limits: string): Promise<Harness> {
  h = await startHarness({
    config: () =>
      `  limits: { ${limits} },\n  tiers: { t1: { models: ["a/good"] }, t2: { models: ["a/slow?tokens=6&chunkDelayMs=150"] } },`,
  });
  return h;
}

/** Holds `n` requests open (bodies that never end) from `address`, each admitted before the next. */
async function hold(url: string, n: number, address?: string): Promise<void> {
  for (let i = 0; i < n; i++) held.push(await holdSlowBody(url, "/api/auth/login", { localAddress: address }));
  await Bun.sleep(100); // let the server see each one's headers
}

const chat = JSON.stringify({ model: "t1", messages: [{ role: "user", content: "hi" }] });
const chatRequest = `POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${chat.length}\r\n\r\n${chat}`;
const health = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
const codeOf = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

describe("per client address", () => {
  test("past maxRequestsPerClient the address gets 429; another address is served; it recovers", async () => {
    const { url } = await start("maxRequestsPerClient: 3, bodyTimeoutMs: 20000");
    await hold(url, 3);
    const refused = await rawRequest(url, chatRequest);
    expect(refused.status).toBe(429);
    expect(codeOf(refused.body)).toBe("rate_limited");
    expect(refused.text.toLowerCase()).toContain("retry-after:");

    expect((await rawRequest(url, chatRequest, OTHER_ADDRESS)).status).toBe(200);
    expect((await rawRequest(url, health, OTHER_ADDRESS)).status).toBe(200);

    for (const raw of held) raw.socket.destroy();
    await eventually(async () => (await rawRequest(url, chatRequest)).status === 200);
  });

  test("0 turns the cap off", async () => {
    const { url } = await start("maxRequestsPerClient: 0, bodyTimeoutMs: 20000");
    await hold(url, 5);
    expect((await rawRequest(url, chatRequest)).status).toBe(200);
  });
});

describe("load shedding", () => {
  test("past maxInFlight new requests get 503 while /healthz answers; it recovers", async () => {
    const { url } = await start("maxInFlight: 4, maxRequestsPerClient: 0, bodyTimeoutMs: 20000");
    await hold(url, 4);
    const shed = await rawRequest(url, chatRequest, OTHER_ADDRESS);
    expect(shed.status).toBe(503);
    expect(codeOf(shed.body)).toBe("overloaded");
    expect(shed.text.toLowerCase()).toContain("connection: close");

    const alive = await rawRequest(url, health, OTHER_ADDRESS);
    expect(alive.status).toBe(200);
    expect(JSON.parse(alive.body).status).toBe("ok");

    for (const raw of held) raw.socket.destroy();
    await eventually(async () => (await rawRequest(url, chatRequest)).status === 200);
  });

  test("a /healthz carrying a body is not exempt: it cannot be used to hold a place past the cap", async () => {
    const { url } = await start("maxInFlight: 2, maxRequestsPerClient: 0, bodyTimeoutMs: 20000");
    await hold(url, 2);
    const sneaky = await rawRequest(
      url,
      "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
    );
    expect(sneaky.status).toBe(503);
  });

  test("streams in flight count until they end", async () => {
    const { url } = await start("maxInFlight: 1, maxRequestsPerClient: 0");
    const slow = JSON.stringify({ model: "t2", messages: [{ role: "user", content: "hi" }], stream: true });
    const streaming = await openRaw(url);
    streaming.socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${slow.length}\r\n\r\n${slow}`,
    );
    expect(await streaming.status()).toBe(200); // its headers are sent, its tokens still coming
    expect((await rawRequest(url, chatRequest)).status).toBe(503);
    expect(bodyOf(await streaming.closed)).toContain("[DONE]");
    await eventually(async () => (await rawRequest(url, chatRequest)).status === 200);
  });

  test("a front door's translated stream counts until it ends too", async () => {
    const { url } = await start("maxInFlight: 1, maxRequestsPerClient: 0");
    const slow = JSON.stringify({
      model: "t2",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const streaming = await openRaw(url);
    streaming.socket.write(
      `POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${slow.length}\r\n\r\n${slow}`,
    );
    expect(await streaming.status()).toBe(200);
    expect((await rawRequest(url, chatRequest)).status).toBe(503);
    expect(bodyOf(await streaming.closed)).toContain("message_stop");
    await eventually(async () => (await rawRequest(url, chatRequest)).status === 200);
  });
});
