/** The signed-in admin's own account: change the password, change the username. */
import { createSignal, type JSX, Show } from "solid-js";
import { call } from "../api.ts";
import { me, refreshSession } from "../session.ts";
import { errorText } from "./modal.tsx";
import { PasswordMeter } from "./security-password-meter.tsx";

/** The server's policy (src/auth/passwords.ts), checked here first to save a round trip. */
function policyProblems(password: string, username: string): string[] {
  const chars = Array.from(password.normalize("NFKC"));
  const problems: string[] = [];
  if (chars.length < 10) problems.push("Use at least 10 characters.");
  const name = username.normalize("NFKC").toLowerCase();
  const lower = chars.join("").toLowerCase();
  if (name && (lower === name || (name.length >= 3 && lower.includes(name))))
    problems.push("The password must not contain the username.");
  if (chars.length > 0 && chars.every((c) => c === chars[0]))
    problems.push("The password must not be one character repeated.");
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
    if (problems.length) return setError(problems.join(" "));
    if (next() !== repeat()) return setError("The two new passwords differ.");
    setBusy(true);
    try {
      await call("POST /api/auth/password", { body: { current: current(), next: next() } });
      setCurrent("");
      setNext("");
      setRepeat("");
      setDone("Password changed. Every other session of this account was signed out.");
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
        Password
      </h2>
      <label>
        Current password
        <input
          type="password"
          value={current()}
          onInput={(e) => setCurrent(e.currentTarget.value)}
          required
          autocomplete="current-password"
        />
      </label>
      <label>
        New password
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
        New password again
        <input
          type="password"
          value={repeat()}
          onInput={(e) => setRepeat(e.currentTarget.value)}
          required
          autocomplete="new-password"
        />
      </label>
      <p class="muted security-note">
        At least 10 characters, not containing your username, and hard to guess (strength 3 of 4 or more).
      </p>
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
          {busy() ? "Changing…" : "Change password"}
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
      setDone(`You now sign in as “${result.username}”.`);
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
        Username
      </h2>
      <p class="muted security-note">
        You sign in as <strong>{me()?.username}</strong>.
      </p>
      <label>
        New username
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
        2 to 64 letters, digits, _ . or - (stored in lower case).
      </p>
      <label>
        Password
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
          {busy() ? "Changing…" : "Change username"}
        </button>
      </div>
    </form>
  );
}
