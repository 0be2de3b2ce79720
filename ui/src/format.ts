/** Display helpers shared by the pages. */
export const fmtInt = (n: number | null | undefined) =>
  n === null || n === undefined ? "–" : Math.round(n).toLocaleString();
export const fmtMs = (ms: number | null | undefined) =>
  ms === null || ms === undefined
    ? "–"
    : ms >= 10_000
      ? `${(ms / 1000).toFixed(1)} s`
      : ms >= 1000
        ? `${(ms / 1000).toFixed(2)} s`
        : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
export const fmtPct = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : `${(x * 100).toFixed(x < 0.1 ? 2 : 1)} %`;
export const fmtUsd = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : x < 0.01 && x > 0 ? `$${x.toFixed(5)}` : `$${x.toFixed(2)}`;
export const fmtTime = (ts: number | null | undefined) => (ts ? new Date(ts).toLocaleString() : "–");
export const fmtClock = (ts: number) => new Date(ts).toLocaleTimeString();

/** "+12 %" style change against a previous value; undefined when there is nothing to compare. */
export function change(now: number | undefined, before: number | undefined): { text: string; up: boolean } | undefined {
  if (now === undefined || before === undefined || before === 0) return undefined;
  const ratio = (now - before) / before;
  return { text: `${ratio >= 0 ? "+" : ""}${(ratio * 100).toFixed(Math.abs(ratio) < 0.1 ? 1 : 0)} %`, up: ratio >= 0 };
}

/** A wait the server asked for, in words: "1 second", "45 seconds", "3 minutes" (from 90 s up). */
export function fmtWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s >= 90) return `${Math.ceil(s / 60)} minutes`;
  return `${s} second${s === 1 ? "" : "s"}`;
}
