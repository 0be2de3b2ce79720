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
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from "./complexity/weights.ts";

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

const Options = Type.Object(
  {
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
 * A local scorer of how hard the latest request is, from signals in English and Chinese: code and its
 * size, stack traces, proof and derivation asks, math notation, design and trade-off asks, concurrency
 * and distributed-systems vocabulary, high-stakes domains, multi-step and agentic instructions, tool
 * use, writing and extraction asks, constraints, length, and the cheap kinds of ask (translate,
 * convert, define, greet, thank) that pull the score down. No network; a few microseconds per request.
 * Always answers, so put it last or before an LLM classifier you only want for what it cannot place.
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
  const names = { 1: options.tiers?.t1 ?? "t1", 2: options.tiers?.t2 ?? "t2", 3: options.tiers?.t3 ?? "t3" } as const;

  function classify(ctx: RequestContext): Verdict {
    const assessment = assessConversation(ctx.text, ctx.messages, tuning);
    return {
      tier: names[assessment.level],
      reason: describeAssessment(assessment),
      confidence: confidenceOf(assessment, tuning.thresholds),
    };
  }
  return plugin;
}
