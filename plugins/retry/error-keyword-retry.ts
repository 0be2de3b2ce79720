import { definePlugin, type RetryRule, type Static, StringOrRegExp, Type } from "../../src/index.ts";

const Options = Type.Object(
  {
    keywords: Type.Array(StringOrRegExp(), {
      minItems: 1,
      description: "words or patterns (case-insensitive) that mark an answer as an error in disguise",
    }),
    sameTarget: Type.Optional(
      Type.Integer({ minimum: 0, description: "retries on the same target before failing over (default 0)" }),
    ),
    cooldownMs: Type.Optional(
      Type.Number({ minimum: 0, description: "cooldown for a target that answered so (default 60 000)" }),
    ),
    maxAnswerChars: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          "a 2xx answer is checked only when at most this long: errors in disguise are short, real answers that mention a keyword are not (default 300)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ErrorKeywordRetryOptions = Static<typeof Options>;

type Needle = string | RegExp;

/** Whether `needle` occurs in `text` (`lower` is `text` lower-cased, for string needles). */
function occurs(needle: Needle, text: string, lower: string): boolean {
  // search(), not test(): a RegExp with the g or y flag would keep state between calls.
  return typeof needle === "string" ? lower.includes(needle) : text.search(needle) !== -1;
}

/**
 * Treats an answer containing one of `keywords` as a failure. A keyword is evidence of an error only
 * where errors are: an error body of any status but 429 (which keeps its Retry-After semantics), and a
 * short 2xx answer or the first content of a stream (some upstreams answer "overloaded" with a 200).
 * Never in a long answer (over `maxAnswerChars`), and never in an answer when the request's own latest
 * user message uses that keyword too: "Design a distributed rate limiter" gets answers about rate limits.
 * Checked before anything reaches the client, so the fallback's answer is all the client sees.
 */
export function errorKeywordRetry(options: ErrorKeywordRetryOptions): RetryRule<ErrorKeywordRetryOptions> {
  const needles: Needle[] = options.keywords.map((k) => (typeof k === "string" ? k.toLowerCase() : k));
  const sameTarget = options.sameTarget ?? 0;
  const cooldownMs = options.cooldownMs ?? 60_000;
  const maxAnswerChars = options.maxAnswerChars ?? 300;
  /** The first keyword in `text` that `prompt` (when given) does not use itself. */
  const find = (text: string, prompt?: string) => {
    const lower = text.toLowerCase();
    const promptLower = prompt?.toLowerCase();
    return needles.find((n) => occurs(n, text, lower) && !(prompt !== undefined && occurs(n, prompt, promptLower!)));
  };
  return definePlugin({
    name: "builtin:error-keyword-retry",
    options,
    schema: Options,
    judge(outcome, attempt) {
      // A real 429 has better semantics of its own (Retry-After, cooldown): keywords are for errors
      // in disguise and for vague error bodies.
      if (outcome.status === 429) return undefined;
      const text = outcome.ok ? outcome.text : outcome.errorText;
      if (!text || (outcome.ok && text.length > maxAnswerChars)) return undefined;
      // An answer may use the question's words; an error body has no reason to.
      const hit = find(text, outcome.ok ? attempt.request.text : undefined);
      if (hit === undefined) return undefined;
      const reason = `answer contains "${typeof hit === "string" ? hit : hit.source}"`;
      if (attempt.onTarget <= sameTarget) return { action: "retry", delayMs: attempt.backoffMs(), reason };
      return { action: "failover", reason, cooldownMs };
    },
  });
}
