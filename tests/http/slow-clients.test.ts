/**
 * Clients that hold connections (issue 11, item 2): a body that never ends, a byte drip, headers sent a
 * byte at a time, an idle keep-alive connection. Each is cut with 408 (or closed), while a long answer
 * (a slow first token) is not cut, and `/healthz` keeps answering. Real sockets; small injected limits.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { bodyOf, holdSlowBody, openRaw, rawRequest } from "../helpers/raw-http.ts";

const KEY = "sk-slow-clients-test";
const BODY_TIMEOUT_MS = 400;
const ADMIN_PASSWORD = "slow clients correct horse";
/** Longer than any socket timer of this gateway can run (bodyTimeoutMs 400 → 6 s, on 4 s ticks: at most 8 s). */
const PAST_SOCKET_TIMERS_MS = 9000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    apiKey: KEY,
    adminPassword: ADMIN_PASSWORD,
    config: () => `
  auth: { apiKeys: ["${KEY}"] },
  limits: { bodyTimeoutMs: ${BODY_TIMEOUT_MS} },
  timeouts: { connectMs: 10000, firstTokenMs: 15000, idleMs: 15000, totalMs: 30000 },
  tiers: { t1: { models: ["a/good"] }, t2: { models: ["a/late?fault=slowFirstToken&delayMs=9000"] } },`,
  });
});
afterAll(() => h.stop());

/** Fails the test (instead of hanging it) when the server never closes the connection. */
async function closedWithin(closed: Promise<string>, ms: number): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => reject(new Error(`the server still held the connection after ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([closed, late]);
  } finally {
    clearTimeout(timer);
  }
}

function expectTimeoutAnswer(text: string) {
  expect(text).toMatch(/^HTTP\/1\.1 408/);
  const error = (JSON.parse(bodyOf(text)) as { error: { code: string; type: string; message: string } }).error;
  expect(error.code).toBe("request_timeout");
  expect(error.message).toContain("limits.bodyTimeoutMs");
}

describe("a request body that never ends", () => {
  for (const path of ["/api/auth/login", "/v1/chat/completions", "/no-such-route"]) {
    test(`POST ${path}: 408, then the connection is closed`, async () => {
      const raw = await holdSlowBody(h.url, path, { headers: { authorization: `Bearer ${KEY}` } });
      expectTimeoutAnswer(await closedWithin(raw.closed, 10_000));
    });
  }

  test("a byte drip does not extend the budget: the budget is for the whole body", async () => {
    const raw = await holdSlowBody(h.url, "/api/auth/login");
    const drip = setInterval(() => raw.socket.writable && raw.socket.write("1\r\n \r\n"), 50);
    try {
      expectTimeoutAnswer(await closedWithin(raw.closed, 10_000));
    } finally {
      clearInterval(drip);
    }
  });

  test("a body that arrives in pieces within the budget is served", async () => {
    const raw = await openRaw(h.url);
    const body = JSON.stringify({ model: "t1", messages: [{ role: "user", content: "hi" }] });
    raw.socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${KEY}\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    raw.socket.write(body.slice(0, 10));
    await Bun.sleep(BODY_TIMEOUT_MS / 4);
    raw.socket.write(body.slice(10));
    const text = await closedWithin(raw.closed, 10_000);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain("w1 w2");
  });
});

describe("connections held without a request", () => {
  test("headers sent a byte at a time are cut (the runtime's header budget)", async () => {
    const raw = await openRaw(h.url);
    const head = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${"a".repeat(200)}\r\n\r\n`;
    let i = 0;
    const drip = setInterval(() => raw.socket.writable && i < head.length && raw.socket.write(head[i++]), 100);
    try {
      const text = await closedWithin(raw.closed, 18_000);
      expect(i).toBeLessThan(head.length); // cut before the headers were complete
      expect(text === "" || /^HTTP\/1\.1 408/.test(text)).toBe(true);
    } finally {
      clearInterval(drip);
    }
  }, 20_000);

  test("an idle keep-alive connection is closed after its request (bodyTimeoutMs + 5 s, on Bun's 4 s ticks)", async () => {
    const raw = await openRaw(h.url);
    raw.socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expect(await raw.status()).toBe(200);
    await closedWithin(raw.closed, 15_000);
  }, 20_000);
});

describe("long answers are not cut by the read budgets", () => {
  test("a first token after several body budgets, and after the socket timers would fire, still comes (stream and JSON)", async () => {
    const late = JSON.stringify({ model: "t2", messages: [{ role: "user", content: "hi" }], stream: true });
    const [stream, json] = await Promise.all([
      rawRequest(
        h.url,
        `POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${KEY}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${late.length}\r\n\r\n${late}`,
      ),
      h.client.chat.completions.create({ model: "t2", messages: [{ role: "user", content: "hi" }] }),
    ]);
    expect(stream.status).toBe(200);
    expect(stream.text).toContain("data: [DONE]");
    expect(json.choices[0].message.content).toBe("w1 w2 w3 w4 w5 w6 w7 w8");
    // The kept connection serves the next request (its keep-alive timer is back, not a dead socket).
    const again = await h.client.chat.completions.create({ model: "t1", messages: [{ role: "user", content: "hi" }] });
    expect(again.choices[0].message.content).toBe("w1 w2 w3 w4 w5 w6 w7 w8");
  }, 20_000);

  test("a quiet GET stream (the live log) stays open past the socket timers and still delivers", async () => {
    const login = await fetch(`${h.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-smartroute-request": "1" },
      body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
    });
    expect(login.status, await login.clone().text()).toBe(200);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const raw = await openRaw(h.url);
    raw.socket.write(`GET /api/logs/tail HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\n\r\n`);
    expect(await raw.status()).toBe(200);
    await Bun.sleep(PAST_SOCKET_TIMERS_MS); // no event meanwhile (its heartbeat is every 15 s)
    expect(raw.socket.destroyed).toBe(false);
    await h.client.chat.completions.create({ model: "t1", messages: [{ role: "user", content: "for the tail" }] });
    for (let i = 0; i < 100 && !raw.received().includes("event: request"); i++) await Bun.sleep(50);
    expect(raw.received()).toContain("event: request");
    raw.socket.destroy();
  }, 20_000);
});

test("/healthz answered throughout", async () => {
  const response = await fetch(`${h.url}/healthz`);
  expect(response.status).toBe(200);
  expect(((await response.json()) as { status: string }).status).toBe("ok");
});
