/**
 * The complexity scorer's accuracy on the labelled dev set (../shared/data/routing-dev.jsonl), the same
 * figures `bun scripts/classifier-accuracy.ts` prints. A change that lowers them fails here: either
 * the change is wrong, or the floor moves down on purpose, in the same commit, with a reason.
 * Reached when the floor was set: 98.9% overall (89/90), 0 severe mistakes.
 */
import { describe, expect, test } from "bun:test";
import { complexityClassifier, defaultKeywordRules, keywordClassifier } from "../../../plugins/index.ts";
import { evaluate, loadRoutingSet } from "../../../scripts/lib/routing-eval.ts";

const FLOOR_PERCENT = 97;
const MAX_SEVERE = 0;

describe("complexityClassifier on the dev set", () => {
  const items = loadRoutingSet();

  test(`accuracy stays at or above ${FLOOR_PERCENT}%`, async () => {
    const report = await evaluate([complexityClassifier()], items);
    expect(report.overall.percent).toBeGreaterThanOrEqual(FLOOR_PERCENT);
  });

  test(`no more than ${MAX_SEVERE} severe mistakes (a t3 request sent to t1)`, async () => {
    const report = await evaluate([complexityClassifier()], items);
    expect(report.severe).toBeLessThanOrEqual(MAX_SEVERE);
  });

  test("keyword rules first (defaultKeywordRules) do not make it worse", async () => {
    const alone = await evaluate([complexityClassifier()], items);
    const chained = await evaluate([keywordClassifier({ rules: defaultKeywordRules }), complexityClassifier()], items);
    expect(chained.overall.correct).toBeGreaterThanOrEqual(alone.overall.correct);
  });
});
