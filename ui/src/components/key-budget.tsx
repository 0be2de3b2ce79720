/**
 * A key's budget and in-flight cap in the key list: spent, held by requests in flight, headroom and reset
 * time; and the budget periods as a select's options, for the form that sets them (key-create.tsx).
 */
import type { JSX } from "solid-js";
import { Show } from "solid-js";
import type { KeyRecord } from "../../../src/http/admin/contract/answers.ts";
import { fmtTime } from "../format.ts";
import { fmtMicros } from "./cost-panels.tsx";

export type BudgetPeriod = "day" | "month" | "total";

/** The budget periods a key's budget may have, as a select's options (the create form and the editor). */
export function PeriodOptions(): JSX.Element {
  return (
    <>
      <option value="day">per day (UTC)</option>
      <option value="month">per month (UTC)</option>
      <option value="total">in total</option>
    </>
  );
}

/** A key's budget and in-flight cap as it stands (the key's Edit dialog changes them). */
export function KeyBudget(props: { record: KeyRecord }): JSX.Element {
  const l = () => props.record.limits ?? {};
  const s = () => props.record.spend;
  return (
    <div class="key-budget">
      <Show when={l().budgetUsd !== undefined} fallback={<span class="muted">no budget</span>}>
        <span data-testid="key-spend">
          {fmtMicros(s()?.spentMicros ?? 0)} of {fmtMicros(s()?.limitMicros ?? 0)} per {l().budgetPeriod ?? "month"}
        </span>
        <span class="muted">
          {" "}
          · headroom {fmtMicros(s()?.headroomMicros ?? 0)}
          <Show when={(s()?.reservedMicros ?? 0) > 0}> · held {fmtMicros(s()?.reservedMicros)}</Show>
          <Show when={s()?.resetAt}> · resets {fmtTime(s()?.resetAt)}</Show>
        </span>
      </Show>
      <Show when={l().maxConcurrent !== undefined}>
        <span>
          {" "}
          · {s()?.inFlight ?? 0}/{l().maxConcurrent} in flight
        </span>
      </Show>
    </div>
  );
}
