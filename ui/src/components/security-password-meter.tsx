/**
 * How hard a new password is to guess, shown as it is typed: zxcvbn's score (0 to 4) and its advice,
 * the same estimate the server's policy decides with (src/auth/password-strength.ts: 3 or more is
 * accepted). zxcvbn and its dictionaries are loaded on first use, in their own chunk, so the pages
 * that set no password do not download them. zxcvbn is given its message keys as its "translations",
 * so its advice comes back as keys and is written in the UI's language from our dictionaries.
 */
import { createMemo, createSignal, type JSX, Show } from "solid-js";
import type { security } from "../i18n/en/security.ts";
import { formatNumber, t } from "../i18n/index.ts";

/** The server accepts this score and above. */
export const STRONG_ENOUGH = 3;

type Warning = keyof typeof security.meter.warnings & string;
type Suggestion = keyof typeof security.meter.suggestions & string;

/** Each key as its own value: zxcvbn then returns the key of its advice instead of an English sentence. */
const asKeys = <T extends object>(messages: T) =>
  Object.fromEntries(Object.keys(messages).map((key) => [key, key])) as Record<keyof T, string>;

interface Estimate {
  score: number;
  warning: Warning | "";
  suggestions: Suggestion[];
}
type Estimator = (password: string, related: string[]) => Estimate;

const [estimator, setEstimator] = createSignal<Estimator>();
let loading = false;

function load(): void {
  if (loading) return;
  loading = true;
  void Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
    import("@zxcvbn-ts/language-en"),
  ]).then(([core, common, english]) => {
    const zxcvbn = new core.ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: {
        warnings: asKeys(english.translations.warnings),
        suggestions: asKeys(english.translations.suggestions),
        timeEstimation: english.translations.timeEstimation,
      },
    });
    setEstimator(() => (password: string, related: string[]) => {
      const result = zxcvbn.check(password, ["smartroute", ...related]);
      return {
        score: result.score,
        warning: (result.feedback.warning ?? "") as Warning | "",
        suggestions: result.feedback.suggestions as Suggestion[],
      };
    });
  });
}

/**
 * The score the server's policy will give (the same zxcvbn and inputs as src/auth/password-strength.ts),
 * or undefined while zxcvbn is still loading: the form can refuse a weak password in the UI's language.
 */
export function strengthScore(password: string, related: string[]): number | undefined {
  return estimator()?.(password, related).score;
}

/** The meter under a new-password field; `id` is for the field's aria-describedby. */
export function PasswordMeter(props: { password: string; related?: string[]; id: string }): JSX.Element {
  load();
  const estimate = createMemo(() => {
    const check = estimator();
    return check && props.password ? check(props.password, props.related ?? []) : undefined;
  });
  return (
    <div id={props.id} class="password-meter" aria-live="polite">
      <Show when={estimate()} fallback={<p class="muted security-note">{t("security.meter.hint")}</p>}>
        {(e) => (
          <>
            <div class="row password-meter-row">
              <meter
                min="0"
                max="4"
                low={2}
                high={3}
                optimum={4}
                value={e().score}
                aria-label={t("security.meter.label")}
              />
              <span
                class={e().score >= STRONG_ENOUGH ? "password-ok" : "password-weak"}
                data-testid="password-strength"
              >
                {t("security.meter.verdict", {
                  verdict: t(e().score >= STRONG_ENOUGH ? "security.meter.strong" : "security.meter.weak"),
                  level: t(`security.meter.levels.${e().score as 0 | 1 | 2 | 3 | 4}`),
                  score: formatNumber(e().score),
                })}
              </span>
            </div>
            <Show when={e().warning || e().suggestions.length > 0}>
              <p class="muted security-note">
                {t(
                  "security.sentences",
                  [
                    e().warning ? t(`security.meter.warnings.${e().warning as Warning}`) : "",
                    ...e().suggestions.map((key) => t(`security.meter.suggestions.${key}`)),
                  ].filter(Boolean),
                )}
              </p>
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}
