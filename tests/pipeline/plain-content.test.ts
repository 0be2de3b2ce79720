/**
 * `plainContent` reads a stream chunk's text without parsing it, and must never be wrong about a chunk it
 * accepts: whatever it accepts must parse to a chunk with that text for choice 0 and nothing else a
 * decision or the log reads (no finish, usage, tool call, role, reasoning, refusal, error). Checked on
 * hand-made chunks of every provider shape the gateway meets and on thousands of random ones.
 */
import { describe, expect, test } from "bun:test";
import { StreamAssembler } from "../../src/pipeline/assemble.ts";
import { chunkFacts, contentFacts, errorIn, plainContent } from "../../src/pipeline/chunks.ts";
import { seededRandom } from "../helpers/run-hooks.ts";

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}, finish: unknown = null) =>
  JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });

/** Accepted: the text it read is the chunk's whole meaning. */
function checkAccepted(data: string, content: string): void {
  const parsed = JSON.parse(data);
  expect(errorIn(parsed)).toBeUndefined();
  expect(chunkFacts(parsed)).toEqual(contentFacts(content));
  expect(parsed.choices[0].delta.role).toBeUndefined();
  const a = new StreamAssembler();
  const b = new StreamAssembler();
  a.add(parsed);
  b.addContent(content);
  // The id, model and created of a stream come from its first chunk, which has a role and is parsed.
  expect(b.result().choices).toEqual(a.result().choices);
}

describe("plainContent", () => {
  test("reads the text of a content delta, escapes and all", () => {
    for (const text of [
      "Hello",
      "",
      ' say "hi"',
      "a\\b",
      "line\nbreak\ttab",
      "中文内容",
      "emoji 🎉 and \u2028",
      'tricky: "finish_reason":"stop" and "content":"x" and "error"',
      "ends with a backslash \\",
    ]) {
      const data = chunk({ content: text });
      const read = plainContent(data);
      if (read === undefined) {
        // Declining is always safe; only text that names a blocking key may be declined.
        expect(text).toMatch(
          /"(error|usage|tool_calls|function_call|reasoning|refusal|role|content|finish_reason|index|delta)/,
        );
        continue;
      }
      expect(read).toBe(text);
      checkAccepted(data, read);
    }
  });

  test("declines every chunk that carries more than text", () => {
    const declined = [
      chunk({ role: "assistant", content: "" }),
      chunk({ content: "x" }, {}, "stop"),
      chunk({}, {}, "stop"),
      chunk({ content: "x" }, { usage: { prompt_tokens: 1, completion_tokens: 1 } }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
      chunk({ content: null, function_call: { name: "f" } }),
      chunk({ reasoning_content: "think" }),
      chunk({ content: "x", reasoning: "think" }),
      chunk({ refusal: "no" }),
      JSON.stringify({ error: { message: "overloaded", code: "503" } }),
      JSON.stringify({ choices: [{ index: 1, delta: { content: "x" }, finish_reason: null }] }),
      JSON.stringify({
        choices: [
          { index: 0, delta: { content: "x" }, finish_reason: null },
          { index: 1, delta: { content: "y" }, finish_reason: null },
        ],
      }),
      JSON.stringify({ choices: [{ index: 0, delta: { content: "x" } }] }), // no finish_reason written
      JSON.stringify({ choices: [{ index: 0, delta: { content: "x" }, finish_reason: null }] }, null, 1),
      '{"choices":[{"index":0,"delta":{"content": "x"},"finish_reason":null}]}',
      '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason" : "stop"}]}',
      '{"choices":[{"index":0,"delta":{"content":"x\\q"},"finish_reason":null}]}', // a bad escape
      '{"choices":[{"index":0,"delta":{"content":"never closed',
    ];
    for (const data of declined) expect(plainContent(data)).toBeUndefined();
  });

  test("on random chunks of every shape, whatever it accepts means exactly its text", () => {
    const random = seededRandom(16);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const texts = [
      "a",
      " b",
      '"q"',
      "\\",
      "\n",
      "é",
      "🎉",
      '"content":"',
      '"finish_reason":"stop"',
      '"error"',
      "{}",
      "],",
    ];
    const text = () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(texts)).join("");
    const shuffled = (entries: [string, unknown][]) => Object.fromEntries(entries.sort(() => random() - 0.5));
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const delta: [string, unknown][] = [];
      if (random() < 0.8) delta.push(["content", random() < 0.9 ? text() : null]);
      if (random() < 0.1) delta.push(["role", "assistant"]);
      if (random() < 0.05) delta.push(["reasoning_content", text()]);
      if (random() < 0.05) delta.push(["tool_calls", [{ index: 0, function: { arguments: text() } }]]);
      if (random() < 0.03) delta.push(["refusal", text()]);
      const choice: [string, unknown][] = [
        ["index", random() < 0.9 ? 0 : 1],
        ["delta", shuffled(delta)],
      ];
      const finish = random();
      if (finish < 0.8) choice.push(["finish_reason", null]);
      else if (finish < 0.9) choice.push(["finish_reason", pick(["stop", "length", "tool_calls"])]);
      if (random() < 0.2)
        choice.push(["logprobs", random() < 0.5 ? null : { content: [{ token: text(), logprob: -1 }] }]);
      const top: [string, unknown][] = [
        ["id", `chatcmpl-${text()}`],
        ["object", "chat.completion.chunk"],
        ["created", 1],
        ["model", text()],
        ["choices", random() < 0.95 ? [shuffled(choice)] : []],
      ];
      if (random() < 0.05) top.push(["usage", { prompt_tokens: 1, completion_tokens: 2 }]);
      if (random() < 0.03) top.push(["error", { message: text() }]);
      const value = shuffled(top);
      const data = random() < 0.1 ? JSON.stringify(value, null, 1) : JSON.stringify(value);
      const read = plainContent(data);
      if (read === undefined) continue;
      accepted += 1;
      checkAccepted(data, read);
    }
    expect(accepted).toBeGreaterThan(1000); // the fast path is really taken
  });
});
