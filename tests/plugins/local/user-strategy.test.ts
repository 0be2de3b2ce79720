/**
 * A strategy of the user's own, written against `src/index.ts` alone, gets what the built-in adaptive
 * strategy decides on (each target's error rate, latency, time to first token, availability, and the
 * recent use of each): here, "fastest average answer first, unsampled models tried first", through a real
 * gateway. The built-in strategies themselves (plugins/strategies) import only `src/index.ts` too
 * (tests/boundaries.test.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Harness, ROOT, startHarness } from "../../helpers/gateway-harness.ts";

let h: Harness;

const STRATEGY = `import { definePlugin, type TargetHealth } from "${ROOT}/src/index.ts";
/** Seen by the test: what the strategy read on its last call. */
export const seen: { health: Record<string, TargetHealth>; uses: Record<string, number> } = { health: {}, uses: {} };
/** Fastest average answer first; a model without a sample yet goes first, so it gets one. */
export const fastestFirst = () => definePlugin({
  name: "local:fastest-first",
  orderTargets(targets, ctx) {
    const latency = (ref: string) => ctx.health(ref).latencyMs ?? 0;
    for (const t of targets) {
      seen.health[t.ref] = ctx.health(t.ref);
      seen.uses[t.ref] = ctx.usage.recentUses(t.ref);
    }
    return [...targets].sort((a, b) => latency(a.ref) - latency(b.ref));
  },
});
`;

beforeAll(async () => {
  h = await startHarness({
    files: { "fastest-first.ts": STRATEGY },
    imports: `import { fastestFirst } from "./fastest-first.ts";`,
    config: () => `  tiers: { t1: { models: ["a/slow?latencyMs=40", "a/fast"], strategy: "sequential" } },
  plugins: [fastestFirst()],`,
  });
});
afterAll(() => h.stop());

test("a user's strategy reads health and usage from the context and routes by them", async () => {
  const served: string[] = [];
  for (let i = 0; i < 8; i++) {
    const { response } = await h.client.chat.completions
      .create({ model: "t1", messages: [{ role: "user", content: `q${i}` }] })
      .withResponse();
    served.push(response.headers.get("x-gateway-model")!);
  }
  // Both are sampled first (the configured order puts slow first), then the fast one leads.
  expect(served.slice(0, 2).sort()).toEqual(["a/fast", "a/slow?latencyMs=40"]);
  expect(served.slice(2).every((ref) => ref === "a/fast")).toBe(true);
  const { seen } = (await import(`${h.dir}/fastest-first.ts`)) as {
    seen: {
      health: Record<string, { latencyMs?: number; errorRate: number; availability: string }>;
      uses: Record<string, number>;
    };
  };
  expect(seen.health["a/slow?latencyMs=40"].latencyMs).toBeGreaterThan(seen.health["a/fast"].latencyMs!);
  expect(seen.health["a/fast"]).toMatchObject({ errorRate: 0, availability: "ready" });
  expect(seen.uses["a/fast"]).toBeGreaterThan(0);
});
