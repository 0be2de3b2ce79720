/** The admin's open sessions (browser, address, times) with sign-out per session. */
import { createResource, For, type JSX, Show } from "solid-js";
import { call, type OpenSession } from "../api.ts";
import { fmtTime } from "../format.ts";
import { t } from "../i18n/index.ts";
import { errorText } from "./modal.tsx";

/** A short browser name from a user agent, for the list. */
function browserOf(agent: string | null): string {
  if (!agent) return t("security.sessions.unknown");
  const match = /(Firefox|Edg|Chrome|Safari|curl|Bun|node)[/ ]?([\d.]*)/.exec(agent);
  return match ? `${match[1] === "Edg" ? "Edge" : match[1]} ${match[2].split(".")[0]}`.trim() : agent.slice(0, 40);
}

export function SessionsSection(props: { onChange: () => void }): JSX.Element {
  const [list, { refetch }] = createResource(() => call("GET /api/auth/sessions"));
  const revoke = async (session: OpenSession) => {
    if (session.current && !window.confirm(t("security.sessions.confirmSelf"))) return;
    try {
      await call("DELETE /api/auth/sessions/:id", { params: { id: session.id } });
      props.onChange();
      if (session.current) location.href = "/login";
      else void refetch();
    } catch (error) {
      window.alert(errorText(error));
    }
  };
  return (
    <section class="panel stack" aria-labelledby="security-sessions-title">
      <h2 id="security-sessions-title">{t("security.sessions.title")}</h2>
      <p class="muted">{t("security.sessions.intro")}</p>
      <Show
        when={!list.error}
        fallback={
          <p class="error" role="alert">
            {t("security.sessions.failed", { message: errorText(list.error) })}
          </p>
        }
      >
        <div class="table-wrap">
          <table class="stack-table">
            <thead>
              <tr>
                <th>{t("security.sessions.client")}</th>
                <th>{t("security.sessions.address")}</th>
                <th>{t("security.sessions.signedIn")}</th>
                <th>{t("security.sessions.expires")}</th>
                <th>
                  <span class="sr-only">{t("security.sessions.action")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={list()?.sessions ?? []}>
                {(session) => (
                  <tr>
                    <td data-label={t("security.sessions.client")}>
                      {browserOf(session.userAgent)}{" "}
                      <Show when={session.current}>
                        <span class="badge ok">{t("security.sessions.thisBrowser")}</span>
                      </Show>
                    </td>
                    <td data-label={t("security.sessions.address")} class="mono">
                      {session.clientIp ?? "–"}
                    </td>
                    <td data-label={t("security.sessions.signedIn")}>{fmtTime(session.createdAt)}</td>
                    <td data-label={t("security.sessions.expires")}>{fmtTime(session.expiresAt)}</td>
                    <td data-label="">
                      <button type="button" class="danger" onClick={() => void revoke(session)}>
                        {t("security.sessions.end")}
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
