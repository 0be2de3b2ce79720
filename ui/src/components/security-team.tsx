/**
 * The admins of this gateway: who they are (role, two-factor), pending invites, inviting another (the
 * one-time link is shown once, in a dialog), withdrawing an invite, removing an admin (yourself only
 * after saying so: you are signed out). A read-only admin sees the list with the changes disabled.
 */
import { createResource, createSignal, For, type JSX, Show } from "solid-js";
import { type AdminView, type CreatedInvite, call, type InviteView } from "../api.ts";
import { fmtTime } from "../format.ts";
import { t } from "../i18n/index.ts";
import { me, readOnly } from "../session.ts";
import { CopyButton } from "./copy-button.tsx";
import { ChangeButton } from "./key-change-button.tsx";
import { ConfirmDialog, errorText, Modal } from "./modal.tsx";

type Role = AdminView["role"];
const roleText = (role: Role) => t(`security.team.roles.${role}`);

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
        {t("security.team.title")}
      </h2>
      <Show
        when={!team.error}
        fallback={<p class="error">{t("security.team.failed", { message: errorText(team.error) })}</p>}
      >
        <Show when={team()} fallback={<div class="skeleton security-skeleton" />}>
          {(list) => (
            <div class="table-wrap">
              <table class="stack-table security-team">
                <thead>
                  <tr>
                    <th scope="col">{t("security.team.username")}</th>
                    <th scope="col">{t("security.team.role")}</th>
                    <th scope="col">{t("security.team.twoFactor")}</th>
                    <th scope="col">{t("security.team.since")}</th>
                    <th scope="col" aria-label={t("security.team.actions")} />
                  </tr>
                </thead>
                <tbody>
                  <For each={list().admins}>
                    {(a) => (
                      <tr>
                        <td data-label={t("security.team.username")}>
                          <strong>{a.username}</strong>
                          <Show when={a.username === me()?.username}>
                            <span class="muted">{t("security.team.you")}</span>
                          </Show>
                        </td>
                        <td data-label={t("security.team.role")}>{roleText(a.role)}</td>
                        <td data-label={t("security.team.twoFactor")}>
                          {a.totpEnabled ? t("security.team.on") : <span class="muted">{t("security.team.off")}</span>}
                        </td>
                        <td data-label={t("security.team.since")}>{fmtTime(a.createdAt)}</td>
                        <td class="key-actions">
                          <ChangeButton
                            class="danger"
                            onClick={() => setRemoving(a)}
                            aria-label={t("security.team.removeOf", { name: a.username })}
                          >
                            {t("security.team.remove")}
                          </ChangeButton>
                        </td>
                      </tr>
                    )}
                  </For>
                  <For each={list().invites}>
                    {(i) => (
                      <tr class="key-inactive">
                        <td data-label={t("security.team.username")}>
                          <span class="muted">{t("security.team.invitedBy", { name: i.createdBy })}</span>
                        </td>
                        <td data-label={t("security.team.role")}>{roleText(i.role)}</td>
                        <td data-label={t("security.team.twoFactor")}>
                          <span class="muted">{t("security.team.setUpWhenJoining")}</span>
                        </td>
                        <td data-label={t("security.team.since")}>
                          {t("security.team.linkUntil", { time: fmtTime(i.expiresAt) })}
                        </td>
                        <td class="key-actions">
                          <ChangeButton
                            onClick={() => void withdraw(i)}
                            aria-label={t("security.team.withdrawOf", { name: i.createdBy })}
                          >
                            {t("security.team.withdraw")}
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
        fallback={
          <p class="muted">
            {t("common.readOnlyNote")}
            {t("security.team.readOnlyAsk")}
          </p>
        }
      >
        <form class="row security-invite" onSubmit={invite}>
          <label>
            {t("security.team.inviteRole")}
            <select value={role()} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              <option value="viewer">{roleText("viewer")}</option>
              <option value="admin">{roleText("admin")}</option>
            </select>
          </label>
          <button type="submit" class="primary">
            {t("security.team.createInvite")}
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
            title={t("security.team.linkTitle")}
            onClose={() => setCreated(undefined)}
            sticky
            wide
            initialFocus="[data-copy-invite] button"
          >
            <div class="stack">
              <p class="warn-box" role="alert">
                <strong>{t("security.team.sendNow")}</strong>
                {t("security.team.shownOnce", { time: fmtTime(c().invite.expiresAt) })}
              </p>
              <div class="key-secret-row">
                <input
                  class="mono key-secret"
                  readonly
                  value={link(c().token)}
                  aria-label={t("security.team.linkField")}
                  onFocus={(e) => e.currentTarget.select()}
                />
                <span data-copy-invite>
                  <CopyButton
                    text={link(c().token)}
                    what={t("security.team.linkWhat")}
                    label={t("security.team.copyLink")}
                    class="primary"
                  />
                </span>
              </div>
              <div class="row modal-actions">
                <button type="button" onClick={() => setCreated(undefined)}>
                  {t("security.team.done")}
                </button>
              </div>
            </div>
          </Modal>
        )}
      </Show>
      <Show when={removing()}>
        {(a) => (
          <ConfirmDialog
            title={t(a().username === me()?.username ? "security.team.removeSelfTitle" : "security.team.removeTitle")}
            confirmLabel={t(
              a().username === me()?.username ? "security.team.removeSelfConfirm" : "security.team.removeConfirm",
            )}
            danger
            onConfirm={() => remove(a())}
            onClose={() => setRemoving(undefined)}
          >
            <p>
              <Show
                when={a().username === me()?.username}
                fallback={
                  <>
                    <strong>{a().username}</strong>
                    {t("security.team.removeBody")}
                  </>
                }
              >
                {t("security.team.removeSelfBefore")}
                <strong>{t("security.team.removeSelfYour")}</strong>
                {t("security.team.removeSelfAfter")}
              </Show>
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </section>
  );
}
