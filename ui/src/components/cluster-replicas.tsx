/**
 * The processes of a cluster and the config each runs (GET /api/cluster), on the config page: an edit
 * applied here runs on every process whose list entry says "current"; one that refused it says why.
 * Shown only in cluster mode; refreshed every 5 s while the page is open.
 */
import { createResource, For, onCleanup, Show } from "solid-js";
import { call } from "../api.ts";
import { fmtTime } from "../format.ts";

export function ClusterReplicas() {
  const [cluster, { refetch }] = createResource(() => call("GET /api/cluster").catch(() => undefined));
  const timer = setInterval(() => void refetch(), 5_000);
  onCleanup(() => clearInterval(timer));
  return (
    <Show when={cluster()?.enabled ? cluster() : undefined}>
      {(c) => (
        <section class="panel cluster-replicas" aria-labelledby="cluster-replicas-h">
          <h2 id="cluster-replicas-h">Processes of this cluster</h2>
          <p class="muted">
            An edit applied here is written to every process's own config file and reloaded there.
            <Show when={c().current}> The cluster's config is {c().current}.</Show>
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Process</th>
                <th scope="col">Config</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              <For each={c().replicas}>
                {(r) => (
                  <tr>
                    <td>
                      <code>{r.name}</code>
                      <Show when={r.name === c().self}> (this one)</Show>
                    </td>
                    <td>
                      <code>{r.digest}</code> (version {r.version})
                    </td>
                    <td>
                      <Show
                        when={r.refused && !r.current ? r.refused : undefined}
                        fallback={
                          <span class={`badge ${r.current ? "ok" : "warn"}`}>{r.current ? "current" : "behind"}</span>
                        }
                      >
                        {(refused) => (
                          <span
                            class="badge bad"
                            title={refused()
                              .issues.map((i) => `${i.path}: ${i.message}`)
                              .join("\n")}
                          >
                            refused {refused().digest} at {fmtTime(refused().at)}:{" "}
                            {refused().issues[0]?.message ?? "it did not load"}
                          </span>
                        )}
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </section>
      )}
    </Show>
  );
}
