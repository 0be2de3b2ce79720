/**
 * A direct, single call to one configured model, outside the pipeline: what `ctx.complete` does for
 * plugins that need to ask a model something (classifiers, the vision bridge). One attempt, one budget.
 */
import { parseTargetRef } from "../config/resolve.ts";
import type { ResolvedConfig } from "../config/types.ts";
import type { DirectAnswer, DirectRequest, Target } from "../plugin/types.ts";
import { runAttempt } from "./attempt.ts";
import { textOf } from "./message-text.ts";
import type { PipelineDeps } from "./state.ts";

export async function callDirect(
  config: ResolvedConfig,
  deps: Pick<PipelineDeps, "clock" | "fetch">,
  request: DirectRequest,
  options: { timeoutMs?: number; signal: AbortSignal },
): Promise<DirectAnswer> {
  const parsed = parseTargetRef(request.model, config.providers);
  if (typeof parsed === "string") throw new Error(parsed);
  const ref = `${parsed.provider}/${parsed.model}`;
  const target: Target = config.targets.get(ref) ?? { ref, ...parsed, weight: 1, vision: true, prefill: false };
  const budget = options.timeoutMs ?? 10_000;
  const now = () => deps.clock.now();
  const run = await runAttempt({
    provider: config.providers[parsed.provider],
    target,
    body: { ...request, model: parsed.model, stream: false },
    stream: false,
    timeouts: { connectMs: budget, firstTokenMs: budget, idleMs: budget, totalMs: budget },
    deadline: now() + budget,
    clientSignal: options.signal,
    clock: deps.clock,
    fetch: deps.fetch,
    maxBodyBytes: config.limits.maxUpstreamBodyBytes,
  });
  if (!run.outcome.ok || run.json === undefined)
    throw new Error(`${ref}: ${run.outcome.errorText ?? run.outcome.errorClass ?? run.outcome.status}`);
  const body = JSON.parse(run.json) as { choices?: { message?: { content?: unknown } }[] };
  return { text: textOf(body.choices?.[0]?.message?.content), usage: run.usage, body };
}
