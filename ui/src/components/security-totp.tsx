/**
 * Two-factor authentication for the signed-in admin: status; enrolment (QR code from the server shown
 * as an image, the secret for manual entry, confirmation with a code); and, once on, new recovery codes
 * or turning it off — both need the password and a code again.
 */
import { createSignal, type JSX, Match, Show, Switch } from "solid-js";
import { call, type TotpEnrolment } from "../api.ts";
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
          Two-factor authentication
        </h2>
        <span class={`badge ${me()?.totpEnabled ? "ok" : "warn"}`}>{me()?.totpEnabled ? "on" : "off"}</span>
      </div>

      <Switch>
        <Match when={me()?.totpEnabled}>
          <p class="muted">
            Sign-in asks for a code from your authenticator app (or a recovery code) after the password.
          </p>
          <div class="row">
            <button
              type="button"
              aria-expanded={action() === "regenerate"}
              onClick={() => (setAction(action() === "regenerate" ? "" : "regenerate"), setError(""))}
            >
              New recovery codes
            </button>
            <button
              type="button"
              class="danger"
              aria-expanded={action() === "disable"}
              disabled={props.require2fa}
              onClick={() => (setAction(action() === "disable" ? "" : "disable"), setError(""))}
            >
              Turn off
            </button>
          </div>
          <Show when={props.require2fa}>
            <p class="muted security-note">
              It cannot be turned off while the setting “require two-factor for every admin” is on.
            </p>
          </Show>
          <Show when={action()}>
            <RecheckForm
              title={action() === "disable" ? "Turn off two-factor authentication" : "Replace the recovery codes"}
              submitLabel={action() === "disable" ? "Turn off" : "Make new codes"}
              danger={action() === "disable"}
              busy={busy()}
              onCancel={() => (setAction(""), setError(""))}
              onSubmit={(password, secondFactor) =>
                run(async () => {
                  if (action() === "disable") {
                    await call("POST /api/auth/totp/disable", { body: { password, code: secondFactor } });
                    setAction("");
                    setDone("Two-factor authentication is off. Your recovery codes no longer work.");
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
          <p class="muted">
            Protect this account with a second step at sign-in: a 6-digit code from an authenticator app (Google
            Authenticator, Microsoft Authenticator, 1Password, Aegis…).
          </p>
          <div class="row">
            <button type="button" class="primary" onClick={() => void enrol()} disabled={busy()}>
              {busy() ? "Starting…" : "Set up two-factor authentication"}
            </button>
          </div>
        </Match>

        <Match when={enrolment()}>
          {(e) => (
            <form class="stack" onSubmit={confirm} aria-label="Confirm two-factor enrolment">
              <ol class="security-steps">
                <li>
                  <p>Scan this QR code with your authenticator app.</p>
                  <div class="security-qr">
                    <img
                      src={svgSrc(e().qrSvg)}
                      width="200"
                      height="200"
                      alt={`QR code of the two-factor secret for ${me()?.username ?? "this account"}`}
                    />
                  </div>
                  <p class="muted security-note">
                    On the phone with the app? <a href={e().uri}>Open it in the authenticator app</a>.
                  </p>
                </li>
                <li>
                  <p>Or type this secret into the app by hand (time-based, 6 digits, every 30 seconds):</p>
                  <div class="row">
                    {/* An output names its value for screen readers (a code element cannot carry a label). */}
                    <output class="security-secret mono" aria-label="Secret for manual entry">
                      {grouped(e().secret)}
                    </output>
                    <CopyButton text={e().secret} what="the secret" />
                  </div>
                </li>
                <li>
                  <p>
                    <label for="totp-code" class="security-step-label">
                      Enter the 6-digit code the app shows now:
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
                  {busy() ? "Checking…" : "Confirm and turn on"}
                </button>
                <Show when={!props.mustEnrol}>
                  <button type="button" onClick={() => (setEnrolment(undefined), setError(""))} disabled={busy()}>
                    Cancel
                  </button>
                </Show>
              </div>
              <p class="muted security-note">
                Starting again makes a new secret: a code from this one will then no longer work.
              </p>
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
          Password
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
          Code from the app, or a recovery code
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
          {props.busy ? "Checking…" : props.submitLabel}
        </button>
        <button type="button" onClick={() => props.onCancel()} disabled={props.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
