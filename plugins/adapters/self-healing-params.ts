import { type AttemptOutcome, definePlugin, type Plugin, type Static, Type } from "../../src/index.ts";

const Options = Type.Object(
  {
    maxFixesPerTarget: Type.Optional(
      Type.Integer({ minimum: 1, description: "fixes remembered per target at most (default 5)" }),
    ),
  },
  { additionalProperties: false },
);
export type SelfHealingParamsOptions = Static<typeof Options>;

/** A parameter fix: remove a field, or rename it (keeping its value). */
type ParamFix = { remove: string } | { rename: string; to: string };

export interface FixSuggestion {
  target: string;
  fix: ParamFix;
  /** When the fix was learned (epoch ms). */
  learnedAt: number;
  /** The upstream's error that taught it. */
  error: string;
  /** What to put in gateway.config.ts to make the fix permanent. */
  config: string;
}

const SAMPLING = [
  "temperature",
  "top_p",
  "top_k",
  "presence_penalty",
  "frequency_penalty",
  "logprobs",
  "top_logprobs",
  "logit_bias",
  "seed",
  "n",
  "parallel_tool_calls",
  "reasoning_effort",
  "stream_options",
  "service_tier",
  "user",
];

/** The fix a 400 asks for, read from its message and `param`; undefined when it names no parameter. */
export function fixFor(outcome: AttemptOutcome, body: Record<string, unknown>): ParamFix | undefined {
  if (outcome.status !== 400 && outcome.status !== 422) return undefined;
  const text = outcome.errorText ?? "";
  const rename = /'?max_tokens'?[^.]*?(?:not supported|unsupported)[^.]*\.?\s*Use '?max_completion_tokens'?/i.exec(
    text,
  );
  if (rename && body.max_tokens !== undefined) return { rename: "max_tokens", to: "max_completion_tokens" };
  if (
    /max_completion_tokens[^.]*(?:not supported|unsupported|unrecognized|unknown)/i.test(text) &&
    body.max_completion_tokens !== undefined
  ) {
    return { rename: "max_completion_tokens", to: "max_tokens" };
  }
  const named =
    outcome.errorParam ??
    /(?:Unrecognized request argument supplied|Unknown parameter|unknown field|Unsupported parameter|Unsupported value|Invalid value for|Extra inputs are not permitted)[^a-zA-Z_]*'?`?([a-z_]+)'?`?/i.exec(
      text,
    )?.[1] ??
    SAMPLING.find((field) =>
      new RegExp(
        `\\b${field}\\b[^.]*(?:not supported|unsupported|does not support|is not allowed|invalid|must be)`,
        "i",
      ).test(text),
    );
  if (named && named in body && named !== "model" && named !== "messages") return { remove: named };
  return undefined;
}

function describeFix(target: string, fix: ParamFix): string {
  const model = JSON.stringify(target);
  if ("remove" in fix) return `modelParams({ models: { ${model}: { ${fix.remove}: null } } })`;
  return `definePlugin({ name: "local:${fix.to}", match: { model: [${JSON.stringify(target.split("/").slice(1).join("/"))}] }, adapt: (b) => (b.${fix.rename} === undefined ? undefined : { ${fix.to}: b.${fix.rename}, ${fix.rename}: undefined }) })`;
}

/**
 * Heals requests an upstream refuses because of one parameter (400): `max_tokens` where the model
 * wants `max_completion_tokens` (and back), an unsupported `temperature` / `top_p` value, an unknown
 * field. The parameter is rewritten once and the same target retried at once; the fix is remembered for
 * that target (later requests get it before they fail) and offered as a config snippet
 * (`suggestions()`) an admin can copy into gateway.config.ts. Put it in `plugins` (it adapts and judges).
 */
export function selfHealingParams(
  options: SelfHealingParamsOptions = {},
): Plugin<SelfHealingParamsOptions> & { suggestions(): FixSuggestion[] } {
  const learned = new Map<string, FixSuggestion[]>();
  const max = options.maxFixesPerTarget ?? 5;
  const apply = (body: Record<string, unknown>, fixes: FixSuggestion[]) => {
    const patch: Record<string, unknown> = {};
    for (const { fix } of fixes) {
      if ("remove" in fix) {
        if (body[fix.remove] !== undefined) patch[fix.remove] = undefined;
      } else if (body[fix.rename] !== undefined) {
        patch[fix.to] = body[fix.rename];
        patch[fix.rename] = undefined;
      }
    }
    return Object.keys(patch).length > 0 ? patch : undefined;
  };
  const plugin = definePlugin({
    name: "builtin:self-healing-params",
    options,
    schema: Options,
    adapt(body, attempt) {
      const fixes = learned.get(attempt.target.ref);
      return fixes ? apply(body, fixes) : undefined;
    },
    judge(outcome, attempt) {
      const fixes = learned.get(attempt.target.ref) ?? [];
      // Judged against the body as this target received it, after every adapter.
      const fix = fixFor(outcome, attempt.body ?? attempt.request.body);
      if (!fix || fixes.length >= max || fixes.some((f) => JSON.stringify(f.fix) === JSON.stringify(fix)))
        return undefined;
      const suggestion: FixSuggestion = {
        target: attempt.target.ref,
        fix,
        learnedAt: attempt.request.clock.now(),
        error: (outcome.errorText ?? "").slice(0, 300),
        config: describeFix(attempt.target.ref, fix),
      };
      learned.set(attempt.target.ref, [...fixes, suggestion]);
      attempt.request.log.warn(
        `self-healing: ${"remove" in fix ? `removing ${fix.remove}` : `renaming ${fix.rename} to ${fix.to}`} for ${attempt.target.ref}; to make it permanent: ${suggestion.config}`,
      );
      return {
        action: "retry",
        delayMs: 0,
        reason: `self-healing: ${"remove" in fix ? `removed ${fix.remove}` : `${fix.rename} → ${fix.to}`}`,
      };
    },
  });
  return Object.assign(plugin, { suggestions: () => [...learned.values()].flat() });
}
