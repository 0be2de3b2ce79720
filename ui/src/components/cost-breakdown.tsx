/** A request's cost by billed part (tokens and dollars), the price's source and its baseline, in the log detail. */
import { For, type JSX, Show } from "solid-js";
import type { CostDetail } from "../../../src/store/queries/logs.ts";
import { fmtInt } from "../format.ts";
import { fmtMicros } from "./cost-panels.tsx";
import type { LogDetail } from "./log-types.tsx";

const PARTS = [
  ["input", "Input"],
  ["cachedInput", "Cached input (read)"],
  ["cacheWrite", "Cache write"],
  ["cacheWrite1h", "Cache write (1 h)"],
  ["output", "Output"],
  ["reasoning", "Reasoning"],
] as const;

export function CostBreakdownRows(props: { detail: CostDetail; log: LogDetail }): JSX.Element {
  const shown = () => PARTS.filter(([key]) => props.detail.tokens[key] > 0);
  const saved = () =>
    props.log.costMicros !== null && props.log.baselineMicros !== null
      ? props.log.baselineMicros - props.log.costMicros
      : null;
  return (
    <>
      <For each={shown()}>
        {([key, label]) => (
          <>
            <dt class="muted">{label}</dt>
            <dd data-testid={`cost-${key}`}>
              {fmtInt(props.detail.tokens[key])} tokens
              <Show when={props.detail.micros}>{(m) => <> · {fmtMicros(m()[key])}</>}</Show>
            </dd>
          </>
        )}
      </For>
      <Show when={props.detail.source}>
        <dt class="muted">Price</dt>
        <dd class="mono">{props.detail.source}</dd>
      </Show>
      <Show when={props.log.baselineModel}>
        <dt>Saved</dt>
        <dd>
          {saved() === null ? "–" : fmtMicros(saved())} against <span class="mono">{props.log.baselineModel}</span> (
          {fmtMicros(props.log.baselineMicros)})<Show when={props.detail.estimated}> · estimated tokens</Show>
        </dd>
      </Show>
    </>
  );
}
