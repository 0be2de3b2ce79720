/**
 * A key's budget and in-flight cap in the key list: spent, held by requests in flight, headroom and reset
 * time, and an editor that replaces the key's limits through PUT /api/keys/:id/limits (the other limits
 * are sent back as they are).
 */
import { createSignal, type JSX, Show } from "solid-js";
import type { KeyRecord } from "../../../src/http/admin/contract/answers.ts";
import { ApiError, call } from "../api.ts";
import { fmtTime } from "../format.ts";
import { readOnly } from "../session.ts";
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

export function KeyBudget(props: { record: KeyRecord; onSaved: () => void }): JSX.Element {
  const l = () => props.record.limits ?? {};
  const s = () => props.record.spend;
  const [editing, setEditing] = createSignal(false);
  const [budget, setBudget] = createSignal("");
  const [period, setPeriod] = createSignal<BudgetPeriod>("month");
  const [cap, setCap] = createSignal("");
  const [error, setError] = createSignal("");
  const open = () => {
    setBudget(l().budgetUsd?.toString() ?? "");
    setPeriod(l().budgetPeriod ?? "month");
    setCap(l().maxConcurrent?.toString() ?? "");
    setError("");
    setEditing(true);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    const limits = {
      ...l(),
      budgetUsd: null as number | null,
      maxConcurrent: null as number | null,
      budgetPeriod: period(),
    };
    if (budget().trim() !== "") limits.budgetUsd = Number(budget());
    if (cap().trim() !== "") limits.maxConcurrent = Number(cap());
    try {
      await call("PUT /api/keys/:id/limits", { params: { id: props.record.id }, body: { limits } });
      setEditing(false);
      props.onSaved();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
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
      <Show when={props.record.revokedAt === null && !readOnly()}>
        <Show
          when={editing()}
          fallback={
            <button type="button" class="link" onClick={open} aria-label={`Edit the budget of ${props.record.name}`}>
              Edit
            </button>
          }
        >
          <form class="inline-form" onSubmit={save}>
            <label>
              Budget (USD)
              <input
                type="number"
                min="0"
                step="0.01"
                value={budget()}
                onInput={(e) => setBudget(e.currentTarget.value)}
              />
            </label>
            <label>
              Period
              <select value={period()} onChange={(e) => setPeriod(e.currentTarget.value as BudgetPeriod)}>
                <PeriodOptions />
              </select>
            </label>
            <label>
              Max in flight
              <input type="number" min="1" step="1" value={cap()} onInput={(e) => setCap(e.currentTarget.value)} />
            </label>
            <button type="submit">Save</button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <Show when={error()}>
              <p class="error" role="alert">
                {error()}
              </p>
            </Show>
          </form>
        </Show>
      </Show>
    </div>
  );
}
