import { describe, expect, test } from "bun:test";
import { parseTierAnswer } from "../../../plugins/classifiers/llm-intent-classifier.ts";
import { llmIntentClassifier } from "../../../plugins/index.ts";
import type { ChatMessage, DirectAnswer, DirectRequest, RequestContext } from "../../../src/index.ts";
import { classifyWith, type FixedClock, requestContext, silentLogger } from "../../helpers/run-hooks.ts";

interface Call {
  request: DirectRequest;
  options?: { timeoutMs?: number };
}

/** A `complete` that answers `text` and records each call. */
function answering(text: string) {
  const calls: Call[] = [];
  const complete: RequestContext["complete"] = async (request, options) => {
    calls.push({ request, options });
    return { text, body: {} } satisfies DirectAnswer;
  };
  return { complete, calls };
}

const promptOf = (call: Call) => String(call.request.messages[0].content);
const MODEL = "deepseek/deepseek-chat";

describe("llmIntentClassifier", () => {
  test("asks the model with max_tokens 10, temperature 0 and the timeout", async () => {
    const { complete, calls } = answering("t2");
    await classifyWith(llmIntentClassifier({ model: MODEL, timeoutMs: 2_000 }), {
      text: "write a SQL query",
      complete,
    });
    expect(calls).toHaveLength(1);
    expect(calls[0].request).toMatchObject({ model: MODEL, max_tokens: 10, temperature: 0 });
    expect(calls[0].request.messages).toHaveLength(1);
    expect(calls[0].options).toEqual({ timeoutMs: 2_000 });
  });

  test("answers the tier the model named", async () => {
    const { complete } = answering("t3");
    expect(
      await classifyWith(llmIntentClassifier({ model: MODEL }), { text: "design a payment system", complete }),
    ).toMatchObject({ tier: "t3" });
  });

  test("{history} holds the last 3 user messages, oldest first, without assistant turns", async () => {
    const messages: ChatMessage[] = ["one", "two", "three", "four"].flatMap((t) => [
      { role: "user", content: `user ${t}` },
      { role: "assistant", content: `assistant ${t}` },
    ]);
    messages.pop(); // the conversation ends on the user's "user four"
    const { complete, calls } = answering("t1");
    await classifyWith(llmIntentClassifier({ model: MODEL }), { text: "user four", messages, complete });
    const prompt = promptOf(calls[0]);
    expect(prompt).toContain("User: user two\nUser: user three\nUser: user four");
    expect(prompt).not.toContain("user one");
    expect(prompt).not.toContain("assistant");
  });

  test("history sets how many user messages the model sees", async () => {
    const messages: ChatMessage[] = [
      { role: "user", content: "first" },
      { role: "user", content: "second" },
    ];
    const { complete, calls } = answering("t1");
    await classifyWith(llmIntentClassifier({ model: MODEL, history: 1, prompt: "[{history}]" }), {
      text: "second",
      messages,
      complete,
    });
    expect(promptOf(calls[0])).toBe("[User: second]");
  });

  test("each message is cut to maxChars, keeping its start and its end", async () => {
    const long = `START ${"x".repeat(2_000)} END`;
    const { complete, calls } = answering("t1");
    await classifyWith(llmIntentClassifier({ model: MODEL, maxChars: 100, prompt: "{history}" }), {
      text: long,
      complete,
    });
    const line = promptOf(calls[0]).slice("User: ".length);
    expect(line.length).toBeLessThanOrEqual(100);
    expect(line.startsWith("START")).toBe(true);
    expect(line.endsWith("END")).toBe(true);
    expect(line).toContain("(truncated)");
  });

  test("the default prompt defines the three tiers and asks for one label", async () => {
    const { complete, calls } = answering("t1");
    await classifyWith(llmIntentClassifier({ model: MODEL }), { text: "你好", complete });
    const prompt = promptOf(calls[0]);
    for (const part of ["t1 =", "t2 =", "t3 =", "User: 你好", "exactly one word: t1, t2 or t3"])
      expect(prompt).toContain(part);
  });

  test("a user's text with $& stays as it is in the prompt", async () => {
    const { complete, calls } = answering("t1");
    await classifyWith(llmIntentClassifier({ model: MODEL, prompt: "<{history}>" }), {
      text: "price is $& and $1",
      complete,
    });
    expect(promptOf(calls[0])).toBe("<User: price is $& and $1>");
  });

  test("a prompt without {history} is rejected at config load", () => {
    expect(() => llmIntentClassifier({ model: MODEL, prompt: "classify this" })).toThrow(/prompt/);
  });

  test("tiers maps the model's label to the config's tier names", async () => {
    const { complete } = answering("t2");
    const named = llmIntentClassifier({ model: MODEL, tiers: { t2: "capable" } });
    expect((await classifyWith(named, { text: "write a function", complete }))?.tier).toBe("capable");
  });

  describe("reading the answer", () => {
    const cases: [string, string][] = [
      ["t2", "t2"],
      ["T3", "t3"],
      ["  t1\n", "t1"],
      ["tier 2", "t2"],
      ["Tier: 3", "t3"],
      ["The request needs T2.", "t2"],
      ['{"tier":"t2"}', "t2"],
      ['{"tier": 3}', "t3"],
      ['```json\n{"tier": "T1"}\n```', "t1"],
    ];
    for (const [answer, tier] of cases) {
      test(`${JSON.stringify(answer)} is ${tier}`, () => {
        expect(parseTierAnswer(answer)).toBe(tier as "t1");
      });
    }

    test("the first standalone label wins", () => {
      expect(parseTierAnswer("t2, maybe t3")).toBe("t2");
    });

    test("labels inside other words or numbers are not labels", () => {
      expect(parseTierAnswer("at1 t12 t4 tier 5")).toBeUndefined();
    });

    test("an answer without a label is no answer, logged at warn", async () => {
      const log = silentLogger();
      const { complete } = answering("I think this is a medium-difficulty request.");
      expect(
        await classifyWith(llmIntentClassifier({ model: MODEL }), { text: "hello", complete, log }),
      ).toBeUndefined();
      expect(log.messages.map((m) => m.level)).toEqual(["warn"]);
    });
  });

  describe("failures", () => {
    test("a timeout is no answer, so the next classifier decides", async () => {
      const complete: RequestContext["complete"] = () =>
        Promise.reject(new Error("deepseek/deepseek-chat: timeout_first_token"));
      expect(await classifyWith(llmIntentClassifier({ model: MODEL }), { text: "hello", complete })).toBeUndefined();
    });

    test("a rejected call is no answer, logged at warn without the prompt text", async () => {
      const log = silentLogger();
      const complete: RequestContext["complete"] = () => Promise.reject(new Error("upstream 503"));
      const secret = "my secret project codename is BLUEBIRD";
      expect(
        await classifyWith(llmIntentClassifier({ model: MODEL }), { text: secret, complete, log }),
      ).toBeUndefined();
      expect(log.messages).toHaveLength(1);
      expect(log.messages[0]).toMatchObject({ level: "warn", data: { model: MODEL, error: "upstream 503" } });
      expect(JSON.stringify(log.messages)).not.toContain("BLUEBIRD");
    });

    test("a request without user text is not sent to the model", async () => {
      const { complete, calls } = answering("t1");
      expect(
        await classifyWith(llmIntentClassifier({ model: MODEL }), {
          text: "",
          messages: [{ role: "system", content: "be brief" }],
          complete,
        }),
      ).toBeUndefined();
      expect(calls).toHaveLength(0);
    });
  });

  describe("cache", () => {
    test("the same messages within the TTL reuse the answer: the model is asked once", async () => {
      const { complete, calls } = answering("t2");
      const plugin = llmIntentClassifier({ model: MODEL });
      const ctx = requestContext({ text: "write a SQL query", complete });
      expect(await plugin.classify(ctx)).toMatchObject({ tier: "t2" });
      (ctx.clock as FixedClock).advance(59_000);
      expect(await plugin.classify(ctx)).toMatchObject({ tier: "t2", reason: expect.stringContaining("cached") });
      expect(calls).toHaveLength(1);
    });

    test("after the TTL the model is asked again", async () => {
      const { complete, calls } = answering("t2");
      const plugin = llmIntentClassifier({ model: MODEL, cacheTtlMs: 60_000 });
      const ctx = requestContext({ text: "write a SQL query", complete });
      await plugin.classify(ctx);
      (ctx.clock as FixedClock).advance(60_001);
      await plugin.classify(ctx);
      expect(calls).toHaveLength(2);
    });

    test("different messages are different entries", async () => {
      const { complete, calls } = answering("t1");
      const plugin = llmIntentClassifier({ model: MODEL });
      await plugin.classify(requestContext({ text: "hello", complete }));
      await plugin.classify(requestContext({ text: "hello!", complete }));
      expect(calls).toHaveLength(2);
    });

    test("cacheTtlMs: 0 disables the cache", async () => {
      const { complete, calls } = answering("t1");
      const plugin = llmIntentClassifier({ model: MODEL, cacheTtlMs: 0 });
      const ctx = requestContext({ text: "hello", complete });
      await plugin.classify(ctx);
      await plugin.classify(ctx);
      expect(calls).toHaveLength(2);
    });

    test("the cache keeps at most cacheSize answers, dropping the least recently used", async () => {
      const { complete, calls } = answering("t1");
      const plugin = llmIntentClassifier({ model: MODEL, cacheSize: 2 });
      const ask = (text: string) => plugin.classify(requestContext({ text, complete }));
      await ask("a");
      await ask("b");
      await ask("a"); // a is now the most recently used
      await ask("c"); // evicts b
      expect(calls).toHaveLength(3);
      await ask("a");
      expect(calls).toHaveLength(3);
      await ask("b");
      expect(calls).toHaveLength(4);
    });

    test("a failed call is not cached", async () => {
      let fail = true;
      const calls: number[] = [];
      const complete: RequestContext["complete"] = async () => {
        calls.push(1);
        if (fail) throw new Error("timeout");
        return { text: "t3", body: {} };
      };
      const plugin = llmIntentClassifier({ model: MODEL });
      const ctx = requestContext({ text: "design a bank", complete });
      expect(await plugin.classify(ctx)).toBeUndefined();
      fail = false;
      expect(await plugin.classify(ctx)).toMatchObject({ tier: "t3" });
      expect(calls).toHaveLength(2);
    });
  });

  test("in a cluster, a question one process asked is answered for the others from the shared cache", async () => {
    const shared = new Map<string, { value: string; ttlMs: number }>();
    const cache: RequestContext["cache"] = {
      get: async (key) => shared.get(key)?.value,
      set: (key, value, ttlMs) => void shared.set(key, { value, ttlMs }),
    };
    const { complete, calls } = answering("t3");
    // Two processes: two classifier instances (each its own local cache), one shared cache.
    const first = await classifyWith(llmIntentClassifier({ model: MODEL }), { text: "prove it", complete, cache });
    const second = await classifyWith(llmIntentClassifier({ model: MODEL }), { text: "prove it", complete, cache });
    expect(first).toMatchObject({ tier: "t3", reason: `${MODEL} said t3` });
    expect(second).toMatchObject({ tier: "t3", reason: `${MODEL} said t3 (cached by the cluster)` });
    expect(calls).toHaveLength(1);
    expect([...shared.values()]).toEqual([{ value: "t3", ttlMs: 60_000 }]);
    // cacheTtlMs: 0 turns both caches off.
    await classifyWith(llmIntentClassifier({ model: MODEL, cacheTtlMs: 0 }), { text: "prove it", complete, cache });
    expect(calls).toHaveLength(2);
    // What the shared cache holds is checked like a model's answer: junk there is no answer.
    shared.clear();
    const junk: RequestContext["cache"] = { get: async () => "maybe", set: () => {} };
    await classifyWith(llmIntentClassifier({ model: MODEL }), { text: "prove it", complete, cache: junk });
    expect(calls).toHaveLength(3);
  });
});
