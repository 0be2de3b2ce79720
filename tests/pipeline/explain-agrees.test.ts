/**
 * Explain and serving share one router (`planRoute`): for a config with a strategy plugin of the user's
 * own (`orderTargets`), POST /api/explain shows the tier and the candidate order a real request then
 * tries. Before they shared it, explain left the plugin out and showed an order the gateway did not use.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { AttemptSummary } from "../../src/index.ts";
import { type Harness, ROOT, startHarness } from "../helpers/gateway-harness.ts";
import { loggedRequest } from "../helpers/request-log.ts";

let h: Harness;
const FAILING = ["a/one?fault=status&status=500", "a/two?fault=status&status=500", "a/three?fault=status&status=500"];

beforeAll(async () => {
  h = await startHarness({
    files: {
      "last-first.ts": `import { definePlugin } from "${ROOT}/src/index.ts";
/** A user's strategy: the tier's last model first. */
export const lastFirst = () => definePlugin({ name: "local:last-first", orderTargets: (targets) => [...targets].reverse() });
`,
    },
    imports: `import { lastFirst } from "./last-first.ts";\nimport { keywordClassifier } from "${ROOT}/plugins/index.ts";`,
    config: () => `
  retry: { perTarget: 1, backoff: { baseMs: 1, maxMs: 2 } },
  tiers: {
    t1: { models: ["a/cheap"] },
    t2: { models: ${JSON.stringify(FAILING)}, strategy: "sequential" },
  },
  classifiers: [keywordClassifier({ rules: [{ tier: "t2", match: ["refactor"] }] })],
  plugins: [lastFirst()],`,
  });
});
afterAll(() => h.stop());

test("explain and a real request agree on the tier and the candidate order, strategy plugin included", async () => {
  const body = { model: "auto", messages: [{ role: "user", content: "please refactor this module" }] };
  const explained = await h.running.gateway.explain(body);
  expect(explained.tier).toBe("t2");
  expect(explained.decidedBy).toBe("builtin:keywords");
  expect(explained.candidates.map((c) => c.ref)).toEqual([...FAILING].reverse());

  const response = await fetch(`${h.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(502); // every candidate fails: the attempts show the order they were tried in
  expect(response.headers.get("x-gateway-tier")).toBe(explained.tier);
  const { attemptTrace } = await loggedRequest(h, response.headers.get("x-request-id")!);
  const tried = (attemptTrace as AttemptSummary[]).map((a) => a.target);
  expect(tried).toEqual(explained.candidates.map((c) => c.ref));
});
