/**
 * An incremental server-sent-events parser (the WHATWG rules that matter for LLM streams): `\n`, `\r\n`
 * and `\r` line ends, `data:` with or without the space, multi-line data joined by "\n", comments and
 * unknown fields ignored, an event dispatched on a blank line. Bytes are decoded with a streaming
 * TextDecoder, so a multi-byte character split across network chunks is never garbled.
 */
import type { SseEvent } from "../plugin/types.ts";

export class SseParser {
  private readonly decoder = new TextDecoder();
  private buffer = "";
  private data: string[] = [];
  private eventName: string | undefined;

  /** True between events: nothing buffered, nothing half-read. */
  get idle(): boolean {
    return this.buffer === "" && this.data.length === 0;
  }

  /** Feeds bytes; returns the events completed by them (possibly none). */
  push(bytes: Uint8Array): SseEvent[] {
    return this.pushText(this.decoder.decode(bytes, { stream: true }));
  }

  /** Feeds text; returns the events completed by it. */
  pushText(text: string): SseEvent[] {
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    // The next \r is looked up again only once passed: most streams have none, and a fresh search per
    // line would make a large chunk of many lines quadratic.
    let cr = this.buffer.indexOf("\r");
    for (;;) {
      const lf = this.buffer.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = this.buffer.indexOf("\r", start);
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
      this.line(this.buffer.slice(start, end), events);
      start = next;
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
    return events;
  }

  /** Ends the input: an event left without its blank line is still dispatched. */
  end(): SseEvent[] {
    const events = this.pushText(this.decoder.decode() + "\n");
    if (this.data.length > 0) this.line("", events);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === "") {
      if (this.data.length > 0) events.push({ event: this.eventName, data: this.data.join("\n") });
      this.data = [];
      this.eventName = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58 /* ":" comment */) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.eventName = value;
  }
}

const encoder = new TextEncoder();

/** Encodes one event for the client. */
export function encodeEvent(data: string): Uint8Array {
  return encoder.encode(`data: ${data}\n\n`);
}
