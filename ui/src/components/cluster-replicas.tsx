/**
 * The processes of a cluster and the config each runs (GET /api/cluster), on the config page: an edit
 * applied here runs on every process whose list entry says "current"; one that refused it says why.
 * Shown only in cluster mode; refreshed every 5 s while the page is open.
 */
import { createResource, For, onCleanup, Show } from "solid-js";
import { call } from "../api.ts";
import { fmtTime } from "../format.ts";
import { t } from "../i18n/index.ts";

export function ClusterReplicas() {
  const [cluster, { refetch }] = createResource(() => call("GET /api/cluster").catch(() => undefined));
  const timer = setInterval(() => void refetch(), 5_000);
  onCleanup(() => clearInterval(timer));
  return (
    <Show when={cluster()?.enabled ? cluster() : undefined}>
      {(c) => (
        <section class="panel cluster-replicas" aria-labelledby="cluster-replicas-h">
          <h2 id="cluster-replicas-h">{t("config.cluster.title")}</h2>
          <p class="muted">
            {t("config.cluster.intro")}
            <Show when={c().current}>{(digest) => t("config.cluster.current", { digest: digest() })}</Show>
          </p>
          {/* A digest and a refusal are long: on a phone the table scrolls, not the page. */}
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("config.cluster.process")}</th>
                  <th scope="col">{t("config.cluster.config")}</th>
                  <th scope="col">{t("config.cluster.state")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={c().replicas}>
                  {(r) => (
                    <tr>
                      <td>
                        <code>{r.name}</code>
                        <Show when={r.name === c().self}>{t("config.cluster.self")}</Show>
                      </td>
                      <td>
                        <code>{r.digest}</code>
                        {t("config.cluster.version", { version: r.version })}
                      </td>
                      <td>
                        <Show
                          when={r.refused && !r.current ? r.refused : undefined}
                          fallback={
                            <span class={`badge ${r.current ? "ok" : "warn"}`}>
                              {r.current ? t("config.cluster.isCurrent") : t("config.cluster.behind")}
                            </span>
                          }
                        >
                          {(refused) => (
                            <span
                              class="badge bad"
                              title={refused()
                                .issues.map((i) => `${i.path}: ${i.message}`)
                                .join("\n")}
                            >
                              {t("config.cluster.refused", {
                                digest: refused().digest,
                                time: fmtTime(refused().at),
                                message: refused().issues[0]?.message ?? t("config.cluster.didNotLoad"),
                              })}
                            </span>
                          )}
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </section>
      )}
    </Show>
  );
}
