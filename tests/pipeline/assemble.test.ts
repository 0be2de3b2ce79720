/** A streamed answer reassembled for the request log: content, reasoning, tool calls, usage. */
import { expect, test } from "bun:test";
import { StreamAssembler } from "../../src/pipeline/assemble.ts";

const chunk = (choices: unknown[], extra: object = {}) => ({
  id: "c1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices,
  ...extra,
});

test("content and reasoning deltas join into one message", () => {
  const a = new StreamAssembler();
  a.add(chunk([{ index: 0, delta: { role: "assistant", content: "" } }]));
  a.add(chunk([{ index: 0, delta: { reasoning_content: "think " } }]));
  a.add(chunk([{ index: 0, delta: { reasoning_content: "more" } }]));
  a.add(chunk([{ index: 0, delta: { content: "Hel" } }]));
  a.add(chunk([{ index: 0, delta: { content: "lo 你好" } }]));
  a.add(chunk([{ index: 0, delta: {}, finish_reason: "stop" }]));
  a.add(chunk([], { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }));
  expect(a.result()).toEqual({
    id: "c1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "Hello 你好", reasoning_content: "think more" },
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  });
});

test("tool call fragments are joined by their index, ids and names kept", () => {
  const a = new StreamAssembler();
  a.add(
    chunk([
      {
        index: 0,
        delta: {
          role: "assistant",
          content: null,
          tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }],
        },
      },
    ]),
  );
  a.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] } }]));
  a.add(
    chunk([
      {
        index: 0,
        delta: {
          tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_time", arguments: "{}" } }],
        },
      },
    ]),
  );
  a.add(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] } }]));
  a.add(chunk([{ index: 0, delta: {}, finish_reason: "tool_calls" }]));
  const message = (a.result().choices as { message: { tool_calls: unknown[] } }[])[0].message;
  expect(message.tool_calls).toEqual([
    { type: "function", id: "call_a", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    { type: "function", id: "call_b", function: { name: "get_time", arguments: "{}" } },
  ]);
});

test("several choices (n > 1) stay apart", () => {
  const a = new StreamAssembler();
  a.add(
    chunk([
      { index: 1, delta: { content: "B" } },
      { index: 0, delta: { content: "A" } },
    ]),
  );
  a.add(
    chunk([
      { index: 0, delta: {}, finish_reason: "stop" },
      { index: 1, delta: {}, finish_reason: "length" },
    ]),
  );
  const choices = a.result().choices as { index: number; message: { content: string }; finish_reason: string }[];
  expect(choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
    [0, "A", "stop"],
    [1, "B", "length"],
  ]);
});
