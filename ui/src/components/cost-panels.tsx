/**
 * The dashboard's money: cost and savings against the named baseline (over the requests priced on both
 * sides; negative when routing cost more), by tier, by model and by key, with what is estimated or not
 * priced said next to the figures. Amounts arrive as integer micro-dollars.
 */
import { For, type JSX, Show } from "solid-js";
import { fmtInt } from "../format.ts";
import type { StatsResult, Totals } from "./stat-cards.tsx";

/** Micro-dollars as dollars: cents for large amounts, more digits under a dollar so small traffic shows. */
export function fmtMicros(micros: number | null | undefined): string {
  if (micros === null || micros === undefined) return "not priced";
  const usd = micros / 1_000_000;
  const sign = usd < 0 ? "−" : "";
  const abs = Math.abs(usd);
  return `${sign}$${abs >= 1 || abs === 0 ? abs.toFixed(2) : abs.toFixed(abs >= 0.01 ? 4 : 6)}`;
}

/** A row's cost: "not priced" when none of its requests had a price (never $0), else the cost. */
export function fmtCost(t: Totals): string {
  if (t.requests > 0 && t.unpriced === t.requests) return "not priced";
  return fmtMicros(t.costMicros);
}

/** A savings figure: "not priced" when no request of the row was priced on both sides. */
const fmtSaving = (t: Totals, micros: number) => (t.savings.requests === 0 ? "not priced" : fmtMicros(micros));

const savedPct = (t: Totals) =>
  t.savings.baselineMicros > 0 ? ` (${((t.savings.savedMicros / t.savings.baselineMicros) * 100).toFixed(1)} %)` : "";

export function SavingsSummary(props: { stats: StatsResult }): JSX.Element {
  const t = () => props.stats.totals;
  return (
    <section class="panel" aria-label="Savings">
      <h2 class="panel-title">Cost and savings</h2>
      <p>
        <strong data-testid="savings-figure" classList={{ "text-bad": t().savings.savedMicros < 0 }}>
          {t().savings.savedMicros < 0 ? "Cost more: " : "Saved: "}
          {fmtSaving(t(), t().savings.savedMicros)}
        </strong>
        {savedPct(t())} against <span class="mono">{props.stats.savingsBaseline}</span>, over{" "}
        {fmtInt(t().savings.requests)} priced requests. Cost: {fmtCost(t())}.
      </p>
      <p class="muted">
        <Show when={t().estimated > 0}>{fmtInt(t().estimated)} requests with locally estimated tokens. </Show>
        <Show when={t().unpriced > 0}>{fmtInt(t().unpriced)} answered by a model with no price (not priced). </Show>
        Prices: {props.stats.catalog.source} {props.stats.catalog.version} ({props.stats.catalog.snapshot}), the
        config's <span class="mono">pricing</span> over it.
      </p>
      <div class="grid two">
        <MoneyTable title="By tier" rows={props.stats.byTier.map((r) => ({ name: r.tier, t: r }))} />
        <MoneyTable title="By model" rows={props.stats.byModel.map((r) => ({ name: r.model, t: r }))} />
      </div>
      <h3>Top keys by spend</h3>
      <div class="table-wrap">
        <table aria-label="Top keys by spend">
          <thead>
            <tr>
              <th>Key</th>
              <th class="num">Requests</th>
              <th class="num">Cost</th>
              <th class="num">Saved</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.stats.byKey}>
              {(k) => (
                <tr>
                  <td class="mono">{k.apiKeyId || "(no key)"}</td>
                  <td class="num">{fmtInt(k.requests)}</td>
                  <td class="num">{k.priced === 0 ? "not priced" : fmtMicros(k.costMicros)}</td>
                  <td class="num">{k.savingsRequests === 0 ? "not priced" : fmtMicros(k.savedMicros)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function MoneyTable(props: { title: string; rows: { name: string; t: Totals }[] }): JSX.Element {
  return (
    <div class="table-wrap">
      <table aria-label={`Cost ${props.title.toLowerCase()}`}>
        <thead>
          <tr>
            <th>{props.title}</th>
            <th class="num">Cost</th>
            <th class="num">Baseline</th>
            <th class="num">Saved</th>
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
