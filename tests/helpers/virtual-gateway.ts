/**
 * An in-memory gateway on a virtual clock with scripted upstreams: the failure matrix's setup. Only the
 * public API is used (createGateway, VirtualClock, scripted), as a user's own tests would.
 */

import { errorKeywordRetry } from "../../plugins/index.ts";
import {
  createGateway,
  type GatewayConfigInput,
  type InMemoryGateway,
  type Logger,
  VirtualClock,
} from "../../src/index.ts";

/** The budgets of the real-HTTP failover suite, now in virtual milliseconds. */
export const MATRIX_TIMEOUTS = { connectMs: 300, firstTokenMs: 250, idleMs: 150, totalMs: 5000 };

export const HELLO = [{ role: "user" as const, content: "hello" }];

/** What a request produced, read to the end of its body in virtual time. */
export interface Answer {
  status: number;
  headers: Headers;
  /** The whole body as the client received it. */
  text: string;
  /** Virtual milliseconds from the request to the end of its body. */
  elapsedMs: number;
}

export interface VirtualGateway {
  clock: VirtualClock;
  gateway: InMemoryGateway;
  /** Every log line, `level message {data}`. */
  lines: string[];
  /** Sends a chat completion for `model` and reads the answer to its end, driving the clock. */
  chat(
    model: string,
    options?: { stream?: boolean; body?: Record<string, unknown>; signal?: AbortSignal },
  ): Promise<Answer>;
  /** Just the request: the response as soon as its headers are decided (the body is not read). */
  send(model: string, options?: { stream?: boolean; signal?: AbortSignal }): Promise<Response>;
}

function recordingLog(lines: string[]): Logger {
  const push = (level: string) => (message: string, data?: Record<string, unknown>) =>
    void lines.push(`${level} ${message}${data ? ` ${JSON.stringify(data)}` : ""}`);
  return { info: push("info"), warn: push("warn"), error: push("error") };
}

/** A gateway on `config` (providers and tiers; budgets and retry rules default to the matrix's). */
export function virtualGateway(
  config: Pick<GatewayConfigInput, "providers" | "tiers"> & Partial<GatewayConfigInput>,
): VirtualGateway {
  const clock = new VirtualClock();
  const lines: string[] = [];
  const gateway = createGateway({
    clock,
    random: () => 0.5,
    log: recordingLog(lines),
    config: {
      timeouts: MATRIX_TIMEOUTS,
      retry: {
        rules: [errorKeywordRetry({ keywords: ["overloaded", "rate limit"] })],
        backoff: { baseMs: 5, maxMs: 20 },
      },
      ...config,
    },
  });
  const request = (
    model: string,
    options: { stream?: boolean; body?: Record<string, unknown>; signal?: AbortSignal } = {},
  ) =>
    new Request("http://gateway/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, messages: HELLO, ...(options.stream ? { stream: true } : {}), ...options.body }),
      signal: options.signal,
    });
  return {
    clock,
    gateway,
    lines,
    send: (model, options) => clock.run(gateway.handle(request(model, options))),
    async chat(model, options) {
      const started = clock.now();
      const response = await clock.run(gateway.handle(request(model, options)));
      const text = await clock.run(response.text());
      return { status: response.status, headers: response.headers, text, elapsedMs: clock.now() - started };
    },
  };
}

/** The events of an SSE body, parsed ("[DONE]" kept as the string). */
export function events(text: string): unknown[] {
  return text
    .split("\n\n")
    .map((block) =>
      block
        .split("\n")
        .find((line) => line.startsWith("data: "))
        ?.slice(6),
    )
    .filter((data): data is string => data !== undefined)
    .map((data) => (data === "[DONE]" ? data : JSON.parse(data)));
}

type Chunk = {
  choices?: { delta?: { content?: string } }[];
  error?: { code: string; message: string };
  usage?: unknown;
  model?: string;
};

/** The streamed answer's text, the in-band error (if any), and whether it ended with `[DONE]`. */
export function streamed(text: string): {
  content: string;
  error?: { code: string; message: string };
  done: boolean;
  chunks: Chunk[];
} {
  const all = events(text);
  const chunks = all.filter((e): e is Chunk => typeof e === "object" && e !== null);
  return {
    content: chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join(""),
    error: chunks.find((c) => c.error)?.error,
    done: all.at(-1) === "[DONE]",
    chunks,
  };
}

/** The answer of a non-streamed completion. */
export function answerText(answer: Answer): string {
  return (JSON.parse(answer.text) as { choices: { message: { content: string } }[] }).choices[0].message.content;
}

/** The error body of a failed request. */
export function errorOf(answer: Answer): { code: string; message: string } {
  return (JSON.parse(answer.text) as { error: { code: string; message: string } }).error;
}
