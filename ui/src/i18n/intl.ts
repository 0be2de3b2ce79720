/**
 * Numbers, dates and times in the active language's conventions (Intl), for `format.ts` and any page.
 * Formatters are cached per language and options: creating an Intl formatter is slow, tables call these a lot.
 */
import { locale } from "./state.ts";

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<F>(cache: Map<string, F>, options: object, make: (tag: string) => F): F {
  const tag = locale();
  const key = `${tag} ${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) cache.set(key, (format = make(tag)));
  return format;
}

export const formatNumber = (n: number, options: Intl.NumberFormatOptions = {}): string =>
  cached(numberFormats, options, (tag) => new Intl.NumberFormat(tag, options)).format(n);

const dateTime = (ts: number | Date, options: Intl.DateTimeFormatOptions): string =>
  cached(dateFormats, options, (tag) => new Intl.DateTimeFormat(tag, options)).format(ts);

/** Date and time, e.g. "12/3/2026, 11:22:59 AM" / "2026/12/3 11:22:59". */
export const formatDateTime = (ts: number | Date, options: Intl.DateTimeFormatOptions = {}): string =>
  dateTime(ts, {
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
    ...options,
  });
/** The date alone, e.g. "12/3/2026" / "2026/12/3". */
export const formatDate = (ts: number | Date, options: Intl.DateTimeFormatOptions = {}): string =>
  dateTime(ts, { year: "numeric", month: "numeric", day: "numeric", ...options });
/** The time alone, e.g. "11:22:59 AM" / "11:22:59". */
export const formatTime = (ts: number | Date, options: Intl.DateTimeFormatOptions = {}): string =>
  dateTime(ts, { hour: "numeric", minute: "2-digit", second: "2-digit", ...options });
