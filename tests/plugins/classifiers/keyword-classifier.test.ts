import { describe, expect, test } from "bun:test";
import { defaultKeywordRules, keywordClassifier } from "../../../plugins/index.ts";
import type { ChatMessage } from "../../../src/index.ts";
import { classifyWith } from "../../helpers/run-hooks.ts";

const tierOf = async (plugin: ReturnType<typeof keywordClassifier>, text: string, messages?: ChatMessage[]) =>
  (await classifyWith(plugin, { text, messages }))?.tier;

describe("keywordClassifier", () => {
  const rules = keywordClassifier({
    rules: [
      { tier: "t3", match: ["prove that", "证明", /system design/i] },
      { tier: "t2", match: ["SQL", "```", "c++", /\bdebug\b/i] },
    ],
  });

  test("the first rule with a match decides", async () => {
    expect(await tierOf(rules, "Prove that this SQL query terminates")).toBe("t3");
  });

  test("a later rule decides when earlier ones do not match", async () => {
    expect(await tierOf(rules, "write me a SQL query for monthly revenue")).toBe("t2");
  });

  test("string keywords ignore case", async () => {
    expect(await tierOf(rules, "PROVE THAT the sum of two odd numbers is even")).toBe("t3");
  });

  test("a plain ASCII keyword matches only whole words: SQL does not hit MySQL", async () => {
    expect(await tierOf(rules, "is MySQL free to use?")).toBeUndefined();
  });

  test("a plain ASCII phrase matches only whole words: 'prove that' does not hit 'improve that'", async () => {
    expect(await tierOf(rules, "how can I improve that paragraph?")).toBeUndefined();
  });

  test("a space in a phrase matches any whitespace, a line break included", async () => {
    expect(await tierOf(rules, "please prove\nthat it halts")).toBe("t3");
  });

  test("a plain ASCII keyword matches next to Chinese characters", async () => {
    expect(await tierOf(rules, "帮我写SQL查询")).toBe("t2");
  });

  test("a Chinese keyword matches as a substring", async () => {
    expect(await tierOf(rules, "帮我证明一下勾股定理")).toBe("t3");
  });

  test("a keyword with symbols matches as a substring", async () => {
    expect(await tierOf(rules, "why does my c++17 build fail?")).toBe("t2");
    expect(await tierOf(rules, "fix this:\n```js\nlet x = 1\n```")).toBe("t2");
  });

  test("a RegExp matches as given, with its own flags", async () => {
    const strict = keywordClassifier({ rules: [{ tier: "t3", match: [/System Design/] }] });
    expect(await tierOf(strict, "a System Design interview")).toBe("t3");
    expect(await tierOf(strict, "a system design interview")).toBeUndefined();
  });

  test("a global RegExp matches on every request, not every other one", async () => {
    const global = keywordClassifier({ rules: [{ tier: "t2", match: [/debug/gi] }] });
    const tiers = [1, 2, 3].map(() => tierOf(global, "help me debug this"));
    expect(await Promise.all(tiers)).toEqual(["t2", "t2", "t2"]);
  });

  test("no match is no answer, so the next classifier decides", async () => {
    expect(await tierOf(rules, "what's the capital of Peru?")).toBeUndefined();
  });

  test("caseSensitive: true makes string keywords case-sensitive", async () => {
    const exact = keywordClassifier({ rules: [{ tier: "t2", match: ["SQL"] }], caseSensitive: true });
    expect(await tierOf(exact, "write sql")).toBeUndefined();
    expect(await tierOf(exact, "write SQL")).toBe("t2");
  });

  test("the reason names the keyword that matched", async () => {
    expect((await classifyWith(rules, { text: "some sql please" }))?.reason).toBe('keyword "sql"');
  });

  test("a rule's own reason is reported with the match", async () => {
    const withReason = keywordClassifier({ rules: [{ tier: "t3", match: ["trade-off"], reason: "design question" }] });
    expect((await classifyWith(withReason, { text: "what's the trade-off here?" }))?.reason).toBe(
      'design question (keyword "trade-off")',
    );
  });

  test("a Chinese keyword's reason quotes the characters, never \\u escapes", async () => {
    const chinese = await classifyWith(rules, { text: "请帮我证明这个定理" });
    expect(chinese?.reason).toBe('keyword "证明"');
    // A RegExp of the default rules: Bun writes its Chinese as \u escapes, so its source is unreadable.
    const greeting = await classifyWith(keywordClassifier({ rules: defaultKeywordRules }), { text: "你好，在吗" });
    expect(greeting?.tier).toBe("t1");
    expect(greeting?.reason).toBe('a greeting or thanks (matched "你好，在吗")');
    expect(greeting?.reason).not.toContain("\\u");
  });

  test("a pattern's reason quotes at most 40 characters of what it matched", async () => {
    const long = keywordClassifier({ rules: [{ tier: "t2", match: [/^explain[\s\S]*$/g] }] });
    const reason = (await classifyWith(long, { text: `explain ${"x".repeat(200)}` }))?.reason ?? "";
    expect(reason).toBe(`matched "explain ${"x".repeat(32)}…"`);
    // The g flag keeps no state: the same text matches again.
    expect((await classifyWith(long, { text: `explain ${"x".repeat(200)}` }))?.reason).toBe(reason);
  });

  describe("history", () => {
    const messages: ChatMessage[] = [
      { role: "user", content: "let's do some system design" },
      { role: "assistant", content: "Sure, what are we designing?" },
      { role: "user", content: "a chat app" },
    ];

    test("without history only the latest user message is read", async () => {
      expect(await tierOf(rules, "a chat app", messages)).toBeUndefined();
    });

    test("history: N also reads the N user messages before the latest", async () => {
      const withHistory = keywordClassifier({ rules: [{ tier: "t3", match: [/system design/i] }], history: 1 });
      const verdict = await classifyWith(withHistory, { text: "a chat app", messages });
      expect(verdict).toMatchObject({ tier: "t3" });
      expect(verdict?.reason).toContain("earlier message");
    });

    test("history ignores assistant messages", async () => {
      const withHistory = keywordClassifier({ rules: [{ tier: "t2", match: ["designing"] }], history: 3 });
      expect(await tierOf(withHistory, "a chat app", messages)).toBeUndefined();
    });

    test("history reads the text parts of multi-part messages", async () => {
      const parts: ChatMessage[] = [
        {
          role: "user",
          content: [
            { type: "text", text: "证明这个结论" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          ],
        },
        { role: "user", content: "继续" },
      ];
      const withHistory = keywordClassifier({ rules: [{ tier: "t3", match: ["证明"] }], history: 1 });
      expect(await tierOf(withHistory, "继续", parts)).toBe("t3");
    });
  });

  test("bad options fail at config load, naming the option", () => {
    expect(() => keywordClassifier({ rules: [{ tier: "t2", match: [] }] })).toThrow(/rules\[0\]\.match/);
  });

  describe("defaultKeywordRules", () => {
    const defaults = keywordClassifier({ rules: defaultKeywordRules });

    test("a trade-off question goes to the frontier tier", async () => {
      expect(await tierOf(defaults, "Compare Raft and Paxos and explain the trade-offs for a 5-node cluster")).toBe(
        "t3",
      );
    });

    test("a bare greeting goes to the cheap tier", async () => {
      expect(await tierOf(defaults, "你好！")).toBe("t1");
    });

    test("an ordinary request is left to the next classifier", async () => {
      expect(await tierOf(defaults, "Write a Python function that parses ISO dates")).toBeUndefined();
    });
  });
});
