/** First run: create the admin account with the one-time token from the console's setup link. */
import { useNavigate } from "@solidjs/router";
import { createSignal, type JSX, Show } from "solid-js";
import { ApiError, call } from "../api.ts";
import { setupRequired, signedIn } from "../session.ts";

export function SetupPage(): JSX.Element {
  const navigate = useNavigate();
  const fromLink = new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
  const [token, setToken] = createSignal(fromLink);
  const [username, setUsername] = createSignal("admin");
  const [password, setPassword] = createSignal("");
  const [repeat, setRepeat] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    if (password() !== repeat()) return setError("The two passwords differ.");
    setBusy(true);
    try {
      const result = await call("POST /api/auth/setup", {
        body: {
          token: token(),
          username: username(),
          password: password(),
        },
      });
      history.replaceState(null, "", "/"); // drop the token from the address bar
      signedIn(result.user);
      navigate("/security");
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="center">
      <form class="panel auth-box stack" onSubmit={submit}>
        <h1>Set up SmartRoute</h1>
        <Show
          when={setupRequired()}
          fallback={
            <p class="notice">
              Setup is done. <a href="/login">Sign in</a>.
            </p>
          }
        >
          <p class="muted">
            Create the admin account. The setup link printed by the gateway at start fills the token in; it works once
            and for one hour.
          </p>
          <label>
            Setup token
            <input value={token()} onInput={(e) => setToken(e.currentTarget.value)} required autocomplete="off" />
          </label>
          <label>
            Username
            <input
              value={username()}
              onInput={(e) => setUsername(e.currentTarget.value)}
              required
              autocomplete="username"
            />
          </label>
          <label>
            Password (10 characters or more)
            <input
              type="password"
              value={password()}
              onInput={(e) => setPassword(e.currentTarget.value)}
              required
              minLength={10}
              autocomplete="new-password"
            />
          </label>
          <label>
            Password again
            <input
              type="password"
              value={repeat()}
              onInput={(e) => setRepeat(e.currentTarget.value)}
              required
              autocomplete="new-password"
            />
          </label>
          <Show when={error()}>
            <p class="error" role="alert">
              {error()}
            </p>
          </Show>
          <button class="primary" type="submit" disabled={busy()}>
            {busy() ? "Creating…" : "Create the admin account"}
          </button>
        </Show>
      </form>
    </div>
  );
}
