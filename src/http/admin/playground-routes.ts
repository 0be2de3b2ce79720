/**
 * The playground's "send it" (POST /api/playground/send): the admin's prompt run for real, through the
 * same `Pipeline.handle` as /v1 (plan, attempts, failover, budgets, the request log), and answered with
 * what the playground shows: the answer, the tier and its reason, the model, every attempt with its
 * outcome, latency and cost. The admin is signed in with a session, not a gateway key, so the request is
 * logged with the key id `playground` (the log's key filter finds it) and no key's limits apply.
 */
import { Elysia } from "elysia";
import type { ResolvedConfig } from "../../config/types.ts";
import type { Gateway } from "../../gateway.ts";
import { parseChatRequest } from "../../pipeline/accept.ts";
import type { ChatCall } from "../../pipeline/pipeline.ts";
import type { AttemptSummary } from "../../plugin/types.ts";
import type { LogDetail } from "../../store/queries/logs.ts";
import { clientIpOf } from "../client-ip.ts";
import { readBody } from "../read-body.ts";
import type { Answer } from "./contract/routes.ts";

/** The api key column of a playground request: no gateway key is called this (theirs are ids). */
export const PLAYGROUND_KEY_ID = "playground";

/** How long the route waits for the request's log row after the answer ended (the writer batches). */
const LOG_WAIT_MS = 5_000;

export interface PlaygroundSent {
  requestId: string;
  /** The HTTP status the client of /v1 would have had. */
  status: number;
  /** The answer's text (a stream's deltas joined), or null when the request failed. */
  answer: string | null;
  error: { code: string; message: string } | null;
  tier: string | null;
  tierReason: string | null;
  model: string | null;
  attempts: Omit<AttemptSummary, "body">[];
  latencyMs: number | null;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Null: not priced (no price for the model, or not logged). */
  costUsd: number | null;
  stream: boolean;
  /** False when the row was not in the log in time: the figures then come from the response alone. */
  logged: boolean;
}

/** The answer's text from a chat completion's JSON or its SSE events (delta contents joined). */
export function answerText(body: string, stream: boolean): string {
  if (!stream) {
    const json = JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] };
    const content = json.choices?.[0]?.message?.content;
    return typeof content === "string" ? content : "";
  }
  let text = "";
  for (const line of body.split("\n")) {
    if (!line.startsWith("data:")) continue;
    const data = line.slice(5).trim();
    if (data === "[DONE]" || data === "") continue;
    try {
      const event = JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[] };
      const piece = event.choices?.[0]?.delta?.content;
      if (typeof piece === "string") text += piece;
    } catch {
      // an event that is not JSON carries no text
    }
  }
  return text;
}

/** The OpenAI-shaped error of a failed answer (JSON, or a stream's in-band error event). */
function errorOf(body: string): { code: string; message: string } {
  const line = body.split("\n").find((l) => l.startsWith("data:") && l.includes('"error"'));
  const text = line ? line.slice(5) : body;
  try {
    const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    return { code: error?.code ?? "error", message: error?.message ?? "The request failed." };
  } catch {
    return { code: "error", message: body.slice(0, 500) || "The request failed." };
  }
}

/**
 * Watches the rows the log writer publishes (the live tail's feed), from before the request runs, so
 * its row cannot be written unseen. `until(id)` writes what is queued and waits for that row, at most
 * `ms`; `stop()` unsubscribes (always called, so a failed request leaves no listener behind).
 */
function watchLog(gateway: Gateway) {
  const seen = new Set<string>();
  let wake: (() => void) | undefined;
  const unsubscribe = gateway.writer?.subscribe((rows) => {
    for (const row of rows) seen.add(row.id);
    wake?.();
  });
  return {
    async until(id: string, ms: number): Promise<boolean> {
      if (!gateway.writer) return false;
      let cancel = () => {};
      const timeUp = new Promise<false>((resolve) => (cancel = gateway.clock.setTimer(ms, () => resolve(false))));
      try {
        await gateway.writer.flush(); // instead of waiting for the writer's next batch
        while (!seen.has(id)) {
          const woken = new Promise<true>((resolve) => (wake = () => resolve(true)));
          if (!(await Promise.race([woken, timeUp]))) break;
        }
        return seen.has(id);
      } finally {
        cancel();
      }
    },
    stop: () => unsubscribe?.(),
  };
}

function figures(row: LogDetail | undefined, headers: Headers) {
  return {
    tier: row?.tier ?? headers.get("x-gateway-tier"),
    tierReason: row?.tierReason ?? null,
    model: row?.model ?? headers.get("x-gateway-model"),
    attempts: (row?.attemptTrace ?? []).map(({ body: _body, ...attempt }) => attempt),
    latencyMs: row?.latencyMs ?? null,
    ttftMs: row?.ttftMs ?? null,
    promptTokens: row?.promptTokens ?? null,
    completionTokens: row?.completionTokens ?? null,
    costUsd: row?.costUsd ?? null,
  };
}

/** Runs the call through the pipeline, reads its whole answer, and finds its row in the log. */
async function runLogged(gateway: Gateway, call: ChatCall, config: ResolvedConfig) {
  const watch = watchLog(gateway);
  try {
    const response = await gateway.pipeline.handle(call, config);
    const requestId = response.headers.get("x-request-id") ?? "";
    const text = await response.text();
    const inLog = await watch.until(requestId, LOG_WAIT_MS);
    const row = inLog && gateway.logs ? await gateway.logs.getLog(requestId) : undefined;
    return { response, requestId, text, row };
  } finally {
    watch.stop();
  }
}

export function playgroundRoutes(gateway: Gateway) {
  return new Elysia().post("/playground/send", async ({ request }): Promise<Answer<"POST /api/playground/send">> => {
    const config = gateway.live.get();
    // Refused here in /v1's own words and limits (413, 400 naming the field), before anything is logged.
    const body = await readBody(request, config.limits.maxBodyBytes);
    const parsed = parseChatRequest(body, config.limits);
    const call = { body, signal: request.signal, client: { ip: clientIpOf(request), apiKeyId: PLAYGROUND_KEY_ID } };
    const { response, requestId, text, row } = await runLogged(gateway, call, config);
    const stream = parsed.stream === true;
    // A stream that failed after its first bytes is a 200 with an in-band error: the log row knows.
    const failed = row ? row.status !== 200 : response.status !== 200;
    return {
      requestId,
      status: row?.status ?? response.status,
      answer: failed ? null : answerText(text, stream),
      error: failed ? errorOf(text) : null,
      ...figures(row, response.headers),
      stream,
      logged: row !== undefined,
    };
  });
}
