/**
 * An incremental server-sent-events parser (the WHATWG rules that matter for LLM streams): `\n`, `\r\n`
 * and `\r` line ends, `data:` with or without the space, multi-line data joined by "\n", comments and
 * unknown fields ignored, an event dispatched on a blank line. Bytes are decoded with a streaming
 * TextDecoder, so a multi-byte character split across network chunks is never garbled.
 */
import type { SseEvent } from "../plugin/types.ts";

/** An upstream line or event longer than the parser's limit: the stream is broken or hostile. */
export class SseLimitError extends Error {
  constructor(readonly limit: number) {
    super(`an event stream line or event was longer than ${limit} bytes (limits.maxSseLineBytes)`);
    this.name = "SseLimitError";
  }
}

export class SseParser {
  private readonly decoder = new TextDecoder();
  private buffer = "";
  /** Offset in `buffer` up to which no line end was found: each byte is searched once, not per push. */
  private scanned = 0;
  private data: string[] = [];
  private dataLength = 0;
  private eventName: string | undefined;

  /** `maxLineBytes` bounds one line and one event's data (in characters, about bytes for SSE's ASCII framing). */
  constructor(private readonly maxLineBytes = Number.POSITIVE_INFINITY) {}

  /** True between events: nothing buffered, nothing half-read. */
  get idle(): boolean {
    return this.buffer === "" && this.data.length === 0;
  }

  /** Feeds bytes; returns the events completed by them (possibly none). Throws SseLimitError past the limit. */
  push(bytes: Uint8Array): SseEvent[] {
    return this.pushText(this.decoder.decode(bytes, { stream: true }));
  }

  /** Feeds text; returns the events completed by it. */
  pushText(text: string): SseEvent[] {
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    // Searches start where the last push stopped (a long line arriving in many reads stays linear), and
    // the next \r is looked up again only once passed: most streams have none.
    let from = this.scanned;
    let cr = this.buffer.indexOf("\r", from);
    for (;;) {
      const lf = this.buffer.indexOf("\n", from);
      if (cr !== -1 && cr < from) cr = this.buffer.indexOf("\r", from);
      if (lf === -1 && cr === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A lone \r at the very end may be the first half of \r\n: wait for more bytes.
        if (cr === this.buffer.length - 1) break;
        end = cr;
        next = this.buffer[cr + 1] === "\n" ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      this.line(this.buffer, start, end, events);
      start = next;
      from = next;
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    // What is left is one unfinished line (and perhaps a \r waiting for its \n).
    this.scanned = Math.max(0, this.buffer.length - (this.buffer.endsWith("\r") ? 1 : 0));
    if (this.buffer.length > this.maxLineBytes) throw new SseLimitError(this.maxLineBytes);
    return events;
  }

  /** Ends the input: an event left without its blank line is still dispatched. */
  end(): SseEvent[] {
    const events = this.pushText(`${this.decoder.decode()}\n`);
    if (this.data.length > 0) this.line("", 0, 0, events);
    return events;
  }

  /** One line, `text[start, end)`: read in place (no substring per line, field or value but the values kept). */
  private line(text: string, start: number, end: number, events: SseEvent[]): void {
    if (start === end) {
      if (this.data.length > 0)
        events.push({ event: this.eventName, data: this.data.length === 1 ? this.data[0] : this.data.join("\n") });
      this.data.length = 0;
      this.dataLength = 0;
      this.eventName = undefined;
      return;
    }
    if (text.charCodeAt(start) === 58 /* ":" comment */) return;
    const found = text.indexOf(":", start);
    const colon = found === -1 || found > end ? end : found;
    let from = colon < end ? colon + 1 : end;
    if (text.charCodeAt(from) === 32 && from < end) from += 1;
    const field = colon - start;
    if (field === 4 && text.startsWith("data", start)) {
      this.dataLength += end - from;
      if (this.dataLength > this.maxLineBytes) throw new SseLimitError(this.maxLineBytes);
      this.data.push(text.slice(from, end));
    } else if (field === 5 && text.startsWith("event", start)) this.eventName = text.slice(from, end);
  }
}

const encoder = new TextEncoder();

/** Encodes one event for the client. */
export function encodeEvent(data: string): Uint8Array {
  return encoder.encode(`data: ${data}\n\n`);
}
