/** Admin settings: require two-factor for every admin (only once you have it yourself), session lifetime. */
import { createEffect, createSignal, For, type JSX, Show } from "solid-js";
import { type AdminSettings, call } from "../api.ts";
import { t } from "../i18n/index.ts";
import { me, readOnly } from "../session.ts";
import { errorText } from "./modal.tsx";

export type { AdminSettings };

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** The session lifetimes offered; the server's default is 12 hours. */
const PRESETS = [15 * MIN, HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, DAY, 3 * DAY, 7 * DAY, 30 * DAY];
const DEFAULT_TTL = 12 * HOUR;

/** A duration in words, in whole days, hours or minutes: "1 day", "4 hours", "15 minutes". */
export function fmtLifetime(ms: number): string {
  if (ms % DAY === 0) return t("security.days", ms / DAY);
  if (ms % HOUR === 0) return t("security.hours", ms / HOUR);
  return t("security.minutes", Math.round(ms / MIN));
}

const lifetimeLabel = (ms: number) =>
  ms === DEFAULT_TTL ? t("security.settings.defaultLifetime", { lifetime: fmtLifetime(ms) }) : fmtLifetime(ms);

export function SettingsSection(props: {
  settings: AdminSettings;
  onSaved: (settings: AdminSettings) => void;
  onChange?: () => void;
}): JSX.Element {
  const [require2fa, setRequire2fa] = createSignal(props.settings.require2fa);
  const [ttl, setTtl] = createSignal(props.settings.sessionTtlMs);
  const [error, setError] = createSignal("");
  const [done, setDone] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  createEffect(() => {
    setRequire2fa(props.settings.require2fa);
    setTtl(props.settings.sessionTtlMs);
  });
  const options = () => (PRESETS.includes(ttl()) ? PRESETS : [...PRESETS, ttl()].sort((a, b) => a - b));
  const changed = () => require2fa() !== props.settings.require2fa || ttl() !== props.settings.sessionTtlMs;
  const canRequire = () => Boolean(me()?.totpEnabled);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    setDone("");
    setBusy(true);
    try {
      const saved = await call("PUT /api/settings", { body: { require2fa: require2fa(), sessionTtlMs: ttl() } });
      props.onSaved(saved);
      setDone(t("security.settings.saved"));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      props.onChange?.();
    }
  };

  return (
    <form class="panel stack" onSubmit={save} aria-labelledby="security-settings-title">
      <h2 id="security-settings-title" class="security-h2">
        {t("security.settings.title")}
      </h2>
      <Show when={readOnly()}>
        <p class="muted">{t("common.readOnlyNote")}</p>
      </Show>
      <fieldset class="security-settings-fields" disabled={readOnly()}>
        <legend class="sr-only">{t("security.settings.legend")}</legend>
        <div class="security-toggle">
          <label class="security-check">
            <input
              type="checkbox"
              checked={require2fa()}
              disabled={!canRequire() && !require2fa()}
              onChange={(e) => setRequire2fa(e.currentTarget.checked)}
              aria-describedby="security-require-hint"
            />
            {t("security.settings.require")}
          </label>
          <p id="security-require-hint" class="muted security-note">
            <Show when={canRequire() || require2fa()} fallback={t("security.settings.requireFirst")}>
              {t("security.settings.requireHint")}
            </Show>
          </p>
        </div>
        <label class="security-narrow">
          {t("security.settings.lifetime")}
          <select value={String(ttl())} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
            <For each={options()}>{(ms) => <option value={String(ms)}>{lifetimeLabel(ms)}</option>}</For>
          </select>
        </label>
        <p class="muted security-note">{t("security.settings.lifetimeHint")}</p>
      </fieldset>
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
        <button type="submit" class="primary" disabled={busy() || !changed() || readOnly()}>
          {t(busy() ? "security.settings.saving" : "security.settings.save")}
        </button>
      </div>
    </form>
  );
}
