/**
 * The failure matrix through each front door, in process on a virtual clock: every fault before the
 * first content fails over invisibly (the client gets the fallback's whole answer in its own format);
 * every fault after it ends the stream with that door's in-band error and never its "completed" event.
 * The budgets are the matrix's (tests/helpers/virtual-gateway.ts), checked in virtual time.
 */
import { describe, expect, test } from "bun:test";
import { type ScriptStep, scripted } from "../../plugins/index.ts";
import { MATRIX_TIMEOUTS, virtualGateway } from "../helpers/virtual-gateway.ts";

interface Door {
  name: string;
  path: string;
  body(stream: boolean): Record<string, unknown>;
  /** The text a non-streamed answer carries. */
  text(json: Record<string, unknown>): string;
  /** A streamed answer: its text, whether it ended as complete, and its in-band error type, if any. */
  stream(sse: string): { text: string; completed: boolean; error?: string };
}

const messages: Door = {
  name: "messages",
  path: "/v1/messages",
  body: (stream) => ({ model: "t", max_tokens: 50, stream, messages: [{ role: "user", content: "hi" }] }),
  text: (json) => (json.content as { text?: string }[]).map((b) => b.text ?? "").join(""),
  stream(sse) {
    const events = [...sse.matchAll(/^event: (\S+)\ndata: (.*)$/gm)].map((m) => ({
      name: m[1],
      data: JSON.parse(m[2]),
    }));
    const text = events
      .filter((e) => e.name === "content_block_delta" && e.data.delta.type === "text_delta")
      .map((e) => e.data.delta.text)
      .join("");
    const error = events.find((e) => e.name === "error")?.data.error.type;
    return { text, completed: events.some((e) => e.name === "message_stop"), error };
  },
};

/** The door's SSE events: name and parsed data. */
const sseEvents = (sse: string) =>
  [...sse.matchAll(/^event: (\S+)\ndata: (.*)$/gm)].map((m) => ({ name: m[1], data: JSON.parse(m[2]) }));

const responses: Door = {
  name: "responses",
  path: "/v1/responses",
  body: (stream) => ({ model: "t", stream, input: "hi" }),
  text: (json) =>
    (json.output as { type: string; content?: { type: string; text?: string }[] }[])
      .filter((item) => item.type === "message")
      .flatMap((item) => item.content ?? [])
      .map((part) => part.text ?? "")
      .join(""),
  stream(sse) {
    const events = sseEvents(sse);
    const text = events
      .filter((e) => e.name === "response.output_text.delta")
      .map((e) => e.data.delta)
      .join("");
    const error = events.find((e) => e.name === "error")?.data.code;
    return { text, completed: events.some((e) => e.name === "response.completed"), error };
  },
};

const DOORS: Door[] = [messages, responses];

const WHOLE = ["fall", "back ", "answer"];
/** Faults before the first content: each must be invisible. */
const BEFORE: Record<string, ScriptStep> = {
  "503": { status: 503 },
  "429 without Retry-After": { status: 429 },
  "a reset connection": { reset: true },
  "no headers within connectMs": { hang: true },
  "an error object as the first event": { stream: [{ error: { message: "overloaded", type: "server_error" } }] },
  "no first token within firstTokenMs": { stream: ["late"], gapsMs: [MATRIX_TIMEOUTS.firstTokenMs + 50] },
  "an error in a 200 body": { body: { error: { message: "upstream overloaded", type: "server_error" } } },
  "a stream that ends before any content": { stream: [], end: "eof" },
};
/** Faults after the first content: each must end with the door's in-band error. */
const AFTER: Record<string, ScriptStep> = {
  "a cut connection": { stream: ["par", "tial"], end: "cut" },
  "a stall past idleMs": { stream: ["par", "tial"], end: "hang" },
  "an end without a finish reason": { stream: ["par", "tial"], end: "eof" },
  "an error event mid-stream": { stream: ["par", { error: { message: "boom", type: "server_error" } }] },
};

async function call(door: Door, steps: { first: ScriptStep }, stream: boolean) {
  const g = virtualGateway({
    providers: { a: scripted([steps.first]), b: scripted([{ text: WHOLE.join("") }]) },
    tiers: { t: { models: ["a/primary", "b/fallback"] } },
  });
  const request = new Request(`http://gateway${door.path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(door.body(stream)),
  });
  const response = await g.clock.run(g.gateway.handle(request));
  return { response, text: await g.clock.run(response.text()) };
}

for (const door of DOORS) {
  describe(`${door.name} door: before the first content`, () => {
    for (const [fault, step] of Object.entries(BEFORE)) {
      test(`${fault}: the fallback's whole answer, streamed`, async () => {
        const { response, text } = await call(door, { first: step }, true);
        expect(response.status).toBe(200);
        expect(door.stream(text)).toEqual({ text: WHOLE.join(""), completed: true, error: undefined });
        expect(response.headers.get("x-gateway-model")).toBe("b/fallback");
      });
    }
    test("a 503 before a non-streamed answer: the fallback's answer", async () => {
      const { response, text } = await call(door, { first: { status: 503 } }, false);
      expect(response.status).toBe(200);
      expect(door.text(JSON.parse(text))).toBe(WHOLE.join(""));
    });
  });

  describe(`${door.name} door: after the first content`, () => {
    for (const [fault, step] of Object.entries(AFTER)) {
      test(`${fault}: the in-band error, never completed`, async () => {
        const { response, text } = await call(door, { first: step }, true);
        expect(response.status).toBe(200);
        const got = door.stream(text);
        expect(got.completed).toBe(false);
        expect(got.error).toBeDefined();
        expect(got.text.startsWith("par")).toBe(true);
      });
    }
  });
}
