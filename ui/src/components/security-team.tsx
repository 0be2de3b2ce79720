/**
 * The admins of this gateway: who they are (role, two-factor), pending invites, inviting another (the
 * one-time link is shown once, in a dialog), withdrawing an invite, removing an admin (yourself only
 * after saying so: you are signed out). A read-only admin sees the list with the changes disabled.
 */
import { createResource, createSignal, For, type JSX, Show } from "solid-js";
import { type AdminView, type CreatedInvite, call, type InviteView } from "../api.ts";
import { fmtTime } from "../format.ts";
import { me, READ_ONLY_NOTE, readOnly } from "../session.ts";
import { CopyButton } from "./copy-button.tsx";
import { ChangeButton } from "./key-change-button.tsx";
import { ConfirmDialog, errorText, Modal } from "./modal.tsx";

type Role = AdminView["role"];
const ROLE_TEXT: Record<Role, string> = {
  admin: "Admin: changes anything",
  viewer: "Read-only: sees everything, changes nothing",
};

export function TeamSection(props: { onChange: () => void }): JSX.Element {
  const [team, { refetch }] = createResource(() => call("GET /api/admins"));
  const [role, setRole] = createSignal<Role>("viewer");
  const [created, setCreated] = createSignal<CreatedInvite>();
  const [removing, setRemoving] = createSignal<AdminView>();
  const [error, setError] = createSignal("");
  const changed = () => {
    props.onChange();
    void refetch();
  };

  const invite = async (event: SubmitEvent) => {
    event.preventDefault();
    setError("");
    try {
      setCreated(await call("POST /api/admins/invites", { body: { role: role() } }));
      changed();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const withdraw = async (item: InviteView) => {
    try {
      await call("DELETE /api/admins/invites/:id", { params: { id: item.id } });
      changed();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const remove = async (admin: AdminView) => {
    const self = admin.username === me()?.username;
    await call("DELETE /api/admins/:id", {
      params: { id: admin.id },
      query: self ? { confirmSelf: "true" } : {},
    });
    if (self) location.href = "/login";
    else changed();
  };
  const link = (token: string) => `${location.origin}/setup#invite=${token}`;

  return (
    <section class="panel stack" aria-labelledby="security-team-title">
      <h2 id="security-team-title" class="security-h2">
        Admins
      </h2>
      <Show when={!team.error} fallback={<p class="error">Could not load the admins: {errorText(team.error)}</p>}>
        <Show when={team()} fallback={<div class="skeleton security-skeleton" />}>
          {(t) => (
            <div class="table-wrap">
              <table class="stack-table security-team">
                <thead>
                  <tr>
                    <th scope="col">Username</th>
                    <th scope="col">Role</th>
                    <th scope="col">Two-factor</th>
                    <th scope="col">Since</th>
                    <th scope="col" aria-label="Actions" />
                  </tr>
                </thead>
                <tbody>
                  <For each={t().admins}>
                    {(a) => (
                      <tr>
                        <td data-label="Username">
                          <strong>{a.username}</strong>
                          <Show when={a.username === me()?.username}>
                            <span class="muted"> (you)</span>
                          </Show>
                        </td>
                        <td data-label="Role">{ROLE_TEXT[a.role]}</td>
                        <td data-label="Two-factor">{a.totpEnabled ? "on" : <span class="muted">off</span>}</td>
                        <td data-label="Since">{fmtTime(a.createdAt)}</td>
                        <td class="key-actions">
                          <ChangeButton
                            class="danger"
                            onClick={() => setRemoving(a)}
                            aria-label={`Remove the admin ${a.username}`}
                          >
                            Remove
                          </ChangeButton>
                        </td>
                      </tr>
                    )}
                  </For>
                  <For each={t().invites}>
                    {(i) => (
                      <tr class="key-inactive">
                        <td data-label="Username">
                          <span class="muted">invited by {i.createdBy}</span>
                        </td>
                        <td data-label="Role">{ROLE_TEXT[i.role]}</td>
                        <td data-label="Two-factor">
                          <span class="muted">set up when joining</span>
                        </td>
                        <td data-label="Since">link works until {fmtTime(i.expiresAt)}</td>
                        <td class="key-actions">
                          <ChangeButton
                            onClick={() => void withdraw(i)}
                            aria-label={`Withdraw the invite made by ${i.createdBy}`}
                          >
                            Withdraw
                          </ChangeButton>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          )}
        </Show>
      </Show>
      <Show
        when={!readOnly()}
        fallback={<p class="muted">{READ_ONLY_NOTE} Ask an admin to invite or remove admins.</p>}
      >
        <form class="row security-invite" onSubmit={invite}>
          <label>
            Invite an admin with the role
            <select value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              <option value="viewer">{ROLE_TEXT.viewer}</option>
              <option value="admin">{ROLE_TEXT.admin}</option>
            </select>
          </label>
          <button type="submit" class="primary">
            Create invite link
          </button>
        </form>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>

      <Show when={created()}>
        {(c) => (
          <Modal
            title="Invite link"
            onClose={() => setCreated(undefined)}
            sticky
            wide
            initialFocus="[data-copy-invite] button"
          >
            <div class="stack">
              <p class="warn-box" role="alert">
                <strong>Send this link to the new admin now.</strong> It is shown only this once, works once, and until{" "}
                {fmtTime(c().invite.expiresAt)}. They choose a username and password, then set up two-factor
                authentication.
              </p>
              <div class="key-secret-row">
                <input
                  class="mono key-secret"
                  readonly
                  value={link(c().token)}
                  aria-label="The invite link"
                  onFocus={(e) => e.currentTarget.select()}
                />
                <span data-copy-invite>
                  <CopyButton text={link(c().token)} what="the invite link" label="Copy link" class="primary" />
                </span>
              </div>
              <div class="row modal-actions">
                <button type="button" onClick={() => setCreated(undefined)}>
                  Done
                </button>
              </div>
            </div>
          </Modal>
        )}
      </Show>
      <Show when={removing()}>
        {(a) => (
          <ConfirmDialog
            title={a().username === me()?.username ? "Remove your own account?" : "Remove this admin?"}
            confirmLabel={a().username === me()?.username ? "Remove me and sign out" : "Remove admin"}
            danger
            onConfirm={() => remove(a())}
            onClose={() => setRemoving(undefined)}
          >
            <p>
              <Show
                when={a().username === me()?.username}
                fallback={
                  <>
                    <strong>{a().username}</strong> can no longer sign in; their sessions end at once.
                  </>
                }
              >
                This is <strong>your</strong> account: you are signed out and cannot sign in again. Another admin keeps
                the gateway.
              </Show>
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}
