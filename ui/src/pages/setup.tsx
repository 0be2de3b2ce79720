/**
 * Creating an account from a one-time link: the first admin with the setup token from the console's
 * link (`/setup#token=…`), or another admin with an invite (`/setup#invite=…`, made on the Security
 * page). The token is read from the address whenever its hash changes, so a page opened before the link
 * was pasted still picks it up. The password's strength shows as it is typed (the server decides).
 */
import { useNavigate } from "@solidjs/router";
import { createSignal, type JSX, onCleanup, Show } from "solid-js";
import { call } from "../api.ts";
import { LanguageSwitch } from "../components/language-switch.tsx";
import { errorText } from "../components/modal.tsx";
import { PasswordMeter } from "../components/security-password-meter.tsx";
import { t } from "../i18n/index.ts";
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
    if (password() !== repeat()) return setError(t("auth.setup.mismatch"));
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
        aria-label={invite() ? t("auth.setup.joinTitle") : t("auth.setup.setupTitle")}
      >
        <h1>{invite() ? t("auth.setup.joinTitle") : t("auth.setup.setupTitle")}</h1>
        <Show
          when={setupRequired() || invite()}
          fallback={
            <p class="notice">
              {t("auth.setup.doneBefore")}
              <a href="/login">{t("auth.setup.doneLink")}</a>
              {t("auth.setup.doneAfter")}
            </p>
          }
        >
          <p class="muted">{invite() ? t("auth.setup.inviteIntro") : t("auth.setup.setupIntro")}</p>
          <label>
            {invite() ? t("auth.setup.inviteToken") : t("auth.setup.setupToken")}
            <input value={token()} onInput={(e) => setToken(e.currentTarget.value)} required autocomplete="off" />
          </label>
          <label>
            {t("auth.setup.username")}
            <input
              value={username()}
              onInput={(e) => setUsername(e.currentTarget.value)}
              required
              autocomplete="username"
            />
          </label>
          <label>
            {t("auth.setup.password")}
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
            {t("auth.setup.passwordAgain")}
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
            {busy() ? t("auth.setup.creating") : invite() ? t("auth.setup.createMine") : t("auth.setup.createAdmin")}
          </button>
        </Show>
      </form>
      <div class="auth-language">
        <LanguageSwitch />
      </div>
    </div>
  );
}
