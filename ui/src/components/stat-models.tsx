/**
 * The dashboard's per-model table. Attempt figures come from `byTarget` (each attempt counted for the
 * model it went to: a failover's failure against the model that failed), request figures (tokens,
 * cost) from `byModel` (each request counted for the model that finally answered it).
 */
import { A } from "@solidjs/router";
import { createMemo, For, type JSX } from "solid-js";
import { query } from "../api.ts";
import { fmtInt, fmtMs, fmtPct } from "../format.ts";
import { fmtCost } from "./cost-panels.tsx";
import { fmtCompact, type StatsResult } from "./stat-cards.tsx";

type TargetRow = StatsResult["byTarget"][number];
type ModelRow = StatsResult["byModel"][number];

interface Row {
  model: string;
  attempts?: TargetRow;
  requests?: ModelRow;
}

/** Every model tried or answering in the range, most attempts first. */
function rowsOf(stats: StatsResult): Row[] {
  const rows = new Map<string, Row>();
  for (const t of stats.byTarget) rows.set(t.target, { model: t.target, attempts: t });
  for (const m of stats.byModel) {
    const row = rows.get(m.model);
    if (row) row.requests = m;
    else rows.set(m.model, { model: m.model, requests: m });
  }
  return [...rows.values()].sort(
    (a, b) => (b.attempts?.attempts ?? 0) - (a.attempts?.attempts ?? 0) || a.model.localeCompare(b.model),
  );
}

export function ModelTable(props: { stats: StatsResult }): JSX.Element {
  const rows = createMemo(() => rowsOf(props.stats));
  const answeredAll = () => props.stats.byTarget.reduce((n, t) => n + t.answered, 0) || 1;
  return (
    <section class="panel" aria-label="Models">
      <h2 class="panel-title">By model</h2>
      <p class="muted model-note">
        Attempts are counted for the model they went to: when a model fails and another rescues the request, the failure
        and the failover are the failing model's, the answer is the rescuer's.
      </p>
      <div class="table-wrap">
        <table class="model-table">
          <thead>
            <tr>
              <th>Model</th>
              <th class="num" title="Attempts sent to this model, retries and failovers included">
                Attempts
              </th>
              <th class="num" title="Failed attempts / attempts: this model's own upstream error rate">
                Error rate
              </th>
              <th class="num" title="Failed attempts after which the request moved to another model">
                Failovers away
              </th>
              <th class="num" title="Failed attempts retried on this same model">
                Retries
              </th>
              <th class="num" title="Requests this model finally answered">
                Answered
              </th>
              <th class="num">Share</th>
              <th class="num" title="Duration of this model's attempts">
                p50
              </th>
              <th class="num" title="Duration of this model's attempts">
                p95
              </th>
              <th class="num" title="From the start of the answering attempt">
                First token p50
              </th>
              <th class="num">Tokens</th>
              <th class="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(row) => {
                const a = row.attempts;
                const m = row.requests;
                return (
                  <tr data-model={row.model}>
                    <td class="mono">
                      <A
                        href={`/logs${query({ model: row.model, range: "custom", from: props.stats.from, to: props.stats.to })}`}
                        title="Show the requests it answered in the logs"
                      >
                        {row.model}
                      </A>
                    </td>
                    <td class="num">{fmtInt(a?.attempts)}</td>
                    <td class="num" classList={{ "text-bad": (a?.errorRate ?? 0) > 0.05 }}>
                      {a ? fmtPct(a.errorRate) : "–"}
                      <span class="muted model-failed">{a?.failures ? ` (${fmtInt(a.failures)})` : ""}</span>
                    </td>
                    <td class="num">{fmtInt(a?.failovers)}</td>
                    <td class="num">{fmtInt(a?.retries)}</td>
                    <td class="num">{fmtInt(a?.answered ?? m?.requests)}</td>
                    <td class="num">{a ? fmtPct(a.answered / answeredAll()) : "–"}</td>
                    <td class="num">{fmtMs(a?.latencyMs.p50)}</td>
                    <td class="num">{fmtMs(a?.latencyMs.p95)}</td>
                    <td class="num">{fmtMs(a?.ttftMs.p50)}</td>
                    <td class="num">{m ? fmtCompact(m.promptTokens + m.completionTokens) : "–"}</td>
                    <td class="num">{m ? fmtCost(m) : "–"}</td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}
