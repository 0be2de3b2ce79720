/**
 * Request rates in the unit that fits them: per second for a busy gateway or minute buckets, per
 * minute, hour or day for quiet ranges and coarse buckets (a month does not read "0.0005 req/s").
 */
import { fmtInt } from "../format.ts";
import { t } from "../i18n/index.ts";

export const fmtRps = (n: number | undefined) =>
  n === undefined
    ? "–"
    : n === 0
      ? "0"
      : n < 0.01
        ? n.toFixed(4)
        : n < 1
          ? n.toFixed(3)
          : n < 100
            ? n.toFixed(2)
            : fmtInt(n);
/** A rate unit: "s", "min", "h" or "day", and its length in seconds. */
export interface RateUnit {
  name: "s" | "min" | "h" | "day";
  seconds: number;
}
const UNITS: RateUnit[] = [
  { name: "s", seconds: 1 },
  { name: "min", seconds: 60 },
  { name: "h", seconds: 3600 },
  { name: "day", seconds: 86_400 },
];

/** The unit a bucket's rate reads best in: per second for minute buckets, up to per day for day buckets. */
export function bucketRateUnit(bucketMs: number): RateUnit {
  const minutes = bucketMs / 60_000;
  return UNITS[minutes <= 1 ? 0 : minutes <= 15 ? 1 : minutes < 1440 ? 2 : 3];
}

/** The smallest unit in which `rps` reaches 1 (a quiet month reads "3.2 / h", not "0.0009 / s"). */
export function rateUnitFor(rps: number): RateUnit {
  return UNITS.find((u) => rps * u.seconds >= 1) ?? UNITS[UNITS.length - 1];
}

/** "12.5 / min": a rate in the unit that fits it. */
export const fmtRate = (rps: number | undefined) => {
  if (rps === undefined) return "–";
  if (rps === 0) return `0 / ${t("dashboard.units.s")}`;
  const unit = rateUnitFor(rps);
  return `${fmtRps(rps * unit.seconds)} / ${t(`dashboard.units.${unit.name}`)}`;
};
