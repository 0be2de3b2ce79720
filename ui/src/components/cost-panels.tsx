/**
 * The dashboard's money: cost and savings against the named baseline (over the requests priced on both
 * sides; negative when routing cost more), by tier, by model and by key, with what is estimated or not
 * priced said next to the figures. Amounts arrive as integer micro-dollars.
 */
import { For, type JSX, Show } from "solid-js";
import { fmtInt, fmtPct } from "../format.ts";
import { dictionaries } from "../i18n/dictionaries.ts";
import { t } from "../i18n/index.ts";
import type { StatsResult, Totals } from "./stat-cards.tsx";

/** Micro-dollars as dollars: cents for large amounts, more digits under a dollar so small traffic shows. */
export function fmtMicros(micros: number | null | undefined): string {
  if (micros === null || micros === undefined) return t("dashboard.cost.notPriced");
  const usd = micros / 1_000_000;
  const sign = usd < 0 ? "−" : "";
  const abs = Math.abs(usd);
  return `${sign}$${abs >= 1 || abs === 0 ? abs.toFixed(2) : abs.toFixed(abs >= 0.01 ? 4 : 6)}`;
}

/** A row's cost: "not priced" when none of its requests had a price (never $0), else the cost. */
export function fmtCost(row: Totals): string {
  if (row.requests > 0 && row.unpriced === row.requests) return t("dashboard.cost.notPriced");
  return fmtMicros(row.costMicros);
}

/**
 * The baseline savings are measured against: the server's default phrase (its English is the server's
 * DEFAULT_BASELINE, a unit test keeps them equal) in the UI's language, or the model the config names.
 */
const isDefaultBaseline = (stats: StatsResult) =>
  stats.savingsBaseline === dictionaries.en.dashboard.cost.defaultBaseline;
export const baselineName = (stats: StatsResult) =>
  isDefaultBaseline(stats) ? t("dashboard.cost.defaultBaseline") : stats.savingsBaseline;

/** A savings figure: "not priced" when no request of the row was priced on both sides. */
const fmtSaving = (row: Totals, micros: number) =>
  row.savings.requests === 0 ? t("dashboard.cost.notPriced") : fmtMicros(micros);

const savedPct = (row: Totals) =>
  row.savings.baselineMicros > 0 ? ` (${fmtPct(row.savings.savedMicros / row.savings.baselineMicros)})` : "";

export function SavingsSummary(props: { stats: StatsResult }): JSX.Element {
  const totals = () => props.stats.totals;
  return (
    <section class="panel" aria-label={t("dashboard.cost.region")}>
      <h2 class="panel-title">{t("dashboard.cost.title")}</h2>
      <p>
        <strong data-testid="savings-figure" classList={{ "text-bad": totals().savings.savedMicros < 0 }}>
          {totals().savings.savedMicros < 0 ? t("dashboard.cost.costMore") : t("dashboard.cost.saved")}
          {fmtSaving(totals(), totals().savings.savedMicros)}
        </strong>
        {savedPct(totals())}
        {t("dashboard.cost.againstBefore")}
        {/* A model name is code (monospace); the default baseline is words. */}
        <span classList={{ mono: !isDefaultBaseline(props.stats) }}>{baselineName(props.stats)}</span>
        {t("dashboard.cost.againstAfter", { requests: fmtInt(totals().savings.requests), cost: fmtCost(totals()) })}
      </p>
      <p class="muted">
        <Show when={totals().estimated > 0}>{t("dashboard.cost.estimated", { n: fmtInt(totals().estimated) })}</Show>
        <Show when={totals().unpriced > 0}>{t("dashboard.cost.unpriced", { n: fmtInt(totals().unpriced) })}</Show>
        {t("dashboard.cost.prices", {
          source: props.stats.catalog.source,
          version: props.stats.catalog.version,
          snapshot: props.stats.catalog.snapshot,
        })}
        <span class="mono">pricing</span>
        {t("dashboard.cost.pricesAfter")}
      </p>
      <div class="grid two">
        <MoneyTable
          title={t("dashboard.cost.byTier")}
          label={t("dashboard.cost.costByTier")}
          rows={props.stats.byTier.map((r) => ({ name: r.tier, t: r }))}
        />
        <MoneyTable
          title={t("dashboard.cost.byModel")}
          label={t("dashboard.cost.costByModel")}
          rows={props.stats.byModel.map((r) => ({ name: r.model, t: r }))}
        />
      </div>
      <h3>{t("dashboard.cost.topKeys")}</h3>
      <div class="table-wrap">
        <table aria-label={t("dashboard.cost.topKeys")}>
          <thead>
            <tr>
              <th>{t("dashboard.cost.key")}</th>
              <th class="num">{t("dashboard.cost.requests")}</th>
              <th class="num">{t("dashboard.cost.cost")}</th>
              <th class="num">{t("dashboard.cost.savedColumn")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.stats.byKey}>
              {(k) => (
                <tr>
                  <td class="mono">{k.apiKeyId || t("dashboard.cost.noKey")}</td>
                  <td class="num">{fmtInt(k.requests)}</td>
                  <td class="num">{k.priced === 0 ? t("dashboard.cost.notPriced") : fmtMicros(k.costMicros)}</td>
                  <td class="num">
                    {k.savingsRequests === 0 ? t("dashboard.cost.notPriced") : fmtMicros(k.savedMicros)}
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function MoneyTable(props: { title: string; label: string; rows: { name: string; t: Totals }[] }): JSX.Element {
  return (
    <div class="table-wrap">
      <table aria-label={props.label}>
        <thead>
          <tr>
            <th>{props.title}</th>
            <th class="num">{t("dashboard.cost.cost")}</th>
            <th class="num">{t("dashboard.cost.baseline")}</th>
            <th class="num">{t("dashboard.cost.savedColumn")}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(r) => (
              <tr>
                <td class="mono">{r.name}</td>
                <td class="num">{fmtCost(r.t)}</td>
                <td class="num">{fmtSaving(r.t, r.t.savings.baselineMicros)}</td>
                <td class="num" classList={{ "text-bad": r.t.savings.savedMicros < 0 }}>
                  {fmtSaving(r.t, r.t.savings.savedMicros)}
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
