/**
 * Reads an upstream SSE body event by event: decodes, parses, translates through the provider when it
 * speaks another protocol, drops (and counts) malformed events, and stops at `data: [DONE]`. Each read
 * returns the events of one network chunk, so the relay forwards them at the upstream's own pace.
 */

import type { ChatRequest, Provider, SseEvent, StreamParser, Target } from "../plugin/types.ts";
import { type ChunkFacts, chunkFacts, contentFacts, errorIn, plainContent } from "./chunks.ts";
import { SseParser } from "./sse.ts";

export interface StreamItem {
  /** The event's data as the client receives it. */
  data: string;
  /** The parsed chunk (OpenAI's shape); undefined when `plain`. */
  chunk: unknown;
  /** A plain content delta read without parsing (`plainContent`): `facts.content` is all it carried. */
  plain?: true;
  facts: ChunkFacts;
  /** Set when the event is an error object in disguise. */
  error?: { message: string; code?: string };
  /**
   * With `keepEvents`: the upstream event this item ends, as it came (re-framed from its `event` and
   * `data`), set on the last item an event produced; an event that translates to nothing (a ping, a
   * block's end) still gets an item of its own, with empty facts, so it is forwarded in its place.
   */
  wire?: string;
}

export interface StreamRead {
  items: StreamItem[];
  /**
   * The chunk's bytes, when they are exactly the events in `items` as the client should get them (whole
   * events, none dropped, none translated): forwarding them saves re-encoding every event.
   */
  raw?: Uint8Array;
  /** "more": keep reading; "done": `[DONE]` seen; "eof": the body ended (cleanly) without `[DONE]`. */
  state: "more" | "done" | "eof";
}

interface UpstreamStreamOptions {
  provider: Provider;
  target: Target;
  /** The request as sent (some providers' translators need it). */
  request: ChatRequest;
  /** Longest line or event accepted (limits.maxSseLineBytes); a longer one makes `read` reject with SseLimitError. */
  maxLineBytes?: number;
  /** A passed-through stream: each item also carries the upstream's own event (`wire`), for the client. */
  keepEvents?: boolean;
}

/** What one read of the upstream body resolves to. */
type ChunkRead = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]>>;

/** What `next` resolves to once the stream is finished: `take` then answers "done". */
const FINISHED: Promise<ChunkRead> = Promise.resolve({ done: true, value: undefined });

export class UpstreamStream {
  /** Events dropped because they were not valid JSON. */
  malformed = 0;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly parser: SseParser;
  private finished = false;
  /** The provider's translator for this stream; undefined when events are OpenAI chunks already. */
  private readonly parse: StreamParser | undefined;
  private readonly keepEvents: boolean;

  constructor(body: ReadableStream<Uint8Array>, options: UpstreamStreamOptions) {
    const { provider, target, request } = options;
    this.keepEvents = options.keepEvents === true;
    this.reader = body.getReader();
    this.parser = new SseParser(options.maxLineBytes);
    const parseStream = provider.parseStream?.bind(provider);
    this.parse =
      provider.createStreamParser?.(request, target) ?? (parseStream && ((event) => parseStream(event, target)));
  }

  /** The next network chunk's events. Rejects when the connection fails or is aborted, or past the line limit. */
  async read(): Promise<StreamRead> {
    return this.take(await this.next());
  }

  /**
   * `read` in two steps, for the relay's per-chunk loop: `next` is the reader's own promise (no async
   * wrapper, so no extra promise and frame per chunk), `take` turns what it resolved to into events.
   */
  next(): Promise<ChunkRead> {
    return this.finished ? FINISHED : this.reader.read();
  }

  /** The events of one read (see `next`). Throws SseLimitError past the line limit. */
  take(result: ChunkRead): StreamRead {
    if (this.finished) return { items: [], state: "done" };
    const aligned = this.parser.idle;
    let events: SseEvent[];
    try {
      events = result.done ? this.parser.end() : this.parser.push(result.value);
    } catch (error) {
      this.cancel(); // past the line limit: nothing more of this body is worth reading
      throw error;
    }
    const items: StreamItem[] = [];
    const malformedBefore = this.malformed;
    for (const event of events) {
      if (event.data === "[DONE]") {
        this.finished = true;
        this.cancel();
        return { items, state: "done" };
      }
      const itemsBefore = items.length;
      const malformed = this.malformed;
      this.translate(event.data, event.event, items);
      // A malformed event is dropped, passed through or not.
      if (this.keepEvents && this.malformed === malformed) this.keep(event, items, itemsBefore);
    }
    // A read of comments only (keep-alives) has no events: nothing to forward, not even its bytes.
    const done = result.done;
    const verbatim =
      !done &&
      aligned &&
      this.parser.idle &&
      !this.parse &&
      this.malformed === malformedBefore &&
      !this.keepEvents &&
      items.length === events.length &&
      items.length > 0;
    return { items, state: done ? "eof" : "more", raw: verbatim ? result.value : undefined };
  }

  /** Releases the upstream connection. */
  cancel(): void {
    this.finished = true;
    this.reader.cancel().catch(() => {});
  }

  private translate(data: string, event: string | undefined, items: StreamItem[]): void {
    if (this.parse) {
      let chunks: unknown[];
      try {
        chunks = this.parse({ event, data });
      } catch {
        this.malformed += 1;
        return;
      }
      for (const chunk of chunks) items.push(this.item(JSON.stringify(chunk), chunk));
      return;
    }
    // A plain content delta is read without parsing (`plainContent`); a passed-through stream's events are
    // always parsed, their chunks being what the door's checks read.
    const content = this.keepEvents ? undefined : plainContent(data);
    if (content !== undefined) {
      items.push({ data, chunk: undefined, facts: contentFacts(content), plain: true });
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      this.malformed += 1;
      return;
    }
    if (typeof chunk !== "object" || chunk === null) {
      this.malformed += 1;
      return;
    }
    items.push(this.item(data, chunk));
  }

  /** The event's own text on its last item, or on an item of its own when it translated to nothing. */
  private keep(event: SseEvent, items: StreamItem[], before: number): void {
    const wire = wireEvent(event);
    if (items.length > before) items[items.length - 1].wire = wire;
    else items.push({ data: "", chunk: undefined, facts: chunkFacts(undefined), wire });
  }

  private item(data: string, chunk: unknown): StreamItem {
    const error = errorIn(chunk);
    return error ? { data, chunk, facts: chunkFacts(undefined), error } : { data, chunk, facts: chunkFacts(chunk) };
  }
}

/** One event as SSE text: the upstream's own name and data (comments and ids are not kept). */
function wireEvent(event: SseEvent): string {
  const data = event.data
    .split("\n")
    .map((line) => `data: ${line}\n`)
    .join("");
  return `${event.event ? `event: ${event.event}\n` : ""}${data}\n`;
}
