/** Display helpers shared by the pages, in the active language's number and date conventions. */
import { formatDateTime, formatNumber, formatTime, t } from "./i18n/index.ts";

/** A number with exactly `digits` decimals ("1.50", "1,234.0"), grouped as the language does. */
export const fixed = (n: number, digits: number) =>
  formatNumber(n, { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const fmtInt = (n: number | null | undefined) =>
  n === null || n === undefined ? "–" : formatNumber(Math.round(n));
// Units are SI symbols (ms, s), written the same in both languages, as Chinese developer tools do.
export const fmtMs = (ms: number | null | undefined) =>
  ms === null || ms === undefined
    ? "–"
    : ms >= 10_000
      ? `${fixed(ms / 1000, 1)} s`
      : ms >= 1000
        ? `${fixed(ms / 1000, 2)} s`
        : `${ms < 10 ? fixed(ms, 1) : fixed(Math.round(ms), 0)} ms`;
export const fmtPct = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : t("common.percent", { n: fixed(x * 100, x < 0.1 ? 2 : 1) });
export const fmtUsd = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : x < 0.01 && x > 0 ? `$${fixed(x, 5)}` : `$${fixed(x, 2)}`;
export const fmtTime = (ts: number | null | undefined) => (ts ? formatDateTime(ts) : "–");
export const fmtClock = (ts: number) => formatTime(ts);

/** A wait the server asked for, in words: "1 second", "45 seconds", "3 minutes" (from 90 s up). */
export function fmtWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s >= 90) return t("common.minutes", Math.ceil(s / 60));
  return t("common.seconds", s);
}
