/**
 * Creating an account from a one-time link: the first admin with the setup token from the console's
 * link (`/setup#token=…`), or another admin with an invite (`/setup#invite=…`, made on the Security
 * page). The token is read from the address whenever its hash changes, so a page opened before the link
 * was pasted still picks it up. The password's strength shows as it is typed (the server decides).
 */
import { useNavigate } from "@solidjs/router";
import { createSignal, type JSX, onCleanup, Show } from "solid-js";
import { call } from "../api.ts";
import { errorText } from "../components/modal.tsx";
import { PasswordMeter } from "../components/security-password-meter.tsx";
import { setupRequired, signedIn } from "../session.ts";

/** The token in the address's hash: which kind, and the text; empty when there is none. */
function linkToken(): { invite: boolean; token: string } {
  const hash = new URLSearchParams(location.hash.slice(1));
  const invite = hash.get("invite");
  return invite ? { invite: true, token: invite } : { invite: false, token: hash.get("token") ?? "" };
}

export function SetupPage(): JSX.Element {
  const navigate = useNavigate();
  const [link, setLink] = createSignal(linkToken());
  const [token, setToken] = createSignal(link().token);
  const [username, setUsername] = createSignal(link().invite ? "" : "admin");
  const [password, setPassword] = createSignal("");
  const [repeat, setRepeat] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  // The link pasted into the address bar of an open page changes only the hash: no reload, no new mount.
  const onHash = () => {
    const next = linkToken();
    if (!next.token) return;
    if (next.invite !== link().invite) setUsername(next.invite ? "" : "admin");
    setLink(next);
    setToken(next.token);
    setError("");
  };
  window.addEventListener("hashchange", onHash);
  onCleanup(() => window.removeEventListener("hashchange", onHash));

  const invite = () => link().invite;

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    if (password() !== repeat()) return setError("The two passwords differ.");
    setBusy(true);
    try {
      const body = { token: token(), username: username(), password: password() };
      const result = invite()
        ? await call("POST /api/auth/invite/accept", { body })
        : await call("POST /api/auth/setup", { body });
      history.replaceState(null, "", "/"); // drop the token from the address bar
      signedIn(result.user);
      navigate("/security");
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="center">
      <form
        class="panel auth-box stack"
        onSubmit={submit}
        aria-label={invite() ? "Join SmartRoute" : "Set up SmartRoute"}
      >
        <h1>{invite() ? "Join SmartRoute" : "Set up SmartRoute"}</h1>
        <Show
          when={setupRequired() || invite()}
          fallback={
            <p class="notice">
              Setup is done. <a href="/login">Sign in</a>, or open the invite link an admin sent you.
            </p>
          }
        >
          <p class="muted">
            {invite()
              ? "An admin invited you: choose your username and password. Next you set up two-factor authentication with an authenticator app. The link works once."
              : "Create the admin account. The setup link printed by the gateway at start fills the token in; it works once and for one hour."}
          </p>
          <label>
            {invite() ? "Invite token" : "Setup token"}
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
              aria-describedby="setup-strength"
            />
          </label>
          <PasswordMeter password={password()} related={[username()]} id="setup-strength" />
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
            {busy() ? "Creating…" : invite() ? "Create my account" : "Create the admin account"}
          </button>
        </Show>
      </form>
    </div>
  );
}
