/**
 * Turns a finished request's summary into its log row. Runs in the log writer's batch, off the request
 * path: body serialisation and token estimates cost nothing to the client.
 */

import type { ResolvedConfig } from "../config/types.ts";
import { textOf } from "../pipeline/message-text.ts";
import type { Refusal } from "../pipeline/refusal.ts";
import type { CompletionSummary, Usage } from "../plugin/types.ts";
import { costOf, tokenParts } from "../pricing/cost.ts";
import { baselineCost, priceOf, routeScope } from "../pricing/price-of.ts";
import { estimateTokens } from "./estimate-tokens.ts";
import type { requests } from "./schema.ts";

export type RequestRow = typeof requests.$inferInsert;

/** Body size kept per body with `logging.bodies: "truncated"`. */
const TRUNCATED_BODY_CHARS = 2000;

function responseText(response: CompletionSummary["response"]): string {
  if (response === undefined) return "";
  const parsed = typeof response === "string" ? safeParse(response) : response;
  const choices = (parsed as { choices?: { message?: { content?: unknown } }[] } | undefined)?.choices ?? [];
  return choices.map((c) => textOf(c.message?.content)).join("");
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function tokens(summary: CompletionSummary): { prompt?: number; completion?: number; source?: string } {
  const usage: Usage | undefined = summary.usage;
  if (usage && typeof usage.prompt_tokens === "number")
    return { prompt: usage.prompt_tokens, completion: usage.completion_tokens, source: "upstream" };
  if (summary.status !== 200 || summary.response === undefined) return {};
  const prompt = summary.request.body.messages.reduce((n, m) => n + estimateTokens(textOf(m.content)), 0);
  return { prompt, completion: estimateTokens(responseText(summary.response)), source: "estimated" };
}

type CostColumns = Pick<RequestRow, "costUsd" | "costMicros" | "baselineMicros" | "baselineModel" | "costDetail">;

/** The cost columns: the upstream's usage (or the estimate), its price and the baseline's; nulls when not priced. */
export function costColumns(
  summary: CompletionSummary,
  config: ResolvedConfig,
  t: ReturnType<typeof tokens>,
): CostColumns {
  const none = { costUsd: null, costMicros: null, baselineMicros: null, baselineModel: null, costDetail: null };
  if (!summary.target || t.prompt === undefined) return none;
  const usage =
    summary.usage && t.source === "upstream"
      ? summary.usage
      : { prompt_tokens: t.prompt, completion_tokens: t.completion ?? 0 };
  const parts = tokenParts(usage);
  const priced = priceOf(config, summary.target);
  const baseline = baselineCost(config, parts, routeScope(config, summary.tier, summary.request.client.limits));
  const cost = priced ? costOf(parts, priced.price) : undefined;
  const detail = {
    tokens: parts,
    micros: cost?.micros ?? null,
    source: priced?.source ?? null,
    estimated: t.source === "estimated",
  };
  return {
    costUsd: cost ? cost.totalMicros / 1_000_000 : null,
    costMicros: cost?.totalMicros ?? null,
    baselineMicros: baseline?.cost.totalMicros ?? null,
    baselineModel: baseline?.ref ?? null,
    costDetail: JSON.stringify(detail),
  };
}

/** A finished request's cost in micro-dollars (0 when not priced): what a key's budget is charged. */
export function summaryCostMicros(summary: CompletionSummary, config: ResolvedConfig): number {
  return costColumns(summary, config, tokens(summary)).costMicros ?? 0;
}

/** Room kept under the cap for the cut marker, so a cut body with its marker stays within the cap. */
const CUT_MARKER_BYTES = 96;

/**
 * `text` if its UTF-8 form fits in `maxBytes`, else its longest prefix that fits (never splitting a
 * character) followed by a marker saying it was cut and how long it was.
 */
export function capBody(text: string, maxBytes: number): string {
  // A UTF-16 unit is at most 3 UTF-8 bytes: most bodies pass here without being encoded.
  if (text.length * 3 <= maxBytes) return text;
  // encodeInto writes whole characters only and stops where the buffer is full: no split character.
  const encoder = new TextEncoder();
  if (encoder.encodeInto(text, new Uint8Array(maxBytes)).read === text.length) return text;
  const { read } = encoder.encodeInto(text, new Uint8Array(Math.max(0, maxBytes - CUT_MARKER_BYTES)));
  return `${text.slice(0, read)}…[cut by logging.maxBodyBytes: ${text.length} characters in all]`;
}

function body(value: unknown, logging: ResolvedConfig["logging"], mode = logging.bodies): string | null {
  if (mode === "none" || value === undefined) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const kept =
    mode === "truncated" && text.length > TRUNCATED_BODY_CHARS ? `${text.slice(0, TRUNCATED_BODY_CHARS)}…` : text;
  return capBody(kept, logging.maxBodyBytes);
}

/** The attempt trace as the row keeps it: each rejected attempt's body only as far as `mode` allows. */
function trace(
  attempts: CompletionSummary["attempts"],
  logging: ResolvedConfig["logging"],
  mode: ResolvedConfig["logging"]["bodies"],
): string {
  const kept = attempts.map((attempt) => {
    if (attempt.body === undefined) return attempt;
    const { body: text, ...rest } = attempt;
    const cut = body(text, logging, mode);
    return cut === null ? rest : { ...rest, body: cut };
  });
  return JSON.stringify(kept);
}

/** The row for a summary; `withBodies: false` when the writer shed the bodies under overload. */
export function toRow(summary: CompletionSummary, config: ResolvedConfig, withBodies = true): RequestRow {
  const t = tokens(summary);
  const mode = withBodies ? config.logging.bodies : "none";
  return {
    id: summary.request.id,
    ts: Math.floor(summary.startedAt),
    apiKeyId: summary.client.apiKeyId ?? null,
    clientIp: summary.client.ip ?? null,
    door: summary.door ?? "chat",
    requestedModel: summary.request.requestedModel,
    tier: summary.tier,
    tierReason: summary.tierReason,
    model: summary.target?.ref ?? null,
    status: summary.status,
    errorCode: summary.errorCode ?? null,
    errorMessage: summary.errorMessage ?? null,
    latencyMs: summary.finishedAt - summary.startedAt,
    ttftMs: summary.firstTokenAt !== undefined ? summary.firstTokenAt - summary.startedAt : null,
    overheadMs: summary.overheadMs,
    attempts: summary.attempts.length,
    attemptTrace: trace(summary.attempts, config.logging, mode),
    promptTokens: t.prompt ?? null,
    completionTokens: t.completion ?? null,
    tokenSource: t.source ?? null,
    ...costColumns(summary, config, t),
    stream: summary.stream,
    promptPreview: summary.request.text.slice(0, 200),
    requestBody: body(summary.requestText ?? summary.request.body, config.logging, mode),
    responseBody: body(summary.response, config.logging, mode),
    refused: false,
  };
}

/**
 * The row for a refused request: no route, no attempt, no tokens or cost; its status, the code the
 * client got and the message; the body only when the refusal kept it (see `Refusal.body`).
 */
export function refusedRow(refusal: Refusal, config: ResolvedConfig, withBodies = true): RequestRow {
  const mode = withBodies ? config.logging.bodies : "none";
  const elapsed = Math.max(0, refusal.finishedAt - refusal.startedAt);
  return {
    id: refusal.id,
    ts: Math.floor(refusal.startedAt),
    apiKeyId: refusal.client.apiKeyId ?? null,
    clientIp: refusal.client.ip ?? null,
    door: refusal.door,
    requestedModel: refusal.requestedModel ?? "",
    tier: refusal.tier ?? "",
    tierReason: null,
    model: null,
    status: refusal.status,
    errorCode: refusal.code,
    errorMessage: refusal.message,
    latencyMs: elapsed,
    ttftMs: null,
    overheadMs: elapsed,
    attempts: 0,
    attemptTrace: "[]",
    promptTokens: null,
    completionTokens: null,
    tokenSource: null,
    costUsd: null,
    costMicros: null,
    baselineMicros: null,
    baselineModel: null,
    costDetail: null,
    stream: refusal.stream ?? false,
    promptPreview: refusal.text === undefined ? null : refusal.text.slice(0, 200),
    requestBody: body(refusal.body, config.logging, mode),
    responseBody: null,
    refused: true,
  };
}
