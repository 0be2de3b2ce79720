/**
 * Malformed requests get a client error in OpenAI's shape, never a 500 (issue 11, item 16): an
 * `Origin` header that does not parse, `Origin: null` on a state-changing admin request, a path with a
 * broken percent escape. None of them writes an error (or a stack trace) to the log.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { rawRequest } from "../helpers/raw-http.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    adminPassword: "correct horse battery staple",
    config: () => `  tiers: { t1: { models: ["a/good"] } },`,
  });
});
afterAll(() => h.stop());

const login = JSON.stringify({ username: "admin", password: "correct horse battery staple" });
const codeOf = (body: string) => (JSON.parse(body) as { error: { code: string; type: string } }).error;

function loginWith(origin: string) {
  return fetch(`${h.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-smartroute-request": "1", origin },
    body: login,
  });
}

describe("the Origin of a state-changing admin request", () => {
  for (const origin of ["http://[", "::::", "http://exa mple.com", "not a url"]) {
    test(`unparsable (${JSON.stringify(origin)}): 403 csrf_rejected`, async () => {
      const response = await loginWith(origin);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("csrf_rejected");
    });
  }

  test("null: 403 csrf_rejected (a sandboxed or cross-origin redirected page sends it)", async () => {
    const response = await loginWith("null");
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("csrf_rejected");
  });

  test("our own origin still signs in", async () => {
    const response = await loginWith(h.url);
    expect(response.status).toBe(200);
  });

  test("a safe method with an odd Origin is not refused", async () => {
    const response = await fetch(`${h.url}/api/auth/state`, { headers: { origin: "null" } });
    expect(response.status).toBe(200);
  });
});

describe("a path with a broken percent escape", () => {
  for (const path of ["/%", "/%zz", "/v1/%E0%A4%A", "/api/%"]) {
    test(`GET ${path}: a 4xx in OpenAI's shape`, async () => {
      const { status, body } = await rawRequest(
        h.url,
        `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      );
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      const error = codeOf(body);
      expect(typeof error.code).toBe("string");
      expect(typeof error.type).toBe("string");
    });
  }
});

test("none of the above logged an error or a stack trace", () => {
  expect(h.log.lines.filter((line) => line.startsWith("error"))).toEqual([]);
  expect(h.log.lines.filter((line) => line.includes("    at "))).toEqual([]);
});
