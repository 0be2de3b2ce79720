/**
 * How hard a new password is to guess, shown as it is typed: zxcvbn's score (0 to 4) and its advice,
 * the same estimate the server's policy decides with (src/auth/password-strength.ts: 3 or more is
 * accepted). zxcvbn and its dictionaries are loaded on first use, in their own chunk, so the pages
 * that set no password do not download them.
 */
import { createMemo, createSignal, type JSX, Show } from "solid-js";

/** The server accepts this score and above. */
const STRONG_ENOUGH = 3;
const LABELS = ["very easy to guess", "easy to guess", "still guessable", "hard to guess", "very hard to guess"];

interface Estimate {
  score: number;
  warning: string;
  suggestions: string[];
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
      translations: english.translations,
    });
    setEstimator(() => (password: string, related: string[]) => {
      const result = zxcvbn.check(password, ["smartroute", ...related]);
      return { score: result.score, warning: result.feedback.warning ?? "", suggestions: result.feedback.suggestions };
    });
  });
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
      <Show
        when={estimate()}
        fallback={
          <p class="muted security-note">Use a passphrase of a few unrelated words; its strength shows here.</p>
        }
      >
        {(e) => (
          <>
            <div class="row password-meter-row">
              <meter min="0" max="4" low={2} high={3} optimum={4} value={e().score} aria-label="Password strength" />
              <span
                class={e().score >= STRONG_ENOUGH ? "password-ok" : "password-weak"}
                data-testid="password-strength"
              >
                {e().score >= STRONG_ENOUGH ? "Strong enough" : "Too weak"}: {LABELS[e().score]} ({e().score} of 4)
              </span>
            </div>
            <Show when={e().warning || e().suggestions.length > 0}>
              <p class="muted security-note">{[e().warning, ...e().suggestions].filter(Boolean).join(" ")}</p>
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}
