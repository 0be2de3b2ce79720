/**
 * Gateway API keys: the stored keys (prefix, dates, usage, limits, status), a form to create one (the
 * key is shown once, in a dialog), editing a key's name and limits with the same form, rotation (a new
 * secret shown once, same key), its use over time, revocation with confirmation, and how to call /v1
 * with a key. A read-only admin sees all of it with the changes disabled, and why.
 */

import { createMemo, createSignal, For, type JSX, onMount, Show } from "solid-js";
import { call } from "../api.ts";
import { type HealthTarget, tiersOf, useNow } from "../components/health-parts.tsx";
import { KeyActivity } from "../components/key-activity.tsx";
import { KeyBudget } from "../components/key-budget.tsx";
import { ChangeButton } from "../components/key-change-button.tsx";
import { type CreatedKey, KeyCreatedDialog, KeyCreateForm, type KeyRecord } from "../components/key-create.tsx";
import { KeyUsage } from "../components/key-usage.tsx";
import { ConfirmDialog, errorText, Modal } from "../components/modal.tsx";
import { fmtInt, fmtTime } from "../format.ts";
import { formatDate, formatNumber, t } from "../i18n/index.ts";
import { readOnly } from "../session.ts";

type Status = "active" | "revoked" | "expired";
const statusOf = (k: KeyRecord, now: number): Status =>
  k.revokedAt !== null ? "revoked" : k.expiresAt !== null && k.expiresAt <= now ? "expired" : "active";
const fmtDay = (ts: number) => formatDate(ts, { month: "short" });
function fmtAgo(ts: number, now: number): string {
  const s = Math.round((now - ts) / 1000);
  if (s < 60) return t("keys.ago.justNow");
  if (s < 3600) return t("keys.ago.minutes", { n: formatNumber(Math.floor(s / 60)) });
  if (s < 86_400) return t("keys.ago.hours", { n: formatNumber(Math.floor(s / 3600)) });
  return fmtDay(ts);
}
const STATUS_CLASS: Record<Status, string> = { active: "ok", revoked: "bad", expired: "warn" };

