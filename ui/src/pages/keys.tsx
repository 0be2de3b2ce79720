/**
 * Gateway API keys: the stored keys (prefix, dates, usage, limits, status), a form to create one (the
 * key is shown once, in a dialog), editing a key's name and limits with the same form, rotation (a new
 * secret shown once, same key), its use over time, revocation with confirmation, and how to call /v1
 * with a key. A read-only admin sees all of it with the changes disabled, and why.
 */

import { createMemo, createSignal, For, type JSX, onMount, Show } from "solid-js";
import { call } from "../api.ts";
import { type HealthTarget, tiersOf } from "../components/health-parts.tsx";
import { KeyActivity } from "../components/key-activity.tsx";
import { KeyBudget } from "../components/key-budget.tsx";
import { ChangeButton } from "../components/key-change-button.tsx";
import { type CreatedKey, KeyCreatedDialog, KeyCreateForm, type KeyRecord } from "../components/key-create.tsx";
import { KeyUsage } from "../components/key-usage.tsx";
import { ConfirmDialog, errorText, Modal } from "../components/modal.tsx";
import { fmtInt, fmtTime } from "../format.ts";
import { READ_ONLY_NOTE, readOnly } from "../session.ts";

type Status = "active" | "revoked" | "expired";
const statusOf = (k: KeyRecord, now: number): Status =>
  k.revokedAt !== null ? "revoked" : k.expiresAt !== null && k.expiresAt <= now ? "expired" : "active";
const fmtDay = (ts: number) =>
  new Date(ts).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
