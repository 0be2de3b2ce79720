/**
 * The connection test's answers for what an upstream does (a fetch stands in for it here; the HTTP
 * tests use the mock upstream): the key goes in the kind's header, an upstream error quoting the key
 * never carries it back, a redirect is not followed, a missing /models still counts as reachable.
 */
import { describe, expect, test } from "bun:test";
import { probeUpstream, providerKind } from "../../src/config-editor/provider-kinds.ts";

const KEY = "sk-ant-probe-9876543210";
const upstream = (status: number, body: unknown, seen: Headers[] = []) =>
  (async (_url: URL | RequestInfo, init?: RequestInit) => {
    seen.push(new Headers(init?.headers));
    return new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
  }) as typeof fetch;

describe("probeUpstream", () => {
  test("anthropic: the key in x-api-key, the models sorted", async () => {
    const seen: Headers[] = [];
    const result = await probeUpstream(providerKind("anthropic")!, "https://api.test/v1/", KEY, {
      fetch: upstream(200, { data: [{ id: "claude-b" }, { id: "claude-a" }] }, seen),
    });
    expect(result).toEqual({ ok: true, status: 200, models: ["claude-a", "claude-b"] });
    expect(seen[0].get("x-api-key")).toBe(KEY);
    expect(seen[0].get("authorization")).toBeNull();
  });

  test("an upstream error that quotes the key is shown without it", async () => {
    const result = await probeUpstream(providerKind("openai")!, "https://api.test/v1", KEY, {
      fetch: upstream(401, { error: { message: `Incorrect API key provided: ${KEY}` } }),
    });
    expect(result.ok).toBe(false);
    expect(result.error).toBe("The upstream refused the key (401): Incorrect API key provided: [key]");
  });

  test("a redirect is an error, not followed", async () => {
    const result = await probeUpstream(providerKind("openai")!, "https://api.test/v1", KEY, {
      fetch: upstream(302, ""),
    });
    expect(result).toMatchObject({ ok: false, status: 302 });
    expect(result.error).toContain("redirect");
  });

  test("no /models list: reachable, and says so", async () => {
    const result = await probeUpstream(providerKind("openai")!, "https://api.test/v1", undefined, {
      fetch: upstream(404, "not found"),
    });
    expect(result).toMatchObject({ ok: true, status: 404, models: [] });
    expect(result.error).toContain("no /models list");
  });

  test("a 500 names the status and the upstream's message", async () => {
    const result = await probeUpstream(providerKind("openai")!, "https://api.test/v1", KEY, {
      fetch: upstream(503, { error: { message: "overloaded" } }),
    });
    expect(result).toMatchObject({ ok: false, status: 503, error: "The upstream answered 503: overloaded" });
  });
});
