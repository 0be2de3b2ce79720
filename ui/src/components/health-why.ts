/**
 * A health verdict's reason in the UI's language. The server writes it in English
 * (src/routing/health-window.ts `healthVerdict`) in a few known shapes; each is read back into a
 * dictionary key and its parameters. A reason of any other shape is shown as the server wrote it.
 */
import { fmtInt } from "../format.ts";
import { formatNumber, t } from "../i18n/index.ts";

export type WhyParts =
  | { key: "counted" | "countedOpen"; pct: number; attempts: number }
  | { key: "score"; score: number }
  | { key: "cooling" | "probing" | "noAttempt" };

const FIXED = {
  "circuit open: cooling down": "cooling",
  "circuit half-open: probing": "probing",
  "no attempt in the window": "noAttempt",
} as const;

export function parseWhy(why: string): WhyParts | undefined {
  const counted = /^(\d+(?:\.\d+)?) % of (\d+) attempts failed(; circuit open)?$/.exec(why);
  if (counted)
    return { key: counted[3] ? "countedOpen" : "counted", pct: Number(counted[1]), attempts: Number(counted[2]) };
  const score = /^health score (\d+)$/.exec(why);
  if (score) return { key: "score", score: Number(score[1]) };
  const fixed = FIXED[why as keyof typeof FIXED];
  return fixed ? { key: fixed } : undefined;
}

export function verdictWhy(why: string): string {
  const parts = parseWhy(why);
  if (!parts) return why;
  if (parts.key === "counted" || parts.key === "countedOpen") {
    // The server's rounding (one decimal at most) kept: only the number's and the % sign's style change.
    const pct = t("common.percent", { n: formatNumber(parts.pct, { maximumFractionDigits: 1 }) });
    return t(`health.verdict.${parts.key}`, { pct, attempts: fmtInt(parts.attempts) });
  }
  if (parts.key === "score") return t("health.verdict.score", { score: String(parts.score) });
  return t(`health.verdict.${parts.key}`);
}