export function KeysPage(): JSX.Element {
  const [keys, setKeys] = createSignal<KeyRecord[]>();
  const [configKeys, setConfigKeys] = createSignal(0);
  const [access, setAccess] = createSignal<{ open: boolean; openByConfig: boolean }>({
    open: false,
    openByConfig: false,
  });
  const [targets, setTargets] = createSignal<HealthTarget[]>([]);
  const [error, setError] = createSignal("");
  const [created, setCreated] = createSignal<CreatedKey>();
  const [revoking, setRevoking] = createSignal<KeyRecord>();
  const [editing, setEditing] = createSignal<KeyRecord>();
  const [rotating, setRotating] = createSignal<KeyRecord>();
  const [rotated, setRotated] = createSignal<CreatedKey>();
  const [activityOf, setActivityOf] = createSignal<string>();
  const [showInactive, setShowInactive] = createSignal(true);
  const [message, setMessage] = createSignal("");

  const load = async () => {
    try {
      const result = await call("GET /api/keys");
      setAccess({ open: result.open, openByConfig: result.openByConfig });
      setKeys(result.keys);
      setConfigKeys(result.configKeys);
      setError("");
    } catch (e) {
      setError(errorText(e));
    }
  };
  onMount(() => {
    void load();
    void call("GET /api/health")
      .then((r) => setTargets(r.targets))
      .catch(() => {});
  });

  // Ticks each minute: "n min ago" and a key's expiry follow the clock while the page is open.
  const now = useNow(60_000);
  const shown = createMemo(() => (keys() ?? []).filter((k) => showInactive() || statusOf(k, now()) === "active"));
  const inactiveCount = () => (keys() ?? []).filter((k) => statusOf(k, now()) !== "active").length;
  // The server decides (src/auth/api-keys.ts): revoking every key does not reopen /v1.
  const open = () => keys() !== undefined && access().open;

  const revoke = async (key: KeyRecord) => {
    await call("DELETE /api/keys/:id", { params: { id: key.id } });
    setMessage(t("keys.revoked", { name: key.name, prefix: key.prefix }));
    await load();
  };

  const rotate = async (key: KeyRecord) => {
    setMessage("");
    setRotated(await call("POST /api/keys/:id/rotate", { params: { id: key.id } }));
    await load();
  };

  return (
    <div class="stack keys-page">
      <h1>{t("keys.title")}</h1>
      <Show when={readOnly()}>
        <p class="notice" role="note" data-testid="read-only-note">
          {t("common.readOnlyNote")}
          {t("keys.readOnlyAsk")}
        </p>
      </Show>
      <Show when={keys() !== undefined}>
        <Show
          when={open()}
          fallback={
            <p class="muted">
              {t("keys.bearerBefore")}
              <code>Authorization: Bearer &lt;key&gt;</code>
              {t("keys.bearerAfter")}
              <Show when={configKeys() > 0}>
                {t("keys.configKeysBefore", configKeys())}
                <code>auth.apiKeys</code>
                {t("keys.configKeysAfter", configKeys())}
              </Show>
            </p>
          }
        >
          <p class="notice" role="status">
            <Show
              when={access().openByConfig}
              fallback={
                <>
                  <strong>{t("keys.open.title")}</strong>
                  {t("keys.open.body")}
                </>
              }
            >
              <strong>{t("keys.open.byConfigTitle")}</strong>
              {t("keys.open.byConfigBefore")}
              <code>auth: {"{ open: true }"}</code>
              {t("keys.open.byConfigAfter")}
            </Show>
          </p>
        </Show>
      </Show>

      <div aria-live="polite" class="live-slot">
        <Show when={message()}>
          <p class="success row">
            {message()}
            <span class="spacer" />
            <button type="button" class="key-dismiss" aria-label={t("keys.dismiss")} onClick={() => setMessage("")}>
              ✕
            </button>
          </p>
        </Show>
      </div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>

      <section class="panel" aria-labelledby="keys-list-title">
        <div class="row">
          <h2 id="keys-list-title" class="key-list-title">
            {t("keys.list.title")}
          </h2>
          <span class="spacer" />
          <Show when={inactiveCount() > 0}>
            <label class="key-check">
              <input
                type="checkbox"
                checked={showInactive()}
                onChange={(e) => setShowInactive(e.currentTarget.checked)}
              />
              {t("keys.list.showInactive", { n: formatNumber(inactiveCount()) })}
            </label>
          </Show>
        </div>
        <Show when={keys() !== undefined} fallback={<div class="skeleton key-skeleton" />}>
          <Show
            when={shown().length > 0}
            fallback={
              <p class="muted">{(keys() ?? []).length === 0 ? t("keys.list.none") : t("keys.list.onlyInactive")}</p>
            }
          >
            <div class="table-wrap">
              <table class="key-table stack-table">
                <thead>
                  <tr>
                    <th scope="col">{t("keys.list.name")}</th>
                    <th scope="col">{t("keys.list.key")}</th>
                    <th scope="col">{t("keys.list.status")}</th>
                    <th scope="col">{t("keys.list.created")}</th>
                    <th scope="col">{t("keys.list.expires")}</th>
                    <th scope="col">{t("keys.list.lastUsed")}</th>
                    <th scope="col">{t("keys.list.requests")}</th>
                    <th scope="col">{t("keys.list.limits")}</th>
                    <th scope="col">{t("keys.list.budget")}</th>
                    <th scope="col" aria-label={t("keys.list.actions")} />
                  </tr>
                </thead>
                <tbody>
                  <For each={shown()}>
                    {(k) => {
                      const status = statusOf(k, now());
                      return (
                        <tr classList={{ "key-inactive": status !== "active" }}>
                          <td data-label={t("keys.list.name")}>
                            <strong>{k.name}</strong>
                          </td>
                          <td data-label={t("keys.list.key")} class="mono">
                            {k.prefix}…
                          </td>
                          <td data-label={t("keys.list.status")}>
                            <span>
                              <span class={`badge ${STATUS_CLASS[status]}`}>{t(`keys.status.${status}`)}</span>
                              <Show when={k.revokedAt}>
                                <span class="muted key-when" title={fmtTime(k.revokedAt)}>
                                  {" "}
                                  {fmtDay(k.revokedAt!)}
                                </span>
                              </Show>
                            </span>
                          </td>
                          <td data-label={t("keys.list.created")}>
                            <time dateTime={new Date(k.createdAt).toISOString()} title={fmtTime(k.createdAt)}>
                              {fmtDay(k.createdAt)}
                            </time>
                          </td>
                          <td data-label={t("keys.list.expires")}>
                            {k.expiresAt ? (
                              <time dateTime={new Date(k.expiresAt).toISOString()} title={fmtTime(k.expiresAt)}>
                                {fmtDay(k.expiresAt)}
                              </time>
                            ) : (
                              <span class="muted">{t("keys.list.never")}</span>
                            )}
                          </td>
                          <td data-label={t("keys.list.lastUsed")}>
                            {k.lastUsedAt ? (
                              <time dateTime={new Date(k.lastUsedAt).toISOString()} title={fmtTime(k.lastUsedAt)}>
                                {fmtAgo(k.lastUsedAt, now())}
                              </time>
                            ) : (
                              <span class="muted">{t("keys.list.never")}</span>
                            )}
                          </td>
                          <td data-label={t("keys.list.requests")}>{fmtInt(k.requestCount)}</td>
                          <td data-label={t("keys.list.limits")} class="key-limits">
                            <Limits record={k} />
                          </td>
                          <td data-label={t("keys.list.budget")}>
                            <KeyBudget record={k} />
                          </td>
                          <td class="key-actions">
                            <button
                              type="button"
                              aria-expanded={activityOf() === k.id}
                              onClick={() => setActivityOf(activityOf() === k.id ? undefined : k.id)}
                              aria-label={t("keys.list.usageOf", { name: k.name })}
                            >
                              {t("keys.list.usage")}
                            </button>
                            <Show when={status !== "revoked"}>
                              <ChangeButton
                                onClick={() => setEditing(k)}
                                aria-label={t("keys.list.editOf", { name: k.name })}
                              >
                                {t("keys.list.edit")}
                              </ChangeButton>
                              <ChangeButton
                                onClick={() => setRotating(k)}
                                aria-label={t("keys.list.rotateOf", { name: k.name })}
                              >
                                {t("keys.list.rotate")}
                              </ChangeButton>
                              <ChangeButton
                                class="danger"
                                onClick={() => setRevoking(k)}
                                aria-label={t("keys.list.revokeOf", { name: k.name })}
                              >
                                {t("keys.list.revoke")}
                              </ChangeButton>
                            </Show>
                          </td>
                        </tr>
                      );
                    }}
                  </For>
                </tbody>
              </table>
            </div>
            <Show when={(keys() ?? []).find((k) => k.id === activityOf())}>
              {(k) => (
                <div id="key-activity" class="key-activity-panel">
                  <KeyActivity record={k()} />
                </div>
              )}
            </Show>
          </Show>
        </Show>
      </section>

      <KeyCreateForm
        tiers={tiersOf(targets())}
        models={targets().map((t) => t.target)}
        closesOpenGateway={open()}
        disabledReason={readOnly() ? t("common.readOnlyNote") : undefined}
        onCreated={(c) => {
          setMessage("");
          setCreated(c);
          void load();
        }}
      />

      <section class="panel stack" aria-labelledby="keys-usage-title">
        <h2 id="keys-usage-title" class="key-list-title">
          {t("keys.using.title")}
        </h2>
        <p class="muted">
          {t("keys.using.at")}
          <code>{location.origin}/v1</code>
          {t("keys.using.use")}
          <code>auto</code>
          {t("keys.using.tierOr")}
          <code>provider/model</code>
          {t("keys.using.asModel")}
          <code>GATEWAY_API_KEY</code>
          {t("keys.using.first")}
        </p>
        <KeyUsage apiKey="$GATEWAY_API_KEY" />
      </section>

      <Show when={created()}>{(c) => <KeyCreatedDialog created={c()} onClose={() => setCreated(undefined)} />}</Show>
      <Show when={rotated()}>
        {(c) => <KeyCreatedDialog created={c()} rotated onClose={() => setRotated(undefined)} />}
      </Show>
      <Show when={editing()}>
        {(k) => (
          <Modal title={t("keys.editTitle", { name: k().name })} onClose={() => setEditing(undefined)} wide>
            <KeyCreateForm
              tiers={tiersOf(targets())}
              models={targets().map((t) => t.target)}
              editing={k()}
              onCancel={() => setEditing(undefined)}
              onSaved={(record) => {
                setEditing(undefined);
                setMessage(t("keys.saved", { name: record.name }));
                void load();
              }}
            />
          </Modal>
        )}
      </Show>
      <Show when={rotating()}>
        {(k) => (
          <ConfirmDialog
            title={t("keys.rotateDialog.title")}
            confirmLabel={t("keys.rotateDialog.confirm")}
            onConfirm={() => rotate(k())}
            onClose={() => setRotating(undefined)}
          >
            <p>
              <strong>{k().name}</strong>
              {t("keys.rotateDialog.newSecret")}
              <span class="mono">{k().prefix}…</span>
              {t("keys.rotateDialog.stops")}
              <code>401</code>
              {t("keys.rotateDialog.stays")}
            </p>
          </ConfirmDialog>
        )}
      </Show>
      <Show when={revoking()}>
        {(k) => (
          <ConfirmDialog
            title={t("keys.revokeDialog.title")}
            confirmLabel={t("keys.revokeDialog.confirm")}
            danger
            onConfirm={() => revoke(k())}
            onClose={() => setRevoking(undefined)}
          >
            <p>
              <strong>{k().name}</strong>
              {t("keys.revokeDialog.open")}
              <span class="mono">{k().prefix}…</span>
              {t("keys.revokeDialog.stops")}
              <code>401</code>
              {t("keys.revokeDialog.final")}
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </div>
  );
}

function Limits(props: { record: KeyRecord }): JSX.Element {
  const l = () => props.record.limits ?? {};
  const none = () => !l().tiers?.length && !l().models?.length && !l().requestsPerMinute;
  return (
    <Show when={!none()} fallback={<span class="muted">{t("keys.limits.none")}</span>}>
      <span class="key-limit-list">
        <Show when={l().tiers?.length}>
          <span>{t("keys.limits.tiers", { list: l().tiers!.join(", ") })}</span>
        </Show>
        <Show when={l().models?.length}>
          <span>
            {t("keys.limits.models")}
            <span class="mono">{l().models!.join(", ")}</span>
          </span>
        </Show>
        <Show when={l().requestsPerMinute}>
          <span>{t("keys.limits.perMinute", { n: formatNumber(l().requestsPerMinute!) })}</span>
        </Show>
      </span>
    </Show>
  );
}
