import {
  type Classifier,
  definePlugin,
  type RequestContext,
  type Static,
  Type,
  type Verdict,
} from "../../src/index.ts";
import { type Assessment, assessConversation, describeAssessment, type Tuning } from "./complexity/score.ts";
import { SIGNAL_NAMES, type SignalName } from "./complexity/signals.ts";
import { inputKey, VerdictCache } from "./complexity/verdict-cache.ts";
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from "./complexity/weights.ts";
import { defaultRouterModel } from "./learned/default-model.ts";
import { biasValue, estimateTokens, route, windowFloor } from "./learned/router.ts";

const Weights = Type.Partial(
  Type.Object(
    Object.fromEntries(SIGNAL_NAMES.map((name) => [name, Type.Number()])) as Record<
      SignalName,
      ReturnType<typeof Type.Number>
    >,
    {
      additionalProperties: false,
    },
  ),
  {
    description: "signal weights, each overriding its default (see DEFAULT_WEIGHTS); negative weights lower the score",
  },
);

const TierWindow = (tier: string) =>
  Type.Optional(Type.Integer({ minimum: 1, description: `context window of the ${tier} tier's models, in tokens` }));

const Options = Type.Object(
  {
    scorer: Type.Optional(
      Type.Union([Type.Literal("learned"), Type.Literal("hand")], {
        description:
          'the learned model (default), or the hand-tuned scorer ("hand"; also chosen when weights or thresholds are set)',
      }),
    ),
    abstainBelow: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: "below this confidence give no verdict, so the next classifier (an llmIntentClassifier) decides",
      }),
    ),
    bias: Type.Optional(
      Type.Union(
        [
          Type.Literal("quality"),
          Type.Literal("balanced"),
          Type.Literal("savings"),
          Type.Number({ minimum: -5, maximum: 5 }),
        ],
        {
          description:
            "shifts the tier boundaries: quality sends borderline requests up, savings down; a number is the log-odds per tier step",
        },
      ),
    ),
    contextWindows: Type.Optional(
      Type.Object(
        { t1: TierWindow("cheap"), t2: TierWindow("capable"), t3: TierWindow("frontier") },
        {
          additionalProperties: false,
          description:
            "the smallest context window (tokens) among each tier's models: a longer request is never sent to that tier",
        },
      ),
    ),
    thresholds: Type.Optional(
      Type.Object(
        {
          t2: Type.Number({
            description: `score from which a request goes to the capable tier (default ${DEFAULT_THRESHOLDS.t2})`,
          }),
          t3: Type.Number({
            description: `score from which a request goes to the frontier tier (default ${DEFAULT_THRESHOLDS.t3})`,
          }),
        },
        { additionalProperties: false },
      ),
    ),
    weights: Type.Optional(Weights),
    tiers: Type.Optional(
      Type.Object(
        {
          t1: Type.Optional(
            Type.String({ minLength: 1, description: 'name of the cheap tier in your config (default "t1")' }),
          ),
          t2: Type.Optional(Type.String({ minLength: 1, description: 'name of the capable tier (default "t2")' })),
          t3: Type.Optional(Type.String({ minLength: 1, description: 'name of the frontier tier (default "t3")' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type ComplexityClassifierOptions = Static<typeof Options>;

/** Maps a score's distance from the nearest threshold to a confidence in [0.5, 0.95]. */
function confidenceOf(a: Assessment, thresholds: Tuning["thresholds"]): number {
  if (a.rule) return 0.7;
  const margin =
    a.level === 1
      ? thresholds.t2 - a.score
      : a.level === 3
        ? a.score - thresholds.t3
        : Math.min(a.score - thresholds.t2, thresholds.t3 - a.score);
  return Math.round((0.5 + 0.45 * (1 - Math.exp(-Math.max(0, margin) / 1.5))) * 100) / 100;
}

/**
 * A local classifier of how hard the latest request is. By default a learned model (multinomial
 * logistic regression, `learned/`) over the hand-made signals in English and Chinese, hashed word and
 * character n-grams and the request's shape, trained by `npm run train:router`; its confidence is
 * calibrated. `scorer: "hand"` (or `weights` / `thresholds`) keeps the hand-tuned weighted scorer.
 * No network; tens of microseconds per request, none for inputs seen recently (`complexity/verdict-cache.ts`).
 * Answers every request unless `abstainBelow` is set.
 * A request longer than a tier's `contextWindows` entry is sent to a larger tier whatever the scores.
 */
export function complexityClassifier(
  options: ComplexityClassifierOptions = {},
): Classifier<ComplexityClassifierOptions> {
  const plugin = definePlugin({ name: "builtin:complexity", options, schema: Options, classify });
  const tuning: Tuning = {
    weights: { ...DEFAULT_WEIGHTS, ...(options.weights ?? {}) },
    thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
  };
  if (tuning.thresholds.t3 < tuning.thresholds.t2)
    throw new TypeError("plugin builtin:complexity: option thresholds: t3 must not be below t2");
  const names = [options.tiers?.t1 ?? "t1", options.tiers?.t2 ?? "t2", options.tiers?.t3 ?? "t3"] as const;
  const hand = options.scorer === "hand" || (options.scorer === undefined && (options.weights || options.thresholds));
  // Loaded when the config is, not on the first request: about 30 ms once per process.
  const model = hand ? undefined : defaultRouterModel();
  const bias = model ? biasValue(model, options.bias) : 0;
  const windows = [options.contextWindows?.t1, options.contextWindows?.t2, options.contextWindows?.t3];

  const verdicts = new VerdictCache<{ level: number; reason: string; confidence: number }>();

  function judge(ctx: RequestContext): { level: number; reason: string; confidence: number } {
    return verdicts.get(inputKey(ctx), () => score(ctx));
  }

  function score(ctx: RequestContext): { level: number; reason: string; confidence: number } {
    if (model) {
      const { level, reason, confidence } = route(model, ctx, bias);
      return { level, reason, confidence };
    }
    const assessment = assessConversation(ctx.text, ctx.messages, tuning);
    const confidence = confidenceOf(assessment, tuning.thresholds);
    return { level: assessment.level - 1, reason: describeAssessment(assessment), confidence };
  }

  function classify(ctx: RequestContext): Verdict | undefined {
    const verdict = judge(ctx);
    const tokens = windows.some((w) => w !== undefined) ? estimateTokens(ctx) : 0;
    const floor = tokens ? windowFloor(tokens, windows) : 0;
    // The window rule is hard: it answers even when unsure, or the next classifier could pick a tier too small.
    if (floor > verdict.level)
      return {
        tier: names[floor],
        reason: `${verdict.reason}; rule: about ${tokens} tokens exceed the ${names[verdict.level]} context window`,
        confidence: verdict.confidence,
      };
    if (options.abstainBelow !== undefined && verdict.confidence < options.abstainBelow) return undefined;
    return {
      tier: names[verdict.level],
      reason: verdict.reason,
      confidence: Math.round(verdict.confidence * 100) / 100,
    };
  }
  return plugin;
}
