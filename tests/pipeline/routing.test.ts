/**
 * Route choice from the client's `model` (DESIGN §3), classifiers, adapters, guards and observers,
 * through a running gateway.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
const seen = ((globalThis as Record<string, unknown>).__routingTest = { completed: [] as string[], attempts: 0 });

const imports = `import { definePlugin, type Classifier, type Plugin } from "${import.meta.dir}/../../src/index.ts";
const state = (globalThis as any).__routingTest;
const throwing: Classifier = definePlugin({ name: "test:throws", classify() { throw new Error("classifier bug"); } });
const unknownTier: Classifier = definePlugin({ name: "test:unknown-tier", classify: () => ({ tier: "t99", reason: "typo" }) });
const byWord: Classifier = definePlugin({ name: "test:by-word", classify: (ctx) => (ctx.text.includes("prove") ? { tier: "t3", reason: "proof" } : undefined) });
const observer: Plugin = definePlugin({
  name: "test:observer",
  onAttempt() { state.attempts += 1; },
  onComplete(summary) { state.completed.push(summary.tier); throw new Error("observer bug"); },
});
const guard: Plugin = definePlugin({
  name: "test:guard",
  onRequest: (ctx) => (ctx.body.user === "banned" ? { reject: { message: "user banned", status: 403 } } : undefined),
});`;

beforeAll(async () => {
  h = await startHarness({
    imports,
    config: () => `
  tiers: {
    t1: { models: ["a/cheap-1", "b/cheap-2"] },
    t2: { models: ["a/mid-1"] },
    t3: { models: ["a/big-1", "b/big-2"] },
    pin: { models: ["b/pin-first", "a/pin-bad?fault=status&status=500", "b/pin-good"] },
  },
  routing: { defaultTier: "t1", aliases: { "gpt-4": "b/big-2" } },
  classifiers: [throwing, unknownTier, byWord],
  adapters: [
    modelParams({ defaults: { temperature: 0.3, top_p: 0.5 }, models: { "big-2": { top_p: 0.95 }, "a/mid-1": { temperature: null } } }),
    modelParams({ defaults: { max_tokens: 77 }, match: { provider: ["b"] } }),
  ],
  plugins: [observer, guard],`,
  });
});
afterAll(() => h.stop());

const ask = (model: string, content = "hello", extra: Record<string, unknown> = {}) =>
  h.client.chat.completions
    .create({ model, messages: [{ role: "user", content }], ...extra } as never)
    .withResponse() as Promise<{ response: Response }>;
const lastBody = (model: string) => h.mock.stats.bodies[model]?.at(-1) as Record<string, unknown>;

describe("choosing the route from model", () => {
  test("auto: a throwing classifier and one naming an unknown tier count as no answer; the next decides", async () => {
    const { response } = await ask("auto", "please prove this");
    expect(response.headers.get("x-gateway-tier")).toBe("t3");
    expect(h.log.lines.some((l) => l.includes("test:throws threw in classify") && l.includes("classifier bug"))).toBe(
      true,
    );
    expect(h.log.lines.some((l) => l.includes('test:unknown-tier answered tier "t99"'))).toBe(true);
  });

  test("auto with no classifier answering goes to the default tier", async () => {
    const { response } = await ask("auto", "hi");
    expect(response.headers.get("x-gateway-tier")).toBe("t1");
    expect(response.headers.get("x-gateway-model")).toBe("a/cheap-1");
  });

  test("a tier name pins the tier without classification", async () => {
    const { response } = await ask("t2", "please prove this");
    expect(response.headers.get("x-gateway-tier")).toBe("t2");
  });

  test("a configured model goes first, its tier's other models stay as fallbacks", async () => {
    const { response } = await ask("b/cheap-2");
    expect(response.headers.get("x-gateway-model")).toBe("b/cheap-2");
    expect(response.headers.get("x-gateway-tier")).toBe("t1");
    // Pinned and failing (one retry, then failover): the rest of its tier, in the tier's order, answers.
    const failing = await ask("a/pin-bad?fault=status&status=500");
    expect(failing.response.headers.get("x-gateway-tier")).toBe("pin");
    expect(h.seen("pin-bad?fault=status&status=500")).toBe(2);
    expect(failing.response.headers.get("x-gateway-model")).toBe("b/pin-first");
  });

  test("a bare model name and an alias resolve to their provider/model", async () => {
    expect((await ask("big-1")).response.headers.get("x-gateway-model")).toBe("a/big-1");
    const alias = await ask("gpt-4");
    expect(alias.response.headers.get("x-gateway-model")).toBe("b/big-2");
    expect(alias.response.headers.get("x-gateway-tier")).toBe("t3");
  });
});

describe("adapters", () => {
  test("defaults fill what the client did not set, per-model values override, null removes, match limits", async () => {
    await ask("t1", "x", { temperature: 1 });
    expect(lastBody("cheap-1")).toMatchObject({ model: "cheap-1", temperature: 1, top_p: 0.5 });
    expect(lastBody("cheap-1").max_tokens).toBeUndefined(); // second adapter matches provider b only
    await ask("gpt-4", "x", { top_p: 0.1 });
    expect(lastBody("big-2")).toMatchObject({ top_p: 0.95, temperature: 0.3, max_tokens: 77 });
    await ask("t2", "x", { temperature: 1 });
    expect("temperature" in lastBody("mid-1")).toBe(false);
  });

  test("fields the gateway does not know are forwarded as the client sent them", async () => {
    const tools = [{ type: "function", function: { name: "lookup", parameters: { type: "object", properties: {} } } }];
    await ask("t2", "x", { seed: 42, tools, metadata: { team: "a" }, reasoning_effort: "low" });
    expect(lastBody("mid-1")).toMatchObject({ seed: 42, tools, metadata: { team: "a" }, reasoning_effort: "low" });
  });
});

describe("guards and observers", () => {
  test("a guard can reject a request with its own status and message", async () => {
    try {
      await ask("t1", "x", { user: "banned" });
      throw new Error("expected a rejection");
    } catch (e) {
      expect((e as { status: number }).status).toBe(403);
      expect((e as Error).message).toContain("user banned");
    }
  });

  test("observers see every attempt and completion; a throwing observer never fails the request", async () => {
    const before = { attempts: seen.attempts, completed: seen.completed.length };
    const { response } = await ask("t3");
    expect(response.status).toBe(200);
    expect(seen.attempts).toBe(before.attempts + 1);
    expect(seen.completed.length).toBe(before.completed + 1);
    expect(seen.completed.at(-1)).toBe("t3");
    expect(h.log.lines.some((l) => l.includes("test:observer threw in onComplete"))).toBe(true);
  });
});
