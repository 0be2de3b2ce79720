/**
 * Classifiers read a bounded view of the request (`ctx.text`, `ctx.messages`): the start and end of a
 * long message, the first and last messages of a long conversation. Its size is flat in the prompt's,
 * so a 10 MB paste costs the event loop what a 20 KB one does, and a cue at the end is still seen.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { complexityClassifier, defaultKeywordRules, keywordClassifier, scripted } from "../../plugins/index.ts";
import { type ChatMessage, createGateway, definePlugin } from "../../src/index.ts";
import { CLASSIFIER_VIEW, classifierView, textOf } from "../../src/pipeline/message-text.ts";

const LIMIT = CLASSIFIER_VIEW.headChars + CLASSIFIER_VIEW.tailChars;
const paste = (chars: number) =>
  `START of the paste. ${"lorem ipsum dolor sit amet ".repeat(Math.ceil(chars / 27)).slice(0, chars)} END: what are the trade-offs?`;
const size = (messages: ChatMessage[]) => messages.reduce((n, m) => n + textOf(m.content).length, 0);

describe("the bounded view", () => {
  test("its size is flat from a few tens of KB up, and it keeps the start and the end", () => {
    const small = classifierView([{ role: "user", content: paste(10_000) }]);
    expect(small.text).toBe(paste(10_000)); // a normal prompt is read whole
    const big = classifierView([{ role: "user", content: paste(1_000_000) }]);
    const huge = classifierView([{ role: "user", content: paste(10_000_000) }]);
    expect(huge.text.length).toBe(big.text.length);
    expect(huge.text.length).toBeLessThan(LIMIT + 16);
    expect(size(huge.messages)).toBe(huge.text.length);
    expect(huge.text).toStartWith("START of the paste.");
    expect(huge.text).toEndWith("END: what are the trade-offs?");
  });

  test("text parts are bounded together; images and other parts are kept", () => {
    const image = { type: "image_url", image_url: { url: "https://example.com/a.png" } };
    const [message] = classifierView([
      {
        role: "user",
        content: [{ type: "text", text: paste(3_000_000) }, image, { type: "text", text: "last words" }],
      },
    ]).messages;
    expect(textOf(message.content).length).toBeLessThan(LIMIT + 16);
    expect(textOf(message.content)).toEndWith("last words");
    expect(message.content).toContainEqual(image);
  });

  test("a long conversation keeps its first and last messages and the latest user message", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "sys" },
      { role: "user", content: "first ask" },
    ];
    messages.push({ role: "user", content: "latest ask" });
    for (let i = 0; i < 5_000; i++) messages.push({ role: i % 2 ? "tool" : "assistant", content: `step ${i}` });
    const view = classifierView(messages);
    expect(view.messages).toHaveLength(CLASSIFIER_VIEW.headMessages + 1 + CLASSIFIER_VIEW.tailMessages);
    expect(view.messages.slice(0, 3).map((m) => m.content)).toEqual(["sys", "first ask", "latest ask"]);
    expect(view.messages.at(-1)!.content).toBe("step 4999");
    expect(view.text).toBe("latest ask");
  });

  test("a short conversation is the client's own messages, untouched", () => {
    const messages: ChatMessage[] = [
      { role: "system", content: "s" },
      { role: "user", content: [{ type: "text", text: "hi" }] },
    ];
    const view = classifierView(messages);
    expect(view.messages[0]).toBe(messages[0]);
    expect(view.messages[1]).toBe(messages[1]);
    expect(view.text).toBe("hi");
  });

  test("a cut never splits a surrogate pair", () => {
    const view = classifierView([{ role: "user", content: "😀".repeat(LIMIT) }]);
    expect(view.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe("through the gateway", () => {
  const saw: { text: number; messages: number }[] = [];
  const spy = definePlugin({
    name: "local:spy",
    classify(ctx) {
      saw.push({
        text: ctx.text.length,
        messages: (ctx.messages ?? ctx.body.messages).reduce((n, m) => n + textOf(m.content).length, 0),
      });
      return undefined;
    },
  });
  const a = scripted([{ text: "ok" }]);
  const gateway = createGateway({
    config: {
      providers: { a },
      classifiers: [spy, keywordClassifier({ rules: defaultKeywordRules }), complexityClassifier()],
      tiers: { t1: { models: ["a/cheap"] }, t2: { models: ["a/mid"] }, t3: { models: ["a/frontier"] } },
    },
  });
  afterAll(() => gateway.close());

  test("classifiers see a bounded view of a 5 MB paste, and the cue at its end", async () => {
    const body = JSON.stringify({ model: "auto", messages: [{ role: "user", content: paste(5_000_000) }] });
    const response = await gateway.handle(new Request("http://gateway/v1/chat/completions", { method: "POST", body }));
    expect(response.headers.get("x-gateway-tier")).toBe("t3"); // "trade-offs" is in the last words only
    expect(saw[0].text).toBeLessThan(LIMIT + 16);
    expect(saw[0].messages).toBeLessThan(LIMIT + 16);
    expect(a.calls[0]).toMatchObject({ model: "frontier", body: { messages: [{ content: paste(5_000_000) }] } }); // forwarded whole
  });
});
