/**
 * A key's budget and in-flight cap in the key list: spent, held by requests in flight, headroom and reset
 * time; and the budget periods as a select's options, for the form that sets them (key-create.tsx).
 */
import type { JSX } from "solid-js";
import { Show } from "solid-js";
import type { KeyRecord } from "../../../src/http/admin/contract/answers.ts";
import { fmtTime } from "../format.ts";
import { formatNumber, t } from "../i18n/index.ts";
import { fmtMicros } from "./cost-panels.tsx";

export type BudgetPeriod = "day" | "month" | "total";

/** The budget periods a key's budget may have, as a select's options (the create form and the editor). */
export function PeriodOptions(): JSX.Element {
  return (
    <>
      <option value="day">{t("keys.periods.day")}</option>
      <option value="month">{t("keys.periods.month")}</option>
      <option value="total">{t("keys.periods.total")}</option>
    </>
  );
}

/** A key's budget and in-flight cap as it stands (the key's Edit dialog changes them). */
export function KeyBudget(props: { record: KeyRecord }): JSX.Element {
  const l = () => props.record.limits ?? {};
  const s = () => props.record.spend;
  return (
    <div class="key-budget">
      <Show when={l().budgetUsd !== undefined} fallback={<span class="muted">{t("keys.budget.none")}</span>}>
        <span data-testid="key-spend">
          {t(
            "keys.budget.spent",
            fmtMicros(s()?.spentMicros ?? 0),
            fmtMicros(s()?.limitMicros ?? 0),
            l().budgetPeriod ?? "month",
          )}
        </span>
        <span class="muted">
          {" "}
          {t("keys.budget.headroom", { amount: fmtMicros(s()?.headroomMicros ?? 0) })}
          <Show when={(s()?.reservedMicros ?? 0) > 0}>
            {t("keys.budget.held", { amount: fmtMicros(s()?.reservedMicros) })}
          </Show>
          <Show when={s()?.resetAt}>{t("keys.budget.resets", { time: fmtTime(s()?.resetAt) })}</Show>
        </span>
      </Show>
      <Show when={l().maxConcurrent !== undefined}>
        <span>
          {" "}
          {t("keys.budget.inFlight", {
            n: formatNumber(s()?.inFlight ?? 0),
            max: formatNumber(l().maxConcurrent ?? 0),
          })}
        </span>
      </Show>
    </div>
  );
}