function fmtAgo(ts: number): string {
  const s = Math.round((Date.now() - ts) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
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

  const now = () => Date.now();
  const shown = createMemo(() => (keys() ?? []).filter((k) => showInactive() || statusOf(k, now()) === "active"));
  const inactiveCount = () => (keys() ?? []).filter((k) => statusOf(k, now()) !== "active").length;
  // The server decides (src/auth/api-keys.ts): revoking every key does not reopen /v1.
  const open = () => keys() !== undefined && access().open;

  const revoke = async (key: KeyRecord) => {
    await call("DELETE /api/keys/:id", { params: { id: key.id } });
    setMessage(`Key “${key.name}” (${key.prefix}…) was revoked: requests with it are refused from now on.`);
    await load();
  };

  const rotate = async (key: KeyRecord) => {
    setMessage("");
    setRotated(await call("POST /api/keys/:id/rotate", { params: { id: key.id } }));
    await load();
  };

  return (
    <div class="stack keys-page">
      <h1>API keys</h1>
      <Show when={readOnly()}>
        <p class="notice" role="note" data-testid="read-only-note">
          {READ_ONLY_NOTE} Ask an admin to create, change, rotate or revoke a key.
        </p>
      </Show>
      <Show when={keys() !== undefined}>
        <Show
          when={open()}
          fallback={
            <p class="muted">
              Clients send a key as <code>Authorization: Bearer &lt;key&gt;</code>.
              <Show when={configKeys() > 0}>
                {" "}
                {configKeys()} key{configKeys() === 1 ? "" : "s"} from the config file (<code>auth.apiKeys</code>) also
                work{configKeys() === 1 ? "s" : ""}; they are not listed here.
              </Show>
            </p>
          }
        >
          <p class="notice" role="status">
            <Show
              when={access().openByConfig}
              fallback={
                <>
                  <strong>/v1 is open:</strong> no key was ever created and the config declares none, so anyone who can
                  reach the gateway can use it. Creating a key closes it for good: every request then needs a key, even
                  after the key is revoked.
                </>
              }
            >
              <strong>/v1 is open on purpose:</strong> the config says <code>auth: {"{ open: true }"}</code>, so
              requests without a key are served. A revoked key is still refused.
            </Show>
          </p>
        </Show>
      </Show>

      <div aria-live="polite" class="live-slot">
        <Show when={message()}>
          <p class="success row">
            {message()}
            <span class="spacer" />
            <button type="button" class="key-dismiss" aria-label="Dismiss" onClick={() => setMessage("")}>
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
            Keys
          </h2>
          <span class="spacer" />
          <Show when={inactiveCount() > 0}>
            <label class="key-check">
              <input
                type="checkbox"
                checked={showInactive()}
                onChange={(e) => setShowInactive(e.currentTarget.checked)}
              />
              Show revoked and expired ({inactiveCount()})
            </label>
          </Show>
        </div>
        <Show when={keys() !== undefined} fallback={<div class="skeleton key-skeleton" />}>
          <Show
            when={shown().length > 0}
            fallback={
              <p class="muted">
                {(keys() ?? []).length === 0 ? "No key created yet." : "Only revoked or expired keys."}
              </p>
            }
          >
            <div class="table-wrap">
              <table class="key-table stack-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Requests</th>
                    <th scope="col">Limits</th>
                    <th scope="col">Budget</th>
                    <th scope="col" aria-label="Actions" />
                  </tr>
                </thead>
                <tbody>
                  <For each={shown()}>
                    {(k) => {
                      const status = statusOf(k, now());
                      return (
                        <tr classList={{ "key-inactive": status !== "active" }}>
                          <td data-label="Name">
                            <strong>{k.name}</strong>
                          </td>
                          <td data-label="Key" class="mono">
                            {k.prefix}…
                          </td>
                          <td data-label="Status">
                            <span>
                              <span class={`badge ${STATUS_CLASS[status]}`}>{status}</span>
                              <Show when={k.revokedAt}>
                                <span class="muted key-when" title={fmtTime(k.revokedAt)}>
                                  {" "}
                                  {fmtDay(k.revokedAt!)}
                                </span>
                              </Show>
                            </span>
                          </td>
                          <td data-label="Created">
                            <time dateTime={new Date(k.createdAt).toISOString()} title={fmtTime(k.createdAt)}>
                              {fmtDay(k.createdAt)}
                            </time>
                          </td>
                          <td data-label="Expires">
                            {k.expiresAt ? (
                              <time dateTime={new Date(k.expiresAt).toISOString()} title={fmtTime(k.expiresAt)}>
                                {fmtDay(k.expiresAt)}
                              </time>
                            ) : (
                              <span class="muted">never</span>
                            )}
                          </td>
                          <td data-label="Last used">
                            {k.lastUsedAt ? (
                              <time dateTime={new Date(k.lastUsedAt).toISOString()} title={fmtTime(k.lastUsedAt)}>
                                {fmtAgo(k.lastUsedAt)}
                              </time>
                            ) : (
                              <span class="muted">never</span>
                            )}
                          </td>
                          <td data-label="Requests">{fmtInt(k.requestCount)}</td>
                          <td data-label="Limits" class="key-limits">
                            <Limits record={k} />
                          </td>
                          <td data-label="Budget">
                            <KeyBudget record={k} />
                          </td>
                          <td class="key-actions">
                            <button
                              type="button"
                              aria-expanded={activityOf() === k.id}
                              onClick={() => setActivityOf(activityOf() === k.id ? undefined : k.id)}
                              aria-label={`Use over time of the key ${k.name}`}
                            >
                              Usage
                            </button>
                            <Show when={status !== "revoked"}>
                              <ChangeButton onClick={() => setEditing(k)} aria-label={`Edit the key ${k.name}`}>
                                Edit
                              </ChangeButton>
                              <ChangeButton onClick={() => setRotating(k)} aria-label={`Rotate the key ${k.name}`}>
                                Rotate
                              </ChangeButton>
                              <ChangeButton
                                class="danger"
                                onClick={() => setRevoking(k)}
                                aria-label={`Revoke the key ${k.name}`}
                              >
                                Revoke
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
        disabledReason={readOnly() ? READ_ONLY_NOTE : undefined}
        onCreated={(c) => {
          setMessage("");
          setCreated(c);
          void load();
        }}
      />

      <section class="panel stack" aria-labelledby="keys-usage-title">
        <h2 id="keys-usage-title" class="key-list-title">
          Using a key
        </h2>
        <p class="muted">
          The gateway speaks OpenAI's API at <code>{location.origin}/v1</code>. Use <code>auto</code>, a tier or a{" "}
          <code>provider/model</code> as the model. Export the key as <code>GATEWAY_API_KEY</code> first.
        </p>
        <KeyUsage apiKey="$GATEWAY_API_KEY" />
      </section>

      <Show when={created()}>{(c) => <KeyCreatedDialog created={c()} onClose={() => setCreated(undefined)} />}</Show>
      <Show when={rotated()}>
        {(c) => <KeyCreatedDialog created={c()} rotated onClose={() => setRotated(undefined)} />}
      </Show>
      <Show when={editing()}>
        {(k) => (
          <Modal title={`Edit the key “${k().name}”`} onClose={() => setEditing(undefined)} wide>
            <KeyCreateForm
              tiers={tiersOf(targets())}
              models={targets().map((t) => t.target)}
              editing={k()}
              onCancel={() => setEditing(undefined)}
              onSaved={(record) => {
                setEditing(undefined);
                setMessage(`Key “${record.name}” saved: its new limits apply from its next request.`);
                void load();
              }}
            />
          </Modal>
        )}
      </Show>
      <Show when={rotating()}>
        {(k) => (
          <ConfirmDialog
            title="Rotate this key?"
            confirmLabel="Rotate key"
            onConfirm={() => rotate(k())}
            onClose={() => setRotating(undefined)}
          >
            <p>
              <strong>{k().name}</strong> gets a new secret, shown once. The current one (
              <span class="mono">{k().prefix}…</span>) stops working at once: clients using it get <code>401</code>{" "}
              until they have the new one. Its limits, usage and history stay.
            </p>
          </ConfirmDialog>
        )}
      </Show>
      <Show when={revoking()}>
        {(k) => (
          <ConfirmDialog
            title="Revoke this key?"
            confirmLabel="Revoke key"
            danger
            onConfirm={() => revoke(k())}
            onClose={() => setRevoking(undefined)}
          >
            <p>
              <strong>{k().name}</strong> (<span class="mono">{k().prefix}…</span>) stops working at once; clients using
              it get <code>401</code>. This cannot be undone.
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
    <Show when={!none()} fallback={<span class="muted">none</span>}>
      <span class="key-limit-list">
        <Show when={l().tiers?.length}>
          <span>tiers {l().tiers!.join(", ")}</span>
        </Show>
        <Show when={l().models?.length}>
          <span>
            models <span class="mono">{l().models!.join(", ")}</span>
          </span>
        </Show>
        <Show when={l().requestsPerMinute}>
          <span>{l().requestsPerMinute}/min</span>
        </Show>
      </span>
    </Show>
  );
}
