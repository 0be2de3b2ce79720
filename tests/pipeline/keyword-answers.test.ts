/**
 * The demo's `errorKeywordRetry({ keywords: ["rate limit", ...] })` against answers that discuss rate
 * limiting: a long answer (streamed or not) and the simulated provider's short echo of the question are
 * healthy, and the only model of the tier keeps a closed circuit; an error in disguise is still one, and
 * the body it was rejected for is kept in the attempt's record. Real HTTP: openai client → gateway → mock.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { LONG_ANSWER } from "../../bench/mock-upstream/body-faults.ts";
import { mockReply } from "../../bench/mock-upstream.ts";
import { collectStream, type Harness, startHarness } from "../helpers/gateway-harness.ts";
import { loggedRequest } from "../helpers/request-log.ts";

let h: Harness;
const ESSAY = "essay?fault=longAnswer&words=6&chunkDelayMs=5";
const ask = [{ role: "user" as const, content: "Design a distributed rate limiter" }];

beforeAll(async () => {
  h = await startHarness({
    providers: "sim: simulated({ latencyMs: 1, tokensPerSecond: 2000 }),",
    config: () => `
  retry: { rules: [errorKeywordRetry({ keywords: ["rate limit", "overloaded", "负载已饱和", "额度"] })], backoff: { baseMs: 5, maxMs: 20 } },
  tiers: {
    essay: { models: ["a/${ESSAY}"] },
    demo: { models: ["sim/large"] },
    disguised: { models: ["a/disguised?fault=keywordText", "b/fb-disguised"] },
    // one word, so one event: the stream's first content is the whole error, whatever the reads
    disguisedStream: { models: ["a/disguised1?fault=keywordText&message=Server_overloaded", "b/fb-disguised1"] },
  },`,
  });
});
afterAll(() => h.stop());

async function answer(model: string, stream: boolean) {
  if (!stream) {
    const { data, response } = await h.client.chat.completions.create({ model, messages: ask }).withResponse();
    return { text: data.choices[0].message.content ?? "", id: response.headers.get("x-request-id")!, error: undefined };
  }
  const { data, response } = await h.client.chat.completions
    .create({ model, messages: ask, stream: true })
    .withResponse();
  return { ...(await collectStream(data)), id: response.headers.get("x-request-id")! };
}

describe("answers that discuss rate limiting are healthy", () => {
  test("a long answer, not streamed", async () => {
    expect((await answer("essay", false)).text).toBe(LONG_ANSWER);
  });

  test("a long answer, streamed: its first event is a heading that names the topic", async () => {
    const { text, error } = await answer("essay", true);
    expect(error).toBeUndefined();
    expect(text).toBe(LONG_ANSWER);
  });

  test("the simulated provider's short echo of the question, streamed and not", async () => {
    expect((await answer("demo", false)).text).toContain('You asked: "Design a distributed rate limiter"');
    const streamed = await answer("demo", true);
    expect(streamed.error).toBeUndefined();
    expect(streamed.text).toContain("rate limiter");
  });

  test("the only model of the tier is not penalised for them", () => {
    for (const ref of [`a/${ESSAY}`, "sim/large"])
      expect(h.running.gateway.health.view(ref, Date.now())).toMatchObject({ score: 100, state: "closed" });
  });
});

describe("an error in disguise is still one", () => {
  /** The client's answer (the fallback's) and the first attempt's record, which was failed over. */
  async function rejected(model: string, stream: boolean) {
    const { text, id } = await answer(model, stream);
    expect(text).toBe(mockReply(8));
    const [first] = (await loggedRequest(h, id)).attemptTrace;
    expect(first.outcome).toBe("failover");
    return first;
  }

  test("non-stream: failover, and the rejected body is in the attempt's record", async () => {
    const first = await rejected("disguised", false);
    expect(first.reason).toContain("overloaded"); // "rate limit" is the prompt's own word: not counted
    expect(JSON.parse(first.body!).choices[0].message.content).toBe("Upstream overloaded, rate limit reached");
  });

  test("stream: failover, and the rejected first events are in the attempt's record", async () => {
    expect((await rejected("disguisedStream", true)).body).toContain('"content":"Server_overloaded"');
  });
});
