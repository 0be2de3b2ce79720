/** Stage 1: what a chat request must look like before anything is forwarded, and what passes untouched. */
import { describe, expect, test } from "bun:test";
import { GatewayError } from "../../src/errors.ts";
import { parseChatRequest } from "../../src/pipeline/accept.ts";

const user = { role: "user", content: "hi" };
const body = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: "auto", messages: [user], ...extra });

/** The 400 a body gets: its message and `param`. */
function refusal(text: string, limits?: { maxJsonDepth: number }): { message: string; param?: string } {
  try {
    parseChatRequest(text, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(400);
    return { message: (error as GatewayError).message, param: (error as GatewayError).param };
  }
  throw new Error("expected the body to be refused");
}

const nested = (depth: number) =>
  `{"model":"auto","messages":[{"role":"user","content":"hi"}],"x":${"[".repeat(depth)}${"]".repeat(depth)}}`;

describe("nesting depth", () => {
  test("a body nested 50,000 deep is refused before JSON.parse", () => {
    const deep = nested(50_000);
    expect(refusal(deep).message).toContain("limits.maxJsonDepth");
  });

  test("the limit counts objects and arrays, not brackets inside strings", () => {
    expect(parseChatRequest(nested(63)).model).toBe("auto"); // 64 levels with the body's own: at the limit
    expect(refusal(nested(64)).message).toContain("64 levels");
    const quoted = JSON.stringify({
      model: "auto",
      messages: [{ role: "user", content: `${"[{".repeat(5000)} \\" ${"[".repeat(100)}` }],
    });
    expect(parseChatRequest(quoted).messages[0].role).toBe("user");
  });

  test("the limit is configurable", () => {
    expect(refusal(nested(10), { maxJsonDepth: 8 }).message).toContain("8 levels");
  });
});

describe("messages", () => {
  test("must be a non-empty array", () => {
    expect(refusal(JSON.stringify({ model: "auto" })).param).toBe("messages");
    expect(refusal(JSON.stringify({ model: "auto", messages: [] })).param).toBe("messages");
  });

  test("roles come from the known set", () => {
    for (const role of ["system", "developer", "user", "assistant", "tool", "function"])
      expect(() => parseChatRequest(JSON.stringify({ messages: [{ role, content: "x" }] }))).not.toThrow();
    const error = refusal(JSON.stringify({ messages: [user, { role: "wizard", content: "x" }] }));
    expect(error.param).toBe("messages[1].role");
    expect(error.message).toContain("wizard");
  });

  test("content is a string, null, absent or an array of known content parts", () => {
    const parts = [
      { type: "text", text: "look" },
      { type: "image_url", image_url: { url: "https://example.com/a.png", detail: "low" } },
      { type: "input_audio", input_audio: { data: "AAAA", format: "wav" } },
      { type: "file", file: { file_id: "file-1" } },
    ];
    const ok = JSON.stringify({
      messages: [
        { role: "system", content: null },
        { role: "user", content: parts },
        { role: "assistant", tool_calls: [] },
        { role: "assistant", content: [{ type: "refusal", refusal: "no" }] },
      ],
    });
    expect(parseChatRequest(ok).messages).toHaveLength(4);
    expect(
      refusal(
        JSON.stringify({ messages: [user, user, user, { role: "user", content: [{ type: "video", video: {} }] }] }),
      ).param,
    ).toBe("messages[3].content[0].type");
    expect(refusal(JSON.stringify({ messages: [{ role: "user", content: 42 }] })).param).toBe("messages[0].content");
    expect(refusal(JSON.stringify({ messages: [{ role: "user", content: [{ type: "text", text: 5 }] }] })).param).toBe(
      "messages[0].content[0].text",
    );
    expect(
      refusal(
        JSON.stringify({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { href: "x" } }] }] }),
      ).param,
    ).toBe("messages[0].content[0].image_url.url");
    expect(refusal(JSON.stringify({ messages: [{ role: "user", content: ["hi"] }] })).param).toBe(
      "messages[0].content[0]",
    );
  });
});

describe("tools", () => {
  test("function and custom tools shaped as the API defines them pass", () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "d",
          parameters: { type: "object", properties: { city: { type: "string" } } },
          strict: true,
        },
      },
      { type: "function", function: { name: "no_params" } },
      { type: "custom", custom: { name: "code_exec", format: { type: "text" } } },
    ];
    expect(parseChatRequest(body({ tools })).tools).toEqual(tools);
  });

  test("a malformed tool is refused naming the field", () => {
    expect(refusal(body({ tools: {} })).param).toBe("tools");
    expect(refusal(body({ tools: [{ type: "retrieval" }] })).param).toBe("tools[0].type");
    expect(refusal(body({ tools: [{ type: "function", name: "f" }] })).param).toBe("tools[0].function");
    expect(refusal(body({ tools: [{ type: "function", function: { name: 7 } }] })).param).toBe(
      "tools[0].function.name",
    );
    expect(refusal(body({ tools: [{ type: "function", function: { name: "f", parameters: "{}" } }] })).param).toBe(
      "tools[0].function.parameters",
    );
  });
});

describe("numeric ranges", () => {
  test("values in range (and null) pass", () => {
    expect(() =>
      parseChatRequest(body({ n: 1, max_tokens: 100, max_completion_tokens: null, temperature: 2, top_p: 0 })),
    ).not.toThrow();
  });

  test("values out of range or of the wrong type are refused naming the field", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ n: 0 }, "n"],
      [{ n: 1.5 }, "n"],
      [{ n: 1000 }, "n"],
      [{ max_tokens: 0 }, "max_tokens"],
      [{ max_tokens: "100" }, "max_tokens"],
      [{ max_completion_tokens: -1 }, "max_completion_tokens"],
      [{ temperature: 2.5 }, "temperature"],
      [{ temperature: -0.1 }, "temperature"],
      [{ top_p: 1.01 }, "top_p"],
    ];
    for (const [extra, param] of cases) expect(refusal(body(extra)).param).toBe(param);
  });
});

test("unknown top-level fields pass through untouched", () => {
  const extra = {
    seed: 7,
    response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } },
    vendor_option: [1, { a: null }],
  };
  expect(parseChatRequest(body(extra))).toMatchObject(extra);
});
