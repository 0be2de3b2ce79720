/**
 * The shape a translation must have: the English dictionary of an area, with every key present (a key
 * missing in another language, or one it adds, is a TypeScript error), strings for strings, the same
 * template parameters for templates and the same signature for functions (plurals, composed phrases).
 */
import type { Template } from "@solid-primitives/i18n";

export type Dict<T> = {
  readonly [K in keyof T]: T[K] extends Template<infer A>
    ? Template<A>
    : T[K] extends string
      ? string
      : T[K] extends (...args: infer A) => infer R
        ? (...args: A) => R
        : Dict<T[K]>;
};

export { template } from "@solid-primitives/i18n";
