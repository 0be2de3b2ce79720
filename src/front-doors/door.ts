/**
 * A front door: an API format other than chat completions that clients speak (Anthropic Messages,
 * OpenAI Responses), as an adapter at the edge. It turns its request into the pipeline's chat request
 * and the pipeline's answer back into its own wire format, streams included, so routing, attempts,
 * health and the log stay one mechanism. The pipeline's commit rule holds through every door: nothing
 * reaches the client before the first content has arrived healthy, because the door only ever sees
 * what the pipeline already committed.
 */
import type { ChatRequest } from "../plugin/types.ts";

export type Obj = Record<string, unknown>;

/** The doors a request can come through; "chat" is `/v1/chat/completions` itself. */
export type DoorName = "chat" | "messages" | "responses";

/** What the door made of the client's request. */
export interface DoorRequest {
  chat: ChatRequest;
  /** What the translation left out or changed, said once in the gateway log (never the content). */
  notes: string[];
  /**
   * Set when the request holds what only an upstream of the door's own API can take (a Responses
   * `custom` tool): the request goes to such upstreams only, passed through, and is refused naming the
   * field when its tier has none.
   */
  nativeOnly?: { param: string; message: string };
}

/** Turns the pipeline's chat stream (chunk objects, in order) into this door's events, for one stream. */
export interface StreamTranslator {
  /** The events for one chat.completion.chunk. */
  chunk(chunk: Obj): string[];
  /** The end of a complete answer (`[DONE]`). */
  done(): string[];
  /** The in-band error of a stream that failed after commit: the answer is incomplete, never "completed". */
  error(failure: { code: string; message: string }): string[];
}

export interface FrontDoor {
  name: Exclude<DoorName, "chat">;
  /**
   * The upstream API this door's format is: an attempt on a provider with this `native` gets the client's
   * own body and its answer comes back untranslated (`src/pipeline/pass-through.ts`).
   */
  api: "anthropic" | "responses";
  /** The in-band error ending a passed-through stream after commit (the events before it are the upstream's). */
  nativeStreamError(failure: { code: string; message: string }): string;
  /**
   * The client's body (parsed JSON) as a chat request; throws a 400 GatewayError naming the field.
   * `headers` are the client's, for the few a door passes on (Anthropic's `anthropic-beta`).
   */
  toChat(body: Obj, headers?: Headers): DoorRequest;
  /** A chat.completion object as this door's answer to `request`. */
  fromChat(completion: Obj, request: Obj): Obj;
  /** A translator for one streamed answer to `request`. */
  stream(request: Obj): StreamTranslator;
  /**
   * Chat fields the pipeline may name in a 400, as this door's client wrote them (`max_tokens` is
   * `max_output_tokens` in Responses): its errors then name the client's own field.
   */
  fieldNames?: Readonly<Record<string, string>>;
  /** The body of an error answer in this door's shape (the status stays the gateway's). */
  errorBody(status: number, error: { message: string; code: string; param?: string | null }): Obj;
}

/** One server-sent event as text: `event:` line (when the format names events) and one `data:` line. */
export function sse(event: string | undefined, data: unknown): string {
  return `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`;
}
