/**
 * The shipped gateway.config.ts's `errorKeywordRetry` catches errors in disguise by the phrases errors
 * use, not by topic: a short healthy answer (or a stream's first content) about rate limiters, overloaded
 * servers or quotas passes, even when the question used other words; "Upstream overloaded, rate limit
 * reached" and its kin still fail over. Judged by the demo's own rule, then over real HTTP with the
 * demo's retry rules in front of the mock upstream.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockReply } from "../../bench/mock-upstream.ts";
import { formatIssues, loadConfig } from "../../src/config/load.ts";
import type { RetryRule } from "../../src/plugin/types.ts";
import { type Harness, ROOT, startHarness } from "../helpers/gateway-harness.ts";
import { loggedRequest } from "../helpers/request-log.ts";
import { attempt, judgeWith, outcome } from "../helpers/run-hooks.ts";

/** Healthy answers that discuss the topics the old keywords named, short enough to be checked. */
const HEALTHY = [
  "Put a rate limiter in front of the API: a token bucket per client, and answer 429 with Retry-After.",
  "Rate limiting protects a service; a sliding window counts requests per key over the last minute.",
  "An overloaded server should shed load early: queue limits, timeouts and a circuit breaker help.",
  "Overload protection: cap requests in flight, then refuse the rest with 503.",
  "令牌桶可以用来做限流，额度按每分钟补充。",
  "## Rate limiter design", // a stream's first content: a heading that names the topic
];

/** Errors in disguise, as upstreams send them with a 200. */
const DISGUISED = [
  "Upstream overloaded, rate limit reached",
  "Rate limit exceeded, please retry later.",
  "Sorry, the server is currently overloaded.",
  "Overloaded",
  "Error: overloaded_error",
  "当前模型负载已饱和，请稍后再试",
  "您的额度已用完，请充值",
  "账户额度不足",
];

const dir = mkdtempSync(join(tmpdir(), "smartroute-demo-rule-"));
let rule: RetryRule;

beforeAll(async () => {
  // A copy in a directory of its own, as tests/config/demo-config.test.ts loads it.
  const demo = readFileSync(join(ROOT, "gateway.config.ts"), "utf8").replaceAll('from "./', `from "${ROOT}/`);
  writeFileSync(join(dir, "gateway.config.ts"), demo);
  const result = await loadConfig({ path: join(dir, "gateway.config.ts"), projectRoot: dir });
  if (!result.ok) throw new Error(formatIssues(result.issues));
  const found = result.config.retry.rules.find((r) => r.name === "builtin:error-keyword-retry");
  if (!found) throw new Error("the demo config has no errorKeywordRetry rule");
  rule = found;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The question asked in other words than the answer's, so the prompt's own words exempt nothing. */
const asked = (stream = false) => attempt({ prompt: "How do I stop one client from hogging my API?", stream });
const answered = (text: string) => outcome({ ok: true, status: 200, text });

describe("the demo's errorKeywordRetry", () => {
  test.each(HEALTHY)("a healthy answer passes: %s", (text) => {
    expect(judgeWith(rule, answered(text), asked())).toBeUndefined();
    expect(judgeWith(rule, answered(text), asked(true))).toBeUndefined();
  });

  test.each(DISGUISED)("an error in disguise fails over: %s", (text) => {
    expect(judgeWith(rule, answered(text), asked())?.action).toBe("failover");
  });

  test("an error body with an error phrase fails over too (any status but 429)", () => {
    const error = outcome({ status: 400, errorClass: "http", errorText: "The engine is currently overloaded" });
    expect(judgeWith(rule, error, asked())?.action).toBe("failover");
  });
});

describe("over HTTP, with the demo's retry rules", () => {
  let h: Harness;
  const healthy = encodeURIComponent(HEALTHY[0]);

  beforeAll(async () => {
    h = await startHarness({
      imports: `import demo from "${ROOT}/gateway.config.ts";`,
      config: () => `
  retry: { ...demo.retry, backoff: { baseMs: 5, maxMs: 20 } },
  tiers: {
    healthy: { models: ["a/limiter?text=${healthy}", "b/fb-healthy"] },
    // One tier each: a target that answered so is cooled down, so the next request would start elsewhere.
    disguised: { models: ["a/disguised?fault=keywordText", "b/fb-disguised"] },
    disguisedStream: { models: ["a/disguised-stream?fault=keywordText", "b/fb-disguised"] },
  },`,
    });
  });
  afterAll(() => h.stop());

  const ask = async (model: string, stream: boolean) => {
    const messages = [{ role: "user" as const, content: "How do I stop one client from hogging my API?" }];
    if (!stream) {
      const { data, response } = await h.client.chat.completions.create({ model, messages }).withResponse();
      return { text: data.choices[0].message.content ?? "", id: response.headers.get("x-request-id")! };
    }
    const { data, response } = await h.client.chat.completions.create({ model, messages, stream: true }).withResponse();
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? "";
    return { text, id: response.headers.get("x-request-id")! };
  };

  test.each([false, true])("a healthy answer about rate limiters is the client's (stream: %p)", async (stream) => {
    const { text, id } = await ask("healthy", stream);
    expect(text).toBe(HEALTHY[0]);
    const row = await loggedRequest(h, id);
    expect(row.attemptTrace.map((a) => `${a.target} ${a.outcome}`)).toEqual([`a/limiter?text=${healthy} accepted`]);
  });

  test.each([false, true])("an error in disguise fails over to the next model (stream: %p)", async (stream) => {
    const { text, id } = await ask(stream ? "disguisedStream" : "disguised", stream);
    expect(text).toBe(mockReply(8));
    const [first, second] = (await loggedRequest(h, id)).attemptTrace;
    const target = stream ? "a/disguised-stream?fault=keywordText" : "a/disguised?fault=keywordText";
    expect(first).toMatchObject({ target, outcome: "failover" });
    expect(first.reason).toContain("rate limit (exceeded|reached)");
    // What it was rejected for is in the log: the answer, or a stream's first events (one delta a word).
    expect(first.body).toContain(stream ? '"content":"overloaded, "' : "Upstream overloaded, rate limit reached");
    expect(second).toMatchObject({ target: "b/fb-disguised", outcome: "accepted" });
  });
});
