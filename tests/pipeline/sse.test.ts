import { describe, expect, test } from "bun:test";
import type { SseEvent } from "../../src/index.ts";
import { SseLimitError, SseParser } from "../../src/pipeline/sse.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds `chunks` (bytes) one by one, then ends the input; returns every event in order. */
function parseChunks(chunks: Uint8Array[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  events.push(...parser.end());
  return events;
}

const plain = (events: SseEvent[]) =>
  events.map((e) => (e.event === undefined ? { data: e.data } : { event: e.event, data: e.data }));

/**
 * A realistic payload mixing everything a stream may contain: a named event, a comment block, CJK and an
 * emoji (3- and 4-byte UTF-8), \r\n line ends with multi-line data, `data:` without a space and lone \r
 * line ends, then OpenAI's terminator.
 */
const PAYLOAD =
  'event: message\ndata: {"a":1}\n\n' +
  ": keep-alive\n\n" +
  "data: 你好🙂\r\ndata: second line\r\n\r\n" +
  "data:no-space\rdata: x\r\r" +
  "data: [DONE]\n\n";

const EXPECTED = [
  { event: "message", data: '{"a":1}' },
  { data: "你好🙂\nsecond line" },
  { data: "no-space\nx" },
  { data: "[DONE]" },
];

describe("SseParser", () => {
  test("parses the whole payload in one chunk", () => {
    expect(plain(parseChunks([bytes(PAYLOAD)]))).toEqual(EXPECTED);
  });

  test("gives the same events when the payload is split in two at every byte offset", () => {
    const all = bytes(PAYLOAD);
    for (let cut = 0; cut <= all.length; cut++) {
      const events = plain(parseChunks([all.subarray(0, cut), all.subarray(cut)]));
      if (JSON.stringify(events) !== JSON.stringify(EXPECTED))
        throw new Error(`split at byte ${cut} gave ${JSON.stringify(events)}`);
    }
  });

  test("gives the same events when the payload arrives one byte at a time", () => {
    const all = bytes(PAYLOAD);
    const chunks = Array.from({ length: all.length }, (_, i) => all.subarray(i, i + 1));
    expect(plain(parseChunks(chunks))).toEqual(EXPECTED);
  });

  test("an event is returned by the push that completes it, not earlier", () => {
    const parser = new SseParser();
    expect(parser.push(bytes("data: hel"))).toEqual([]);
    expect(parser.push(bytes("lo\n"))).toEqual([]);
    expect(plain(parser.push(bytes("\ndata: next")))).toEqual([{ data: "hello" }]);
  });

  test("a Chinese character split inside its UTF-8 bytes is not garbled", () => {
    const all = bytes("data: 中文\n\n");
    const split = 6 + 1; // "data: " then the first byte of 中 (3 bytes)
    const parser = new SseParser();
    expect(parser.push(all.subarray(0, split))).toEqual([]);
    expect(plain(parser.push(all.subarray(split)))).toEqual([{ data: "中文" }]);
  });

  test("an emoji split into its four UTF-8 bytes across four chunks is not garbled", () => {
    const all = bytes("data: 🚀!\n\n");
    const start = 6;
    const parser = new SseParser();
    const events = [
      ...parser.push(all.subarray(0, start + 1)),
      ...parser.push(all.subarray(start + 1, start + 2)),
      ...parser.push(all.subarray(start + 2, start + 3)),
      ...parser.push(all.subarray(start + 3)),
    ];
    expect(plain(events)).toEqual([{ data: "🚀!" }]);
  });

  test("\\r\\n line ends", () => {
    expect(plain(new SseParser().pushText("data: a\r\ndata: b\r\n\r\n"))).toEqual([{ data: "a\nb" }]);
  });

  test("lone \\r line ends", () => {
    expect(plain(new SseParser().pushText("data: a\rdata: b\r\rdata: c\r\rdata: d"))).toEqual([
      { data: "a\nb" },
      { data: "c" },
    ]);
  });

  test("a \\r at the end of a chunk followed by \\n in the next is one line end, not two", () => {
    const parser = new SseParser();
    expect(parser.pushText("data: a\r")).toEqual([]);
    // Were \r and \n counted as two line ends, "a" would be dispatched alone as an event here.
    expect(plain(parser.pushText("\ndata: b\r\n\r\n"))).toEqual([{ data: "a\nb" }]);
  });

  test("a \\r at the end of a chunk followed by other text is a line end", () => {
    const parser = new SseParser();
    expect(parser.pushText("data: a\r")).toEqual([]);
    expect(plain(parser.pushText("\rdata: b\n\n"))).toEqual([{ data: "a" }, { data: "b" }]);
  });

  test("`data:` without a space keeps the whole value; only one leading space is removed", () => {
    expect(plain(new SseParser().pushText("data:{}\n\ndata:  two\n\n"))).toEqual([{ data: "{}" }, { data: " two" }]);
  });

  test("multi-line data is joined with \\n", () => {
    expect(plain(new SseParser().pushText("data: line 1\ndata: line 2\ndata: line 3\n\n"))).toEqual([
      { data: "line 1\nline 2\nline 3" },
    ]);
  });

  test("comments are ignored, also between data lines", () => {
    expect(plain(new SseParser().pushText(": ping\ndata: a\n: still a comment\ndata: b\n\n:\n\n"))).toEqual([
      { data: "a\nb" },
    ]);
  });

  test("unknown fields (id, retry) are ignored", () => {
    expect(plain(new SseParser().pushText("id: 7\nretry: 1000\ndata: x\n\n"))).toEqual([{ data: "x" }]);
  });

  test("the `event:` field names the event", () => {
    expect(plain(new SseParser().pushText("event: content_block_delta\ndata: {}\n\n"))).toEqual([
      { event: "content_block_delta", data: "{}" },
    ]);
  });

  test("an event name does not carry over to the next event", () => {
    expect(plain(new SseParser().pushText("event: ping\n\ndata: x\n\n"))).toEqual([{ data: "x" }]);
  });

  test("a blank line without data dispatches nothing", () => {
    expect(new SseParser().pushText("\n\n\r\n")).toEqual([]);
  });

  test("end() flushes a final event that had no blank line", () => {
    const parser = new SseParser();
    expect(parser.pushText("data: last")).toEqual([]);
    expect(plain(parser.end())).toEqual([{ data: "last" }]);
  });

  test("end() flushes a final event whose last line ended with a lone \\r", () => {
    const parser = new SseParser();
    expect(parser.pushText("data: last\r")).toEqual([]);
    expect(plain(parser.end())).toEqual([{ data: "last" }]);
  });

  test("end() flushes a final event ended by a single line end", () => {
    const parser = new SseParser();
    expect(parser.push(bytes("data: 好\n"))).toEqual([]);
    expect(plain(parser.end())).toEqual([{ data: "好" }]);
  });

  test("end() with nothing pending returns no event", () => {
    const parser = new SseParser();
    parser.pushText("data: a\n\n");
    expect(parser.end()).toEqual([]);
  });
});

describe("SseParser limit (limits.maxSseLineBytes)", () => {
  test("a line that never ends past the limit throws SseLimitError, however it is split", () => {
    const parser = new SseParser(4096);
    expect(parser.push(bytes('data: {"a":1}\n\ndata: '))).toHaveLength(1);
    let thrown: unknown;
    try {
      for (let i = 0; i < 10; i++) parser.push(bytes("x".repeat(1000)));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SseLimitError);
  });

  test("an event of many data lines, each short, is bounded as a whole", () => {
    const parser = new SseParser(4096);
    expect(() => parser.push(bytes("data: 0123456789\n".repeat(1000)))).toThrow(SseLimitError);
  });

  test("events under the limit pass, in any split", () => {
    const parser = new SseParser(4096);
    const event = `data: ${"y".repeat(4000)}\n\n`;
    const events = [...parser.push(bytes(event.slice(0, 2000))), ...parser.push(bytes(event.slice(2000) + event))];
    expect(events).toHaveLength(2);
  });
});
