/**
 * The form that creates a gateway API key (name, optional expiry and limits: tiers, models, rate, budget, in-flight cap), and the dialog that
 * shows the new key once: copy button, a clear warning, and a second chance before closing it uncopied.
 */
import { createSignal, For, type JSX, Show } from "solid-js";
import { type CreatedKey, call, type KeyRecord } from "../api.ts";
import { t } from "../i18n/index.ts";
import { CopyButton } from "./copy-button.tsx";
import { type BudgetPeriod, PeriodOptions } from "./key-budget.tsx";
import { KeyUsage } from "./key-usage.tsx";
import { errorText, Modal } from "./modal.tsx";

export type { KeyLimits } from "../../../src/store/api-key-store.ts";

import type { KeyLimits } from "../../../src/store/api-key-store.ts";

/** A stored key as GET /api/keys lists it (never its hash), and the answer of a creation. */
export type { CreatedKey, KeyRecord };

const isoDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

/** A count typed in a field: undefined when left empty, null when it is not a whole number above 0. */
function count(text: string): number | undefined | null {
  if (!text.trim()) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : null;
}

/** An optional count (a rate, a cap): empty means unlimited. */
function CountField(props: { label: string; value: string; onInput: (value: string) => void }): JSX.Element {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min="1"
        step="1"
        inputmode="numeric"
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        placeholder={t("keys.form.unlimited")}
      />
    </label>
  );
}

/**
 * The form that creates a key, or with `editing` the same fields filled with an existing key's name and
 * limits (its expiry is fixed at creation): saving renames it if the name changed and replaces its limits.
 */
export function KeyCreateForm(props: {
  tiers: string[];
  models: string[];
  onCreated?: (created: CreatedKey) => void;
  closesOpenGateway?: boolean;
  editing?: KeyRecord;
  onSaved?: (record: KeyRecord) => void;
  onCancel?: () => void;
  /** Why the form cannot be sent (a read-only role), shown instead of enabling the button. */
  disabledReason?: string;
}): JSX.Element {
  const initial = props.editing;
  const limitsOf = initial?.limits ?? {};
  const text = (n: number | undefined) => (n === undefined ? "" : String(n));
  const [name, setName] = createSignal(initial?.name ?? "");
  const [expiry, setExpiry] = createSignal("");
  const [tiers, setTiers] = createSignal<string[]>(limitsOf.tiers ?? []);
  const [models, setModels] = createSignal<string[]>(limitsOf.models ?? []);
  const [rpm, setRpm] = createSignal(text(limitsOf.requestsPerMinute));
  const [budget, setBudget] = createSignal(text(limitsOf.budgetUsd));
  const [period, setPeriod] = createSignal<BudgetPeriod>(limitsOf.budgetPeriod ?? "month");
  const [cap, setCap] = createSignal(text(limitsOf.maxConcurrent));
  const idPrefix = initial ? `key-edit-${initial.id}` : "key-create";
  // A model the key allows that no target serves any more stays listed, so saving does not drop it.
  const modelChoices = () => [...new Set([...props.models, ...(limitsOf.models ?? [])])];
  const tierChoices = () => [...new Set([...props.tiers, ...(limitsOf.tiers ?? [])])];
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const tomorrow = () => isoDay(new Date(Date.now() + 86_400_000));

  const toggle = (list: string[], value: string, on: boolean) =>
    on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    const limits: KeyLimits = {};
    if (tiers().length) limits.tiers = tiers();
    if (models().length) limits.models = models();
    const perMinute = count(rpm());
    if (perMinute === null) return setError(t("keys.form.badRpm"));
    if (perMinute !== undefined) limits.requestsPerMinute = perMinute;
    if (budget().trim()) {
      const usd = Number(budget());
      if (!Number.isFinite(usd) || usd <= 0) return setError(t("keys.form.badBudget"));
      limits.budgetUsd = usd;
      limits.budgetPeriod = period();
    }
    const inFlight = count(cap());
    if (inFlight === null) return setError(t("keys.form.badInFlight"));
    if (inFlight !== undefined) limits.maxConcurrent = inFlight;
    // The key works through the whole chosen day (local time).
    const expiresAt = expiry() ? new Date(`${expiry()}T23:59:59.999`).getTime() : undefined;
    setBusy(true);
    try {
      if (initial) {
        if (name().trim() !== initial.name)
          await call("PUT /api/keys/:id/name", { params: { id: initial.id }, body: { name: name().trim() } });
        props.onSaved?.(await call("PUT /api/keys/:id/limits", { params: { id: initial.id }, body: { limits } }));
        return;
      }
      const created = await call("POST /api/keys", { body: { name: name().trim(), expiresAt, limits } });
      setName("");
      setExpiry("");
      setTiers([]);
      setModels([]);
      setRpm("");
      setBudget("");
      setPeriod("month");
      setCap("");
      props.onCreated?.(created);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="stack key-form"
      classList={{ panel: !initial }}
      onSubmit={submit}
      aria-labelledby={initial ? undefined : `${idPrefix}-title`}
      aria-label={initial ? t("keys.list.editOf", { name: initial.name }) : undefined}
    >
      <Show when={!initial}>
        <h2 id={`${idPrefix}-title`}>{t("keys.form.createTitle")}</h2>
      </Show>
      <div class="grid key-form-grid">
        <label>
          {t("keys.form.name")}
          <input
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            required
            maxLength={100}
            placeholder={t("keys.form.namePlaceholder")}
            autocomplete="off"
          />
        </label>
        <Show when={!initial}>
          <label>
            {t("keys.form.expiry")}
            <input
              type="date"
              value={expiry()}
              min={tomorrow()}
              onInput={(e) => setExpiry(e.currentTarget.value)}
              aria-describedby={`${idPrefix}-expiry-hint`}
            />
            <span id={`${idPrefix}-expiry-hint`} class="key-hint">
              {t("keys.form.expiryHint")}
            </span>
          </label>
        </Show>
        <CountField label={t("keys.form.rpm")} value={rpm()} onInput={setRpm} />
        <label>
          {t("keys.form.budget")}
          <input
            type="number"
            min="0.01"
            step="0.01"
            inputmode="decimal"
            value={budget()}
            onInput={(e) => setBudget(e.currentTarget.value)}
            placeholder={t("keys.form.noBudget")}
            aria-describedby={`${idPrefix}-budget-hint`}
          />
          <span id={`${idPrefix}-budget-hint`} class="key-hint">
            {t("keys.form.budgetHint")}
          </span>
        </label>
        <label>
          {t("keys.form.period")}
          <select
            value={period()}
            onChange={(e) => setPeriod(e.currentTarget.value as BudgetPeriod)}
            disabled={!budget().trim()}
          >
            <PeriodOptions />
          </select>
        </label>
        <CountField label={t("keys.form.inFlight")} value={cap()} onInput={setCap} />
      </div>
      <div class="grid key-limit-grid">
        <fieldset class="key-fieldset">
          <legend>{t("keys.form.tiers")}</legend>
          <Show when={tierChoices().length > 0} fallback={<p class="muted">{t("keys.form.noTier")}</p>}>
            <div class="key-checks">
              <For each={tierChoices()}>
                {(tier) => (
                  <label class="key-check">
                    <input
                      type="checkbox"
                      checked={tiers().includes(tier)}
                      onChange={(e) => setTiers(toggle(tiers(), tier, e.currentTarget.checked))}
                    />
                    {tier}
                  </label>
                )}
              </For>
            </div>
          </Show>
        </fieldset>
        <fieldset class="key-fieldset">
          <legend>{t("keys.form.models")}</legend>
          <Show when={modelChoices().length > 0} fallback={<p class="muted">{t("keys.form.noModel")}</p>}>
            <div class="key-checks key-models">
              <For each={modelChoices()}>
                {(model) => (
                  <label class="key-check mono">
                    <input
                      type="checkbox"
                      checked={models().includes(model)}
                      onChange={(e) => setModels(toggle(models(), model, e.currentTarget.checked))}
                    />
                    {model}
                  </label>
                )}
              </For>
            </div>
          </Show>
        </fieldset>
      </div>
      <Show when={props.closesOpenGateway}>
        <p class="notice">
          {t("keys.form.firstKeyBefore")}
          <code>/v1</code>
          {t("keys.form.firstKeyAfter")}
        </p>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={props.disabledReason}>
        <p class="muted key-readonly">{props.disabledReason}</p>
      </Show>
      <div class="row">
        <button type="submit" class="primary" disabled={busy() || Boolean(props.disabledReason)}>
          {initial
            ? t(busy() ? "keys.form.saving" : "keys.form.save")
            : t(busy() ? "keys.form.creating" : "keys.form.create")}
        </button>
        <Show when={props.onCancel}>
          <button type="button" onClick={() => props.onCancel?.()}>
            {t("common.cancel")}
          </button>
        </Show>
      </div>
    </form>
  );
}

