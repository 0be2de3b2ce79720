/**
 * A key's use over time, on its row's detail: requests and spend per day (the last 30) or per hour (the
 * last 48), as small bars with the numbers in each bar's title and in a table for screen readers.
 * Buckets without a request are drawn empty: the server leaves them out.
 */
import { createResource, createSignal, For, type JSX, Show } from "solid-js";
import { call, type KeyRecord } from "../api.ts";
import { fmtInt } from "../format.ts";
import { formatDate, formatDateTime, t } from "../i18n/index.ts";
import { fmtMicros } from "./cost-panels.tsx";
import { errorText } from "./modal.tsx";

type Bucket = "day" | "hour";
const SPAN: Record<Bucket, { ms: number; count: number }> = {
  day: { ms: 86_400_000, count: 30 },
  hour: { ms: 3_600_000, count: 48 },
};

const bucketLabel = (ts: number, bucket: Bucket) =>
  bucket === "day"
    ? formatDate(ts, { year: undefined, month: "short" })
    : formatDateTime(ts, { year: undefined, month: "short", hour: "2-digit", minute: undefined, second: undefined });

export function KeyActivity(props: { record: KeyRecord }): JSX.Element {
  const [bucket, setBucket] = createSignal<Bucket>("day");
  const [usage] = createResource(bucket, async (b) => {
    const { ms, count } = SPAN[b];
    const answer = await call("GET /api/keys/:id/usage", {
      params: { id: props.record.id },
      query: { bucket: b, from: Date.now() - (count - 1) * ms },
    });
    const byTs = new Map(answer.points.map((p) => [p.ts, p]));
    return Array.from({ length: count }, (_, i) => {
      const ts = answer.from + i * ms;
      return byTs.get(ts) ?? { ts, requests: 0, costMicros: 0 };
    });
  });
  const peak = () => Math.max(1, ...(usage() ?? []).map((p) => p.requests));
  const totals = () =>
    (usage() ?? []).reduce((t, p) => ({ requests: t.requests + p.requests, cost: t.cost + p.costMicros }), {
      requests: 0,
      cost: 0,
    });

  return (
    <div class="key-activity stack">
      <div class="row">
        <strong>{t("keys.activity.title", { name: props.record.name })}</strong>
        <span class="spacer" />
        <fieldset class="key-activity-span">
          <legend class="sr-only">{t("keys.activity.period")}</legend>
          <For each={["day", "hour"] as Bucket[]}>
            {(b) => (
              <label class="key-check">
                <input
                  type="radio"
                  name={`key-activity-${props.record.id}`}
                  checked={bucket() === b}
                  onChange={() => setBucket(b)}
                />
                {t(`keys.activity.${b}`)}
              </label>
            )}
          </For>
        </fieldset>
      </div>
      <Show when={!usage.error} fallback={<p class="error">{errorText(usage.error)}</p>}>
        <Show when={usage()} fallback={<div class="skeleton key-skeleton" />}>
          <p class="muted" data-testid="key-activity-total">
            {t(
              "keys.activity.total",
              totals().requests,
              fmtInt(totals().requests),
              fmtMicros(totals().cost),
              t(`keys.activity.${bucket()}`),
            )}
          </p>
          <div class="key-bars" aria-hidden="true">
            <For each={usage()}>
              {(p) => (
                <span
                  class="key-bar"
                  style={{ height: `${Math.max(p.requests > 0 ? 6 : 2, (p.requests / peak()) * 100)}%` }}
                  classList={{ "key-bar-empty": p.requests === 0 }}
                  title={t("keys.activity.bar", {
                    when: bucketLabel(p.ts, bucket()),
                    n: fmtInt(p.requests),
                    cost: fmtMicros(p.costMicros),
                  })}
                />
              )}
            </For>
          </div>
          <table class="sr-only">
            <caption>{t(bucket() === "day" ? "keys.activity.captionDay" : "keys.activity.captionHour")}</caption>
            <tbody>
              <For each={usage()!.filter((p) => p.requests > 0)}>
                {(p) => (
                  <tr>
                    <th scope="row">{bucketLabel(p.ts, bucket())}</th>
                    <td>{t("keys.activity.requests", { n: fmtInt(p.requests) })}</td>
                    <td>{fmtMicros(p.costMicros)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </Show>
    </div>
  );
}
