/** Sign-in: the password, then (for an account with two-factor) a code from the app or a recovery code. */
import { useNavigate } from "@solidjs/router";
import { createSignal, type JSX, Show } from "solid-js";
import { ApiError, call } from "../api.ts";
import { LanguageSwitch } from "../components/language-switch.tsx";
import { errorText } from "../components/modal.tsx";
import { t } from "../i18n/index.ts";
import { setupRequired, signedIn } from "../session.ts";

export function LoginPage(): JSX.Element {
  const navigate = useNavigate();
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [code, setCode] = createSignal("");
  const [step, setStep] = createSignal<"password" | "code">("password");
  const [useRecovery, setUseRecovery] = createSignal(false);
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);

  let codeInput: HTMLInputElement | undefined;
  // `autofocus` only works on elements present at load: the code field appears later, so it is focused here.
  const focusCode = () => queueMicrotask(() => codeInput?.focus());

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    setBusy(true);
    try {
      const result = await call("POST /api/auth/login", {
        body: {
          username: username(),
          password: password(),
          code: step() === "code" ? code() : undefined,
        },
      });
      signedIn(result.user);
      navigate(result.user.mustEnrol ? "/security" : "/");
    } catch (e) {
      if (e instanceof ApiError && e.code === "totp_required") {
        setStep("code");
        focusCode();
      } else {
        // A throttled login says how long to wait in the words every page uses ("1 second", "3 minutes").
        setError(errorText(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="center">
      <form class="panel auth-box stack" onSubmit={submit} aria-label={t("auth.login.form")}>
        <h1>{t("auth.login.title")}</h1>
        <Show when={setupRequired()}>
          <p class="notice">{t("auth.login.noAdmin")}</p>
        </Show>
        <Show when={step() === "password"}>
          <label>
            {t("auth.login.username")}
            <input
              name="username"
              value={username()}
              onInput={(e) => setUsername(e.currentTarget.value)}
              required
              autocomplete="username"
              autofocus
            />
          </label>
          <label>
            {t("auth.login.password")}
            <input
              name="password"
              type="password"
              value={password()}
              onInput={(e) => setPassword(e.currentTarget.value)}
              required
              autocomplete="current-password"
            />
          </label>
        </Show>
        <Show when={step() === "code"}>
          <p class="muted">{useRecovery() ? t("auth.login.enterRecovery") : t("auth.login.enterCode")}</p>
          <label>
            {useRecovery() ? t("auth.login.recoveryCode") : t("auth.login.code")}
            <input
              ref={codeInput}
              name="code"
              value={code()}
              onInput={(e) => setCode(e.currentTarget.value)}
              required
              autocomplete="one-time-code"
              inputmode={useRecovery() ? "text" : "numeric"}
            />
          </label>
          <button type="button" onClick={() => (setUseRecovery(!useRecovery()), setCode(""), focusCode())}>
            {useRecovery() ? t("auth.login.useAppCode") : t("auth.login.useRecoveryCode")}
          </button>
        </Show>
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <button class="primary" type="submit" disabled={busy()}>
          {busy() ? t("auth.login.signingIn") : step() === "code" ? t("auth.login.verify") : t("auth.login.signIn")}
        </button>
      </form>
      <div class="auth-language">
        <LanguageSwitch />
      </div>
    </div>
  );
}