/** The new secret, shown once: after a creation, or with `rotated` after a rotation (the old secret is dead). */
export function KeyCreatedDialog(props: { created: CreatedKey; onClose: () => void; rotated?: boolean }): JSX.Element {
  const [copied, setCopied] = createSignal(false);
  const [warned, setWarned] = createSignal(false);
  const close = () => {
    if (copied() || warned()) return props.onClose();
    setWarned(true);
    queueMicrotask(() => document.querySelector<HTMLElement>("[data-close-anyway]")?.focus());
  };
  return (
    <Modal
      title={t(props.rotated ? "keys.created.rotatedTitle" : "keys.created.title", { name: props.created.record.name })}
      onClose={close}
      sticky
      wide
      initialFocus="[data-copy-key-wrap] button"
    >
      <div class="stack">
        <p class="warn-box" role="alert">
          <strong>{t("keys.created.copyNow")}</strong>
          {t(props.rotated ? "keys.created.shownOnceRotated" : "keys.created.shownOnce")}
          <Show when={props.rotated}>{t("keys.created.oldDead")}</Show>
        </p>
        <div class="key-secret-row">
          <input
            class="mono key-secret"
            readonly
            value={props.created.key}
            aria-label={t("keys.created.field")}
            onFocus={(e) => e.currentTarget.select()}
          />
          <span data-copy-key-wrap>
            <CopyButton
              text={props.created.key}
              what={t("keys.created.what")}
              label={t("keys.created.copy")}
              class="primary"
              onCopied={() => setCopied(true)}
            />
          </span>
        </div>
        <h3>{t("keys.created.tryIt")}</h3>
        <KeyUsage
          apiKey={props.created.key}
          label={t("keys.created.snippetLanguage")}
          onCopied={() => setCopied(true)}
        />
        <Show when={warned() && !copied()}>
          <p class="error" role="alert">
            {t("keys.created.notCopied")}
          </p>
        </Show>
        <div class="row modal-actions">
          <Show when={warned() && !copied()}>
            <button type="button" class="danger" data-close-anyway onClick={() => props.onClose()}>
              {t("keys.created.closeAnyway")}
            </button>
          </Show>
          <Show when={!warned() || copied()}>
            <button type="button" class={copied() ? "primary" : ""} onClick={close}>
              {t(copied() ? "keys.created.done" : "keys.created.close")}
            </button>
          </Show>
        </div>
      </div>
    </Modal>
  );
}
