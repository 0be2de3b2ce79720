/**
 * The dashboard's per-model table. Attempt figures come from `byTarget` (each attempt counted for the
 * model it went to: a failover's failure against the model that failed), request figures (tokens,
 * cost) from `byModel` (each request counted for the model that finally answered it).
 */
import { A } from "@solidjs/router";
import { createMemo, For, type JSX } from "solid-js";
import { query } from "../api.ts";
import { fmtInt, fmtMs, fmtPct } from "../format.ts";
import { t } from "../i18n/index.ts";
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
    <section class="panel" aria-label={t("dashboard.models.region")}>
      <h2 class="panel-title">{t("dashboard.models.title")}</h2>
      <p class="muted model-note">{t("dashboard.models.note")}</p>
      <div class="table-wrap">
        <table class="model-table">
          <thead>
            <tr>
              <th>{t("dashboard.models.model")}</th>
              <th class="num" title={t("dashboard.models.attemptsTitle")}>
                {t("dashboard.models.attempts")}
              </th>
              <th class="num" title={t("dashboard.models.errorRateTitle")}>
                {t("dashboard.models.errorRate")}
              </th>
              <th class="num" title={t("dashboard.models.failoversAwayTitle")}>
                {t("dashboard.models.failoversAway")}
              </th>
              <th class="num" title={t("dashboard.models.retriesTitle")}>
                {t("dashboard.models.retries")}
              </th>
              <th class="num" title={t("dashboard.models.answeredTitle")}>
                {t("dashboard.models.answered")}
              </th>
              <th class="num">{t("dashboard.models.share")}</th>
              <th class="num" title={t("dashboard.models.durationTitle")}>
                p50
              </th>
              <th class="num" title={t("dashboard.models.durationTitle")}>
                p95
              </th>
              <th class="num" title={t("dashboard.models.ttftTitle")}>
                {t("dashboard.models.ttftP50")}
              </th>
              <th class="num">{t("dashboard.models.tokens")}</th>
              <th class="num">{t("dashboard.models.cost")}</th>
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
                        title={t("dashboard.models.showInLogs")}
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
