/**
 * Security: the signed-in admin's password, username and two-factor authentication (enrolment with the
 * server's QR code, recovery codes shown once, turning it off), the admin settings, the admins and their
 * invites, and the audit log. While two-factor is required and missing, only the enrolment is shown (the
 * server refuses the rest). A read-only admin manages their own account only; the rest is disabled.
 */
import { createSignal, type JSX, onMount, Show } from "solid-js";
import { call } from "../api.ts";
import { errorText } from "../components/modal.tsx";
import { PasswordForm, UsernameForm } from "../components/security-account.tsx";
import { AuditLog } from "../components/security-audit.tsx";
import { RecoveryCodes } from "../components/security-codes.tsx";
import { SessionsSection } from "../components/security-sessions.tsx";
import { type AdminSettings, SettingsSection } from "../components/security-settings.tsx";
import { TeamSection } from "../components/security-team.tsx";
import { TwoFactorSection } from "../components/security-totp.tsx";
import { t } from "../i18n/index.ts";
import { me, readOnly } from "../session.ts";

export function SecurityPage(): JSX.Element {
  const [codes, setCodes] = createSignal<{ codes: string[]; regenerated: boolean }>();
  const [settings, setSettings] = createSignal<AdminSettings>();
  const [settingsError, setSettingsError] = createSignal("");
  const [auditVersion, setAuditVersion] = createSignal(0);
  const changed = () => setAuditVersion(auditVersion() + 1);
  // Reactive: once enrolment is confirmed (session refreshed), the rest of the page appears under the codes.
  const mustEnrol = () => Boolean(me()?.mustEnrol);

  const loadSettings = async () => {
    try {
      setSettings(await call("GET /api/settings"));
      setSettingsError("");
    } catch (e) {
      setSettingsError(errorText(e));
    }
  };
  onMount(() => {
    if (!mustEnrol()) void loadSettings();
  });

  return (
    <div class="stack security-page">
      <h1>{t("security.title")}</h1>
      <Show when={readOnly() && !mustEnrol()}>
        <p class="notice" role="note">
          {t("common.readOnlyNote")}
          {t("security.readOnlyOwn")}
        </p>
      </Show>

      <Show when={mustEnrol()}>
        <div class="security-required" role="alert">
          <strong>{t("security.required.title")}</strong>
          <p>{t("security.required.body")}</p>
        </div>
      </Show>

      <Show when={codes()}>
        {(c) => (
          <RecoveryCodes
            codes={c().codes}
            regenerated={c().regenerated}
            username={me()?.username ?? "admin"}
            onDone={() => setCodes(undefined)}
          />
        )}
      </Show>

      <TwoFactorSection
        require2fa={settings()?.require2fa ?? mustEnrol()}
        mustEnrol={mustEnrol()}
        onChange={changed}
        onCodes={(list, regenerated) => {
          setCodes({ codes: list, regenerated });
          if (!settings()) void loadSettings();
        }}
      />

      <Show when={!mustEnrol()}>
        <div class="grid two security-forms">
          <PasswordForm onChange={changed} />
          <UsernameForm onChange={changed} />
        </div>
        <Show
          when={settings()}
          fallback={
            <Show when={settingsError()}>
              <p class="error" role="alert">
                {t("security.settingsFailed", { message: settingsError() })}
              </p>
            </Show>
          }
        >
          {(s) => <SettingsSection settings={s()} onSaved={setSettings} onChange={changed} />}
        </Show>
        <SessionsSection onChange={changed} />
        <TeamSection onChange={changed} />
        <AuditLog version={auditVersion()} />
      </Show>
    </div>
  );
}
