/** A request's cost by billed part (tokens and dollars), the price's source and its baseline, in the log detail. */
import { For, type JSX, Show } from "solid-js";
import type { CostDetail } from "../../../src/store/queries/logs.ts";
import { fmtInt } from "../format.ts";
import { t } from "../i18n/index.ts";
import { fmtMicros } from "./cost-panels.tsx";
import type { LogDetail } from "./log-types.tsx";

const PARTS = ["input", "cachedInput", "cacheWrite", "cacheWrite1h", "output", "reasoning"] as const;

export function CostBreakdownRows(props: { detail: CostDetail; log: LogDetail }): JSX.Element {
  const shown = () => PARTS.filter((key) => props.detail.tokens[key] > 0);
  const saved = () =>
    props.log.costMicros !== null && props.log.baselineMicros !== null
      ? props.log.baselineMicros - props.log.costMicros
      : null;
  return (
    <>
      <For each={shown()}>
        {(key) => (
          <>
            <dt class="muted">{t(`dashboard.breakdown.${key}`)}</dt>
            <dd data-testid={`cost-${key}`}>
              {t("dashboard.breakdown.tokens", { n: fmtInt(props.detail.tokens[key]) })}
              <Show when={props.detail.micros}>{(m) => <> · {fmtMicros(m()[key])}</>}</Show>
            </dd>
          </>
        )}
      </For>
      <Show when={props.detail.source}>
        <dt class="muted">{t("dashboard.breakdown.price")}</dt>
        <dd class="mono">{props.detail.source}</dd>
      </Show>
      <Show when={props.log.baselineModel}>
        <dt>{t("dashboard.breakdown.saved")}</dt>
        <dd>
          {saved() === null ? "–" : fmtMicros(saved())}
          {t("dashboard.breakdown.against")}
          <span class="mono">{props.log.baselineModel}</span> ({fmtMicros(props.log.baselineMicros)})
          <Show when={props.detail.estimated}>{t("dashboard.breakdown.estimated")}</Show>
        </dd>
      </Show>
    </>
  );
}
