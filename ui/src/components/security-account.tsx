/** The signed-in admin's own account: change the password, change the username. */
import { createSignal, type JSX, Show } from "solid-js";
import { call } from "../api.ts";
import { formatNumber, t } from "../i18n/index.ts";
import { me, refreshSession } from "../session.ts";
import { errorText } from "./modal.tsx";
import { PasswordMeter, STRONG_ENOUGH, strengthScore } from "./security-password-meter.tsx";

/** The server's policy (src/auth/passwords.ts), checked here first to save a round trip. */
function policyProblems(password: string, username: string): string[] {
  const chars = Array.from(password.normalize("NFKC"));
  const problems: string[] = [];
  if (chars.length < 10) problems.push(t("security.policy.short"));
  const name = username.normalize("NFKC").toLowerCase();
  const lower = chars.join("").toLowerCase();
  if (name && (lower === name || (name.length >= 3 && lower.includes(name))))
    problems.push(t("security.policy.username"));
  if (chars.length > 0 && chars.every((c) => c === chars[0])) problems.push(t("security.policy.repeated"));
  // As the server does, the strength only of a password that passes the rules above.
  const score = problems.length ? undefined : strengthScore(chars.join(""), name ? [name] : []);
  if (score !== undefined && score < STRONG_ENOUGH)
    problems.push(t("security.policy.guessable", { score: formatNumber(score), needed: formatNumber(STRONG_ENOUGH) }));
  return problems;
}

export function PasswordForm(props: { onChange?: () => void }): JSX.Element {
  const [current, setCurrent] = createSignal("");
  const [next, setNext] = createSignal("");
  const [repeat, setRepeat] = createSignal("");
  const [error, setError] = createSignal("");
  const [done, setDone] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    setDone("");
    const problems = policyProblems(next(), me()?.username ?? "");
    if (problems.length) return setError(t("security.sentences", problems));
    if (next() !== repeat()) return setError(t("security.password.differ"));
    setBusy(true);
    try {
      await call("POST /api/auth/password", { body: { current: current(), next: next() } });
      setCurrent("");
      setNext("");
      setRepeat("");
      setDone(t("security.password.done"));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      props.onChange?.();
    }
  };

  return (
    <form class="panel stack" onSubmit={submit} aria-labelledby="security-password-title">
      <h2 id="security-password-title" class="security-h2">
        {t("security.password.title")}
      </h2>
      <label>
        {t("security.password.current")}
        <input
          type="password"
          value={current()}
          onInput={(e) => setCurrent(e.currentTarget.value)}
          required
          autocomplete="current-password"
        />
      </label>
      <label>
        {t("security.password.next")}
        <input
          type="password"
          value={next()}
          onInput={(e) => setNext(e.currentTarget.value)}
          required
          minLength={10}
          autocomplete="new-password"
          aria-describedby="security-policy"
        />
      </label>
      <label>
        {t("security.password.again")}
        <input
          type="password"
          value={repeat()}
          onInput={(e) => setRepeat(e.currentTarget.value)}
          required
          autocomplete="new-password"
        />
      </label>
      <p class="muted security-note">{t("security.password.rules")}</p>
      <PasswordMeter password={next()} related={[me()?.username ?? ""]} id="security-policy" />
      <div aria-live="polite" class="live-slot">
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <Show when={done()}>
          <p class="success">{done()}</p>
        </Show>
      </div>
      <div class="row">
        <button type="submit" class="primary" disabled={busy()}>
          {t(busy() ? "security.password.changing" : "security.password.change")}
        </button>
      </div>
    </form>
  );
}

export function UsernameForm(props: { onChange?: () => void }): JSX.Element {
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal("");
  const [done, setDone] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    setDone("");
    setBusy(true);
    try {
      const result = await call("POST /api/auth/username", {
        body: {
          username: username().trim(),
          password: password(),
        },
      });
      setUsername("");
      setPassword("");
      await refreshSession();
      setDone(t("security.username.done", { name: result.username }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      props.onChange?.();
    }
  };

  return (
    <form class="panel stack" onSubmit={submit} aria-labelledby="security-username-title">
      <h2 id="security-username-title" class="security-h2">
        {t("security.username.title")}
      </h2>
      <p class="muted security-note">
        {t("security.username.signInAsBefore")}
        <strong>{me()?.username}</strong>
        {t("security.username.signInAsAfter")}
      </p>
      <label>
        {t("security.username.next")}
        <input
          value={username()}
          onInput={(e) => setUsername(e.currentTarget.value)}
          required
          pattern="[A-Za-z0-9_.\-]{2,64}"
          autocomplete="username"
          aria-describedby="security-username-hint"
        />
      </label>
      <p id="security-username-hint" class="muted security-note">
        {t("security.username.hint")}
      </p>
      <label>
        {t("security.username.password")}
        <input
          type="password"
          value={password()}
          onInput={(e) => setPassword(e.currentTarget.value)}
          required
          autocomplete="current-password"
        />
      </label>
      <div aria-live="polite" class="live-slot">
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <Show when={done()}>
          <p class="success">{done()}</p>
        </Show>
      </div>
      <div class="row">
        <button type="submit" class="primary" disabled={busy()}>
          {t(busy() ? "security.password.changing" : "security.username.change")}
        </button>
      </div>
    </form>
  );
}
