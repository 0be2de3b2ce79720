/**
 * Routing through a real gateway with an injected clock: a failing model's health drops and traffic
 * moves away; after its cooldown a probe brings it back. Sticky conversations, tool-result turns and
 * explain, too.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { systemClock } from "../../src/pipeline/clock.ts";
import type { Clock } from "../../src/plugin/types.ts";
import { type Harness, ROOT, startHarness } from "../helpers/gateway-harness.ts";

let h: Harness;
let offset = 0;
let mockTime = 0;
const clock: Clock = {
  now: () => Date.now() + offset,
  localTime: systemClock.localTime,
  sleep: systemClock.sleep,
  setTimer: systemClock.setTimer,
};

const imports = `import { definePlugin, type Classifier, type Provider } from "${ROOT}/src/index.ts";
const byWord: Classifier = definePlugin({
  name: "test:by-word",
  classify(ctx) {
    if (ctx.body.messages.at(-1)?.role !== "user") return undefined;
    if (ctx.text.includes("hard")) return { tier: "t3", reason: "hard" };
    if (ctx.text.includes("tool please")) return { tier: "tools", reason: "wants a tool" };
  },
});
const asksModel: Classifier = definePlugin({ name: "test:asks-model", async classify(ctx) { await ctx.complete({ model: "b/judge", messages: [] }); return undefined; } });
const toolProvider: Provider = definePlugin({
  name: "test:tools", kind: "provider", mode: "simulated",
  buildRequest: (body) => ({ url: "tools://", headers: {}, body: JSON.stringify(body) }),
  send: async () => Response.json({ id: "t", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: "{}" } }] }, finish_reason: "tool_calls" }] }),
});`;

beforeAll(async () => {
  h = await startHarness({
    imports,
    providers: "tp: toolProvider,",
    mockNow: () => mockTime,
    deps: { clock },
    config: () => `
  health: { openAfterFailures: 3, openCooldownMs: 10_000 },
  retry: { perTarget: 1 },
  routing: { sticky: true },
  classifiers: [byWord, asksModel],
  tiers: {
    t1: { models: ["a/cheap"] },
    t2: { models: ["a/mid"] },
    t3: { models: ["b/big"] },
    probe: { models: ["a/flappy?fault=flap&downMs=100000", "b/steady"] },
    tools: { models: ["tp/m"] },
  },`,
  });
});
afterAll(() => h.stop());

const ask = async (
  model: string,
  messages: { role: string; content: unknown; tool_calls?: unknown; tool_call_id?: string }[],
) => {
  const { response } = (await h.client.chat.completions
    .create({ model, messages } as never)
    .withResponse()) as unknown as { response: Response };
  return { tier: response.headers.get("x-gateway-tier"), model: response.headers.get("x-gateway-model") };
};
const FLAPPY = "a/flappy?fault=flap&downMs=100000";

test("a failing model loses its traffic, and a probe after the cooldown brings it back", async () => {
  for (let i = 0; i < 3; i++) expect((await ask("probe", [{ role: "user", content: "x" }])).model).toBe("b/steady");
  expect(h.running.gateway.health.view(FLAPPY, clock.now()).state).toBe("open");
  // While open, the failing model is not even tried.
  await ask("probe", [{ role: "user", content: "x" }]);
  expect(h.seen("flappy?fault=flap&downMs=100000")).toBe(3);
  // The upstream recovers; the cooldown ends; the next request probes it, and it answers.
  mockTime = 200_000;
  offset += 10_001;
  expect(h.running.gateway.health.view(FLAPPY, clock.now()).state).toBe("half_open");
  expect((await ask("probe", [{ role: "user", content: "x" }])).model).toBe(FLAPPY);
  expect(h.running.gateway.health.view(FLAPPY, clock.now()).state).toBe("closed");
  expect((await ask("probe", [{ role: "user", content: "x" }])).model).toBe(FLAPPY);
  const transitions = h.log.lines
    .filter((l) => l.includes(`circuit ${FLAPPY}`))
    .map((l) => l.split(`circuit ${FLAPPY}: `)[1].split(" ")[0]);
  expect(transitions).toEqual(["opened", "probing", "closed"]);
  const metrics = await (await fetch(`${h.url}/metrics`)).text();
  expect(metrics).toContain(`smartroute_target_circuit_state{target="${FLAPPY}"} 0`);
});

describe("conversations", () => {
  test("a sticky conversation never steps down a tier", async () => {
    const opening = [
      { role: "system", content: "You are terse." },
      { role: "user", content: "a hard question" },
    ];
    expect((await ask("auto", opening)).tier).toBe("t3");
    const followUp = [...opening, { role: "assistant", content: "an answer" }, { role: "user", content: "thanks" }];
    expect((await ask("auto", followUp)).tier).toBe("t3");
    expect((await ask("auto", [{ role: "user", content: "thanks" }])).tier).toBe("t1"); // another conversation
  });

  test("a tool-result turn goes back to the tier that made the tool call", async () => {
    const first = [{ role: "user", content: "tool please" }];
    expect((await ask("auto", first)).tier).toBe("tools");
    const toolTurn = [
      ...first,
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "call_1", content: "42" },
    ];
    expect((await ask("auto", toolTurn)).tier).toBe("tools");
  });
});

test("explain shows every verdict, the tier and the candidates, and calls no upstream", async () => {
  const before = JSON.stringify(h.mock.stats.requests);
  const explanation = await h.running.gateway.explain({
    model: "auto",
    messages: [{ role: "user", content: "a hard one" }],
  });
  expect(JSON.stringify(h.mock.stats.requests)).toBe(before);
  expect(explanation.tier).toBe("t3");
  expect(explanation.reason).toBe("test:by-word: hard");
  expect(explanation.decidedBy).toBe("test:by-word");
  expect(explanation.classifiers.map((c) => [c.name, c.verdict?.tier, c.note])).toEqual([
    ["test:by-word", "t3", undefined],
    ["test:asks-model", undefined, "asks a model: not run by explain"],
  ]);
  expect(explanation.candidates.map((c) => c.ref)).toEqual(["b/big"]);
  expect(explanation.candidates[0].health.score).toBe(100);
  expect(explanation.retry.maxAttempts).toBe(6);
  expect(explanation.timeouts.connectMs).toBe(10_000);
});
