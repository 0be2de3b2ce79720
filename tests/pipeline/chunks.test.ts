import { describe, expect, test } from "bun:test";
import { chunkFacts, completionFacts, errorIn } from "../../src/pipeline/chunks.ts";

/** An OpenAI chat.completion.chunk with the envelope a real upstream sends. */
const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
  id: "chatcmpl-AbC123",
  object: "chat.completion.chunk",
  created: 1_736_942_400,
  model: "gpt-4o-mini-2024-07-18",
  system_fingerprint: "fp_0aa8d3e20b",
  choices,
  ...extra,
});

const choice = (delta: Record<string, unknown>, finish_reason: string | null = null, index = 0) => ({
  index,
  delta,
  logprobs: null,
  finish_reason,
});

const usage = { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 };

describe("chunkFacts", () => {
  test("the role chunk carries no text, no tool call and finishes nothing", () => {
    const facts = chunkFacts(chunk([choice({ role: "assistant", content: "", refusal: null })]));
    expect(facts).toMatchObject({
      text: "",
      content: "",
      toolCalls: false,
      finished: [],
      choices: [0],
      usageOnly: false,
    });
    expect(facts.usage).toBeUndefined();
  });

  test("a content chunk's text is both its text and its content", () => {
    const facts = chunkFacts(chunk([choice({ content: "Hello" })]));
    expect(facts.text).toBe("Hello");
    expect(facts.content).toBe("Hello");
  });

  test("a tool_calls delta is a tool call without text", () => {
    const delta = {
      tool_calls: [{ index: 0, id: "call_9x", type: "function", function: { name: "get_weather", arguments: "" } }],
    };
    const facts = chunkFacts(chunk([choice(delta)]));
    expect(facts.toolCalls).toBe(true);
    expect(facts.text).toBe("");
  });

  test("a tool call argument fragment (no id) still counts as a tool call", () => {
    const facts = chunkFacts(chunk([choice({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] })]));
    expect(facts.toolCalls).toBe(true);
  });

  test("an empty tool_calls array is not a tool call", () => {
    expect(chunkFacts(chunk([choice({ content: "x", tool_calls: [] })])).toolCalls).toBe(false);
  });

  test("the finish chunk names the choice it finishes and why", () => {
    const facts = chunkFacts(chunk([choice({}, "stop")]));
    expect(facts.finished).toEqual([[0, "stop"]]);
    expect(facts.text).toBe("");
  });

  test("a chunk with `usage: null` (include_usage set, not the last chunk) has no usage", () => {
    const facts = chunkFacts(chunk([choice({ content: "Hi" })], { usage: null }));
    expect(facts.usage).toBeUndefined();
    expect(facts.usageOnly).toBe(false);
  });

  test("the usage-only chunk (empty choices) is recognised and carries the usage", () => {
    const facts = chunkFacts(chunk([], { usage }));
    expect(facts.usageOnly).toBe(true);
    expect(facts.usage).toEqual(usage);
    expect(facts.choices).toEqual([]);
  });

  test("a finish chunk that also carries usage is not usage-only", () => {
    const facts = chunkFacts(chunk([choice({}, "length")], { usage }));
    expect(facts.usageOnly).toBe(false);
    expect(facts.usage).toEqual(usage);
    expect(facts.finished).toEqual([[0, "length"]]);
  });

  test("reasoning_content counts as text but not as the answer's content", () => {
    const facts = chunkFacts(chunk([choice({ content: null, reasoning_content: "Let me think." })]));
    expect(facts.text).toBe("Let me think.");
    expect(facts.content).toBe("");
  });

  test("with n=2, both choices' deltas and finishes are reported by index", () => {
    const facts = chunkFacts(chunk([choice({ content: "A" }, null, 0), choice({ content: "B" }, "stop", 1)]));
    expect(facts.choices).toEqual([0, 1]);
    expect(facts.text).toBe("AB");
    expect(facts.finished).toEqual([[1, "stop"]]);
  });

  test("something that is not a chunk yields empty facts", () => {
    for (const value of [null, "data", 42, [1, 2]]) {
      expect(chunkFacts(value)).toEqual({
        text: "",
        content: "",
        toolCalls: false,
        finished: [],
        choices: [],
        usageOnly: false,
      });
    }
  });
});

describe("completionFacts", () => {
  const completion = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    id: "chatcmpl-AbC123",
    object: "chat.completion",
    created: 1_736_942_400,
    model: "gpt-4o-mini-2024-07-18",
    choices,
    usage,
    ...extra,
  });
  const answer = (message: Record<string, unknown>, index = 0) => ({
    index,
    message: { role: "assistant", ...message },
    logprobs: null,
    finish_reason: "stop",
  });

  test("a plain answer: its text, one choice, the usage", () => {
    expect(completionFacts(completion([answer({ content: "Paris.", refusal: null })]))).toEqual({
      text: "Paris.",
      toolCalls: false,
      choices: 1,
      usage,
    });
  });

  test("a tool-call answer with null content has no text and a tool call", () => {
    const message = {
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }],
    };
    const facts = completionFacts(completion([answer(message)]));
    expect(facts.text).toBe("");
    expect(facts.toolCalls).toBe(true);
  });

  test("reasoning_content counts as text", () => {
    expect(completionFacts(completion([answer({ content: "42", reasoning_content: "6*7=" })])).text).toContain("6*7=");
  });

  test("n=2: both choices are counted and their texts kept", () => {
    const facts = completionFacts(completion([answer({ content: "one" }, 0), answer({ content: "two" }, 1)]));
    expect(facts.choices).toBe(2);
    expect(facts.text).toContain("one");
    expect(facts.text).toContain("two");
  });

  test("an empty completion (no choices) has no text and zero choices", () => {
    expect(completionFacts(completion([]))).toMatchObject({ text: "", choices: 0, toolCalls: false });
  });
});

describe("errorIn", () => {
  test("an OpenAI error object: its message and code", () => {
    const body = {
      error: { message: "Rate limit reached for gpt-4o", type: "requests", param: null, code: "rate_limit_exceeded" },
    };
    expect(errorIn(body)).toEqual({ message: "Rate limit reached for gpt-4o", code: "rate_limit_exceeded" });
  });

  test("without a code, the error type stands for it", () => {
    expect(errorIn({ error: { message: "The server had an error", type: "server_error", code: null } })).toEqual({
      message: "The server had an error",
      code: "server_error",
    });
  });

  test("an error given as a plain string", () => {
    expect(errorIn({ error: "overloaded" })).toEqual({ message: "overloaded" });
  });

  test("an error object without a message is shown whole", () => {
    expect(errorIn({ error: { code: 1234, detail: "busy" } })?.message).toContain("busy");
  });

  test("a normal chunk or completion has no error", () => {
    expect(errorIn(chunk([choice({ content: "Hi" })]))).toBeUndefined();
  });

  test("`error: null` is no error", () => {
    expect(errorIn({ error: null, choices: [] })).toBeUndefined();
  });

  test("non-objects have no error", () => {
    for (const value of [null, undefined, "error", 5, [{ error: "x" }]]) expect(errorIn(value)).toBeUndefined();
  });
});
