/** Finished-request summaries and configs for store tests, without running a gateway. */

import { simulated } from "../../plugins/index.ts";
import { resolveConfig } from "../../src/config/resolve.ts";
import type { GatewayConfigInput, ResolvedConfig } from "../../src/config/types.ts";
import type { CompletionSummary, Target } from "../../src/plugin/types.ts";
import { requestContext } from "./run-hooks.ts";

export function storeConfig(extra: Partial<GatewayConfigInput> = {}): ResolvedConfig {
  const { config, issues } = resolveConfig({
    providers: { a: simulated(), b: simulated() },
    tiers: { t1: { models: ["a/small", "b/small"] }, t2: { models: ["a/medium"] }, t3: { models: ["b/large"] } },
    ...extra,
  });
  if (!config) throw new Error(JSON.stringify(issues));
  return config;
}

let counter = 0;

export interface SummaryOptions {
  id?: string;
  ts?: number;
  tier?: string;
  model?: string;
  status?: number;
  latencyMs?: number;
  ttftMs?: number;
  prompt?: string;
  answer?: string;
  stream?: boolean;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  attempts?: CompletionSummary["attempts"];
  apiKeyId?: string;
  errorCode?: string;
  door?: CompletionSummary["door"];
}

export function summary(options: SummaryOptions = {}): CompletionSummary {
  const ts = options.ts ?? Date.now();
  const [provider, model] = (options.model ?? "a/small").split("/");
  const target: Target = { ref: `${provider}/${model}`, provider, model, weight: 1, vision: true, prefill: false };
  const ctx = requestContext({ text: options.prompt ?? "hello there" });
  ctx.id = options.id ?? `req_test_${++counter}_${Math.random().toString(36).slice(2)}`;
  ctx.body = { model: "auto", messages: [{ role: "user", content: options.prompt ?? "hello there" }] };
  ctx.requestedModel = "auto";
  const status = options.status ?? 200;
  const answer = options.answer ?? "an answer";
  const response =
    status === 200
      ? JSON.stringify({
          id: "x",
          object: "chat.completion",
          choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
        })
      : undefined;
  return {
    request: ctx,
    tier: options.tier ?? "t1",
    tierReason: "test",
    client: { ip: "127.0.0.1", apiKeyId: options.apiKeyId },
    door: options.door,
    response,
    target: status === 200 ? target : undefined,
    status,
    attempts: options.attempts ?? [
      {
        target: target.ref,
        startedAt: ts,
        durationMs: options.latencyMs ?? 100,
        outcome: status === 200 ? "accepted" : "fail",
        status,
        reason: "test",
      },
    ],
    stream: options.stream ?? false,
    usage:
      options.usage === null
        ? undefined
        : (options.usage ?? { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 }),
    errorCode: options.errorCode,
    errorMessage: options.errorCode ? "failed" : undefined,
    startedAt: ts,
    finishedAt: ts + (options.latencyMs ?? 100),
    firstTokenAt: status === 200 ? ts + (options.ttftMs ?? 50) : undefined,
    overheadMs: 0.2,
  };
}
