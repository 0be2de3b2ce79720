/**
 * Time ranges shared by the dashboard and the logs: presets that roll with the clock ("last hour" is
 * recomputed at each refresh), "any time", or a custom from/to kept as epoch ms (so a shared link means
 * the same instants in every time zone). Shown as buttons or, where space is short, as a select.
 */
import { For, type JSX, Show } from "solid-js";
import { t } from "../i18n/index.ts";

export type RangeKey = "1h" | "24h" | "today" | "7d" | "30d" | "custom" | "all";

export interface RangeValue {
  key: RangeKey;
  /** Epoch ms, for "custom". */
  from?: number;
  to?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const RANGE_KEYS: RangeKey[] = ["1h", "24h", "today", "7d", "30d", "custom", "all"];

/** A range's name in the active language ("Last hour", "最近 1 小时"). */
export const rangeLabel = (key: RangeKey): string => t(`dashboard.range.${key}`);

/** The range as instants; either end may be open (undefined). */
export function resolveRange(range: RangeValue, now = Date.now()): { from?: number; to?: number } {
  switch (range.key) {
    case "1h":
      return { from: now - HOUR, to: now };
    case "24h":
      return { from: now - DAY, to: now };
    case "today": {
      const midnight = new Date(now);
      midnight.setHours(0, 0, 0, 0);
      return { from: midnight.getTime(), to: now };
    }
    case "7d":
      return { from: now - 7 * DAY, to: now };
    case "30d":
      return { from: now - 30 * DAY, to: now };
    case "custom":
      return { from: range.from, to: range.to };
    default:
      return {};
  }
}

/** Reads a range from URL query values; unknown keys give `fallback`. */
export function rangeFromQuery(q: { range?: string; from?: string; to?: string }, fallback: RangeKey): RangeValue {
  const key = (q.range && RANGE_KEYS.includes(q.range as RangeKey) ? q.range : fallback) as RangeKey;
  const num = (v?: string) => (v && Number.isFinite(Number(v)) ? Number(v) : undefined);
  return key === "custom" ? { key, from: num(q.from), to: num(q.to) } : { key };
}

/** The range as URL query values (the fallback key is left out to keep links short). */
export function rangeToQuery(range: RangeValue, fallback: RangeKey): { range?: string; from?: string; to?: string } {
  return {
    range: range.key === fallback ? undefined : range.key,
    from: range.key === "custom" && range.from !== undefined ? String(range.from) : undefined,
    to: range.key === "custom" && range.to !== undefined ? String(range.to) : undefined,
  };
}

/** Epoch ms ⇄ the local "YYYY-MM-DDTHH:MM" a datetime-local input speaks. */
function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return "";
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
function fromLocalInput(text: string): number | undefined {
  const ms = text ? new Date(text).getTime() : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

export function RangePicker(props: {
  value: RangeValue;
  onChange: (range: RangeValue) => void;
  keys: RangeKey[];
  variant: "buttons" | "select";
}): JSX.Element {
  const pick = (key: RangeKey) => {
    if (key !== "custom") return props.onChange({ key });
    // Custom starts from what was shown, so the inputs are filled in.
    const shown = resolveRange(props.value);
    const now = Date.now();
    props.onChange({ key, from: shown.from ?? now - DAY, to: shown.to ?? now });
  };
  return (
    <div class="row range-picker">
      <Show
        when={props.variant === "buttons"}
        fallback={
          <label>
            {t("dashboard.range.label")}
            <select onChange={(e) => pick(e.currentTarget.value as RangeKey)}>
              <For each={props.keys}>
                {(key) => (
                  <option value={key} selected={props.value.key === key}>
                    {rangeLabel(key)}
                  </option>
                )}
              </For>
            </select>
          </label>
        }
      >
        <fieldset class="segmented">
          <legend class="sr-only">{t("dashboard.range.label")}</legend>
          <For each={props.keys}>
            {(key) => (
              <button type="button" aria-pressed={props.value.key === key} onClick={() => pick(key)}>
                {rangeLabel(key)}
              </button>
            )}
          </For>
        </fieldset>
      </Show>
      <Show when={props.value.key === "custom"}>
        <label>
          {t("dashboard.range.from")}
          <input
            type="datetime-local"
            value={toLocalInput(props.value.from)}
            onChange={(e) => props.onChange({ ...props.value, from: fromLocalInput(e.currentTarget.value) })}
          />
        </label>
        <label>
          {t("dashboard.range.to")}
          <input
            type="datetime-local"
            value={toLocalInput(props.value.to)}
            onChange={(e) => props.onChange({ ...props.value, to: fromLocalInput(e.currentTarget.value) })}
          />
        </label>
      </Show>
    </div>
  );
}
