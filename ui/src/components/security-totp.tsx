/**
 * Two-factor authentication for the signed-in admin: status; enrolment (QR code from the server shown
 * as an image, the secret for manual entry, confirmation with a code); and, once on, new recovery codes
 * or turning it off — both need the password and a code again.
 */
import { createSignal, type JSX, Match, Show, Switch } from "solid-js";
import { call, type TotpEnrolment } from "../api.ts";
import { t } from "../i18n/index.ts";
import { me, refreshSession } from "../session.ts";
import { CopyButton } from "./copy-button.tsx";
import { errorText } from "./modal.tsx";

/** The server's SVG as an image: it never becomes markup in our document. */
const svgSrc = (svg: string) => `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
const grouped = (secret: string) => secret.replace(/(.{4})/g, "$1 ").trim();

export function TwoFactorSection(props: {
  require2fa: boolean;
  mustEnrol: boolean;
  onCodes: (codes: string[], regenerated: boolean) => void;
  onChange?: () => void;
}): JSX.Element {
  const [enrolment, setEnrolment] = createSignal<TotpEnrolment>();
  const [code, setCode] = createSignal("");
  const [action, setAction] = createSignal<"" | "disable" | "regenerate">("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal("");
  const [done, setDone] = createSignal("");

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError("");
    setDone("");
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      props.onChange?.();
    }
  };

  const enrol = () =>
    run(async () => {
      setEnrolment(await call("POST /api/auth/totp/enrol"));
      setCode("");
      queueMicrotask(() => document.getElementById("totp-code")?.focus());
    });

  const confirm = (event: SubmitEvent) => {
    event.preventDefault();
    void run(async () => {
      const result = await call("POST /api/auth/totp/confirm", {
        body: {
          code: code().replace(/\s+/g, ""),
        },
      });
      setEnrolment(undefined);
      setCode("");
      props.onCodes(result.recoveryCodes, false);
      await refreshSession();
    });
  };

  return (
    <section class="panel stack" aria-labelledby="security-2fa-title">
      <div class="row">
        <h2 id="security-2fa-title" class="security-h2">
          {t("security.totp.title")}
        </h2>
        <span class={`badge ${me()?.totpEnabled ? "ok" : "warn"}`}>
          {t(me()?.totpEnabled ? "security.totp.on" : "security.totp.off")}
        </span>
      </div>

      <Switch>
        <Match when={me()?.totpEnabled}>
          <p class="muted">{t("security.totp.onBody")}</p>
          <div class="row">
            <button
              type="button"
              aria-expanded={action() === "regenerate"}
              onClick={() => (setAction(action() === "regenerate" ? "" : "regenerate"), setError(""))}
            >
              {t("security.totp.newCodes")}
            </button>
            <button
              type="button"
              class="danger"
              aria-expanded={action() === "disable"}
              disabled={props.require2fa}
              onClick={() => (setAction(action() === "disable" ? "" : "disable"), setError(""))}
            >
              {t("security.totp.turnOff")}
            </button>
          </div>
          <Show when={props.require2fa}>
            <p class="muted security-note">{t("security.totp.cannotTurnOff")}</p>
          </Show>
          <Show when={action()}>
            <RecheckForm
              title={t(action() === "disable" ? "security.totp.disableTitle" : "security.totp.regenerateTitle")}
              submitLabel={t(action() === "disable" ? "security.totp.turnOff" : "security.totp.makeCodes")}
              danger={action() === "disable"}
              busy={busy()}
              onCancel={() => (setAction(""), setError(""))}
              onSubmit={(password, secondFactor) =>
                run(async () => {
                  if (action() === "disable") {
                    await call("POST /api/auth/totp/disable", { body: { password, code: secondFactor } });
                    setAction("");
                    setDone(t("security.totp.disabled"));
                    await refreshSession();
                  } else {
                    const result = await call("POST /api/auth/recovery-codes", {
                      body: {
                        password,
                        code: secondFactor,
                      },
                    });
                    setAction("");
                    props.onCodes(result.recoveryCodes, true);
                  }
                })
              }
            />
          </Show>
        </Match>

        <Match when={!enrolment()}>
          <p class="muted">{t("security.totp.offBody")}</p>
          <div class="row">
            <button type="button" class="primary" onClick={() => void enrol()} disabled={busy()}>
              {t(busy() ? "security.totp.starting" : "security.totp.setUp")}
            </button>
          </div>
        </Match>

        <Match when={enrolment()}>
          {(e) => (
            <form class="stack" onSubmit={confirm} aria-label={t("security.totp.confirmForm")}>
              <ol class="security-steps">
                <li>
                  <p>{t("security.totp.scan")}</p>
                  <div class="security-qr">
                    <img
                      src={svgSrc(e().qrSvg)}
                      width="200"
                      height="200"
                      alt={t("security.totp.qrAlt", { name: me()?.username ?? t("security.totp.thisAccount") })}
                    />
                  </div>
                  <p class="muted security-note">
                    {t("security.totp.onPhone")}
                    <a href={e().uri}>{t("security.totp.openInApp")}</a>
                    {t("security.totp.openInAppAfter")}
                  </p>
                </li>
                <li>
                  <p>{t("security.totp.byHand")}</p>
                  <div class="row">
                    {/* An output names its value for screen readers (a code element cannot carry a label). */}
                    <output class="security-secret mono" aria-label={t("security.totp.secret")}>
                      {grouped(e().secret)}
                    </output>
                    <CopyButton text={e().secret} what={t("security.totp.secretWhat")} />
                  </div>
                </li>
                <li>
                  <p>
                    <label for="totp-code" class="security-step-label">
                      {t("security.totp.enterCode")}
                    </label>
                  </p>
                  <input
                    id="totp-code"
                    class="security-code-input mono"
                    value={code()}
                    onInput={(ev) => setCode(ev.currentTarget.value)}
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    pattern="\s*\d{3}\s*\d{3}\s*"
                    maxLength={7}
                    required
                    placeholder="123456"
                  />
                </li>
              </ol>
              <div class="row">
                <button type="submit" class="primary" disabled={busy()}>
                  {t(busy() ? "security.totp.checking" : "security.totp.confirm")}
                </button>
                <Show when={!props.mustEnrol}>
                  <button type="button" onClick={() => (setEnrolment(undefined), setError(""))} disabled={busy()}>
                    {t("common.cancel")}
                  </button>
                </Show>
              </div>
              <p class="muted security-note">{t("security.totp.restartNote")}</p>
            </form>
          )}
        </Match>
      </Switch>

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
    </section>
  );
}

/** Password and a code again, for the two actions that need them. */
function RecheckForm(props: {
  title: string;
  submitLabel: string;
  danger?: boolean;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (password: string, code: string) => Promise<void>;
}): JSX.Element {
  const [password, setPassword] = createSignal("");
  const [code, setCode] = createSignal("");
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void props.onSubmit(password(), code().trim()).then(() => setPassword(""));
  };
  return (
    <form class="stack security-subform" onSubmit={submit} aria-label={props.title}>
      <h3>{props.title}</h3>
      <div class="grid security-fields">
        <label>
          {t("security.totp.password")}
          <input
            type="password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            required
            autocomplete="current-password"
            ref={(el) => queueMicrotask(() => el.focus())}
          />
        </label>
        <label>
          {t("security.totp.code")}
          <input
            value={code()}
            onInput={(e) => setCode(e.currentTarget.value)}
            required
            autocomplete="one-time-code"
            class="mono"
          />
        </label>
      </div>
      <div class="row">
        <button type="submit" class={props.danger ? "danger-solid" : "primary"} disabled={props.busy}>
          {props.busy ? t("security.totp.checking") : props.submitLabel}
        </button>
        <button type="button" onClick={() => props.onCancel()} disabled={props.busy}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
