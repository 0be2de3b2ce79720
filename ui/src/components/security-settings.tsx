/** Admin settings: require two-factor for every admin (only once you have it yourself), session lifetime. */
import { createEffect, createSignal, For, type JSX, Show } from "solid-js";
import { type AdminSettings, call } from "../api.ts";
import { me, READ_ONLY_NOTE, readOnly } from "../session.ts";
import { errorText } from "./modal.tsx";

export type { AdminSettings };

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const PRESETS: [number, string][] = [
  [15 * MIN, "15 minutes"],
  [HOUR, "1 hour"],
  [4 * HOUR, "4 hours"],
  [8 * HOUR, "8 hours"],
  [12 * HOUR, "12 hours (default)"],
  [DAY, "1 day"],
  [3 * DAY, "3 days"],
  [7 * DAY, "7 days"],
  [30 * DAY, "30 days"],
];

export function fmtLifetime(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} day${ms === DAY ? "" : "s"}`;
  if (ms % HOUR === 0) return `${ms / HOUR} hour${ms === HOUR ? "" : "s"}`;
  return `${Math.round(ms / MIN)} minutes`;
}

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
  const options = () =>
    PRESETS.some(([ms]) => ms === ttl())
      ? PRESETS
      : [...PRESETS, [ttl(), fmtLifetime(ttl())] as [number, string]].sort((a, b) => a[0] - b[0]);
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
      setDone("Settings saved. The session lifetime applies to sessions started from now on.");
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
        Admin settings
      </h2>
      <Show when={readOnly()}>
        <p class="muted">{READ_ONLY_NOTE}</p>
      </Show>
      <fieldset class="security-settings-fields" disabled={readOnly()}>
        <legend class="sr-only">Settings for every admin</legend>
        <div class="security-toggle">
          <label class="security-check">
            <input
              type="checkbox"
              checked={require2fa()}
              disabled={!canRequire() && !require2fa()}
              onChange={(e) => setRequire2fa(e.currentTarget.checked)}
              aria-describedby="security-require-hint"
            />
            Require two-factor authentication for every admin
          </label>
          <p id="security-require-hint" class="muted security-note">
            <Show
              when={canRequire() || require2fa()}
              fallback="Turn on two-factor authentication for yourself first: then you can require it of everyone."
            >
              An admin without it must enrol right after signing in, before anything else.
            </Show>
          </p>
        </div>
        <label class="security-narrow">
          Session lifetime
          <select value={String(ttl())} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
            <For each={options()}>{([ms, label]) => <option value={String(ms)}>{label}</option>}</For>
          </select>
        </label>
        <p class="muted security-note">
          How long a sign-in lasts. Sessions already open keep the lifetime they started with.
        </p>
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
          {busy() ? "Saving…" : "Save settings"}
        </button>
      </div>
    </form>
  );
}
