/**
 * The learned complexity classifier (the default of `complexityClassifier()`): the verdict's shape, the
 * abstain cascade into an LLM classifier, the bias, and the context-window rule.
 */
import { describe, expect, test } from "bun:test";
import { complexityClassifier, llmIntentClassifier } from "../../../plugins/index.ts";
import { viewOf } from "../../../scripts/lib/router-data.ts";
import { loadRoutingSet } from "../../../scripts/lib/routing-eval.ts";
import type { Classifier, DirectAnswer, RequestContext } from "../../../src/index.ts";
import { firstAnswerAsync } from "../../../src/plugin/runner.ts";
import { classifyWith, requestContext } from "../../helpers/run-hooks.ts";

const rank = (tier: string | undefined) => ["t1", "t2", "t3"].indexOf(tier ?? "");

/** Runs classifiers in order through the real runner, as the pipeline does. */
async function cascade(chain: Classifier[], ctx: RequestContext) {
  return (await firstAnswerAsync(chain, "classify", (p) => p.classify?.(ctx), ctx.log))?.value;
}

/** A `ctx.complete` that answers `text` and counts its calls. */
function fakeModel(text: string) {
  const calls: unknown[] = [];
  const complete: RequestContext["complete"] = async (request) => {
    calls.push(request);
    return { text, body: {} } satisfies DirectAnswer;
  };
  return { complete, calls };
}

describe("learned complexityClassifier", () => {
  const plugin = complexityClassifier();

  test("answers a tier, a reason naming its top signals and a calibrated confidence", async () => {
    const verdict = await classifyWith(plugin, {
      text: "证明：对任意正整数 n，n⁵ − n 能被 30 整除，给出严格证明",
    });
    expect(verdict?.tier).toBe("t3");
    expect(verdict?.reason).toMatch(/^learned t3 p=0\.\d\d: .+ \+\d/);
    expect(verdict?.confidence).toBeGreaterThan(0.33);
    expect(verdict?.confidence).toBeLessThanOrEqual(1);
  });

  // What a high effort means is learned: in the corpus it comes with easy requests as often as hard ones.
  test("reads the request's shape, not only its text: reasoning_effort changes the verdict's probabilities", async () => {
    const text = "help me plan a 3-day trip to Kyoto";
    const base = requestContext({ text });
    const effort = { ...base, body: { ...base.body, reasoning_effort: "high" } };
    const plain = (await plugin.classify(base)) ?? undefined;
    const hard = (await plugin.classify(effort)) ?? undefined;
    expect(hard).toBeDefined();
    expect([hard?.tier, hard?.confidence]).not.toEqual([plain?.tier, plain?.confidence]);
  });

  test("abstainBelow: unsure, it gives no verdict and the LLM classifier after it decides", async () => {
    const { complete, calls } = fakeModel("t3");
    const chain = [complexityClassifier({ abstainBelow: 0.999 }), llmIntentClassifier({ model: "p/small" })];
    const verdict = await cascade(chain, requestContext({ text: "can you look at my essay's structure?", complete }));
    expect(calls).toHaveLength(1);
    expect(verdict).toMatchObject({ tier: "t3" });
  });

  test("abstainBelow: sure, it answers and the LLM is never asked", async () => {
    const { complete, calls } = fakeModel("t3");
    const chain = [complexityClassifier({ abstainBelow: 0.6 }), llmIntentClassifier({ model: "p/small" })];
    const verdict = await cascade(chain, requestContext({ text: "hi there, good morning!", complete }));
    expect(calls).toHaveLength(0);
    expect(verdict?.tier).toBe("t1");
    expect(verdict?.confidence).toBeGreaterThanOrEqual(0.6);
  });

  test("bias: quality never routes lower than balanced, savings never higher, and both move some borderline requests", async () => {
    // The dev set: requests the model never trained on, so some sit near a boundary.
    const items = loadRoutingSet().map((item) => viewOf(item.messages));
    const [quality, balanced, savings] = (["quality", "balanced", "savings"] as const).map((bias) =>
      complexityClassifier({ bias }),
    );
    let up = 0;
    let down = 0;
    for (const item of items) {
      const ctx = { ...requestContext({ text: item.text, messages: item.body.messages }), body: item.body };
      const [q, b, s] = await Promise.all(
        [quality, balanced, savings].map(async (c) => rank((await c.classify(ctx))?.tier)),
      );
      expect(q).toBeGreaterThanOrEqual(b);
      expect(s).toBeLessThanOrEqual(b);
      if (q > b) up++;
      if (s < b) down++;
    }
    expect(up).toBeGreaterThan(0);
    expect(down).toBeGreaterThan(0);
  });

  test("a numeric bias is the log-odds per tier step: a large one sends everything to the frontier tier", async () => {
    const verdict = await classifyWith(complexityClassifier({ bias: 5 }), { text: "hi" });
    expect(verdict?.tier).toBe("t3");
  });

  test("contextWindows: a request longer than the cheap tier's window goes to the next tier that holds it", async () => {
    const notice = "The water supply will be interrupted on Saturday while the pumps are serviced. ".repeat(100);
    const text = `${notice}\n\nTranslate the notice above into French.`;
    const windows = complexityClassifier({ contextWindows: { t1: 1_000, t2: 128_000 } });
    const verdict = await classifyWith(windows, { text });
    expect(verdict?.tier).toBe("t2");
    expect(verdict?.reason).toContain("context window");
    const tiny = complexityClassifier({ contextWindows: { t1: 100, t2: 500 } });
    expect((await classifyWith(tiny, { text }))?.tier).toBe("t3");
  });

  test("contextWindows: Chinese text counts about a token a character, and the rule holds even when abstaining", async () => {
    const text = `${"请把这份通知翻译成英文。".repeat(120)}`; // 1,440 characters: about 1,440 tokens
    const strict = complexityClassifier({ contextWindows: { t1: 1_000 }, abstainBelow: 1 });
    const verdict = await classifyWith(strict, { text });
    expect(rank(verdict?.tier)).toBeGreaterThanOrEqual(1);
  });

  test("hand scorer options still select the hand-tuned scorer", async () => {
    const verdict = await classifyWith(complexityClassifier({ weights: { writing: 2 } }), { text: "hello" });
    expect(verdict?.reason).toMatch(/^complexity /);
  });
});
