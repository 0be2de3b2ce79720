import { describe, expect, test } from "bun:test";
import { inputKey, VerdictCache } from "../../../plugins/classifiers/complexity/verdict-cache.ts";
import { complexityClassifier } from "../../../plugins/index.ts";
import type { ChatMessage, ChatRequest } from "../../../src/index.ts";
import { classifyWith } from "../../helpers/run-hooks.ts";

const view = (text: string, extra: Partial<ChatRequest> = {}, earlier: ChatMessage[] = []) => {
  const messages: ChatMessage[] = [...earlier, { role: "user", content: text }];
  return { body: { model: "auto", messages, ...extra } as ChatRequest, text, messages };
};

describe("complexity verdict cache", () => {
  test("the same inputs give the same key; the text, a role, an earlier turn or the shape change it", () => {
    const key = inputKey(view("Prove that there are infinitely many primes."));
    expect(inputKey(view("Prove that there are infinitely many primes."))).toBe(key);
    expect(inputKey(view("Prove that there are infinitely many twin primes."))).not.toBe(key);
    expect(inputKey(view("Prove that there are infinitely many primes.", { reasoning_effort: "high" }))).not.toBe(key);
    expect(
      inputKey(view("Prove that there are infinitely many primes.", {}, [{ role: "user", content: "hi" }])),
    ).not.toBe(key);
    expect(
      inputKey(view("Prove that there are infinitely many primes.", {}, [{ role: "system", content: "hi" }])),
    ).not.toBe(inputKey(view("Prove that there are infinitely many primes.", {}, [{ role: "user", content: "hi" }])));
  });

  test("inputs too long to keep are not cached", () => {
    expect(inputKey(view("x".repeat(10_000)))).toBeUndefined();
    expect(inputKey({ ...view("hi"), body: { model: "auto" } as ChatRequest })).toBeUndefined();
    const cache = new VerdictCache<number>();
    let computed = 0;
    cache.get(undefined, () => ++computed);
    cache.get(undefined, () => ++computed);
    expect(computed).toBe(2);
    expect(cache.size).toBe(0);
  });

  test("a repeated key is computed once; the least recently used entry goes past the bound", () => {
    const cache = new VerdictCache<string>();
    let computed = 0;
    const compute = (v: string) => () => (computed++, v);
    expect(cache.get("a", compute("A"))).toBe("A");
    expect(cache.get("a", compute("other"))).toBe("A");
    expect(computed).toBe(1);
    for (let i = 0; i < 300; i++) cache.get(`k${i}`, compute(String(i)));
    expect(cache.size).toBe(256);
    expect(cache.get("a", compute("again"))).toBe("again");
  });

  test("the classifier answers a repeated request as it answered the first time", async () => {
    const plugin = complexityClassifier();
    const text = "Derive the closed form of the Fibonacci sequence and prove it by induction.";
    const first = await classifyWith(plugin, { text });
    expect(await classifyWith(plugin, { text })).toEqual(first);
    expect(await classifyWith(complexityClassifier(), { text })).toEqual(first);
  });
});
