/**
 * How guessable a password is, by zxcvbn (dictionaries of common passwords, names and English words,
 * keyboard patterns, dates, sequences). The server's password policy refuses a score below
 * STRONG_ENOUGH; the UI shows the same estimate as it is typed (ui/src/components/password-meter.tsx).
 */
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

/** zxcvbn's score from 0 (guessed at once) to 4; 3 is "safely unguessable" against an online attack and more. */
export const STRONG_ENOUGH = 3;

let factory: Promise<ZxcvbnFactory> | undefined;

/**
 * Imported and built at first use: the dictionaries hold about 40 MB once loaded, and most processes
 * never set a password (a gateway that only serves /v1 never pays for them).
 */
function estimator(): Promise<ZxcvbnFactory> {
  factory ??= Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
    import("@zxcvbn-ts/language-en"),
  ]).then(
    ([core, common, english]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...english.dictionary },
        graphs: common.adjacencyGraphs,
        translations: english.translations,
      }),
  );
  return factory;
}

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  /** zxcvbn's warning ("This is a top-10 common password."), empty when it has none. */
  warning: string;
  suggestions: string[];
}

/** The estimate for `plain`; `related` (the username, the product name) counts as known to an attacker. */
export async function passwordStrength(plain: string, related: string[] = []): Promise<Strength> {
  const result = (await estimator()).check(plain, ["smartroute", ...related]);
  return {
    score: result.score,
    warning: result.feedback.warning ?? "",
    suggestions: result.feedback.suggestions,
  };
}
