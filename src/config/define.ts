import type { ConfigExport, ConfigFunction, GatewayConfigInput } from "./types.ts";

/**
 * Declares the gateway config: the config object, or a function of `{ env, mode }` returning it.
 * Identity at run time; its value is the type checking and editor completion it gives
 * `gateway.config.ts`. Overloads (Vite's way) rather than a generic over the input: a type parameter
 * inferred from the literal would turn off excess-property checks, so `routng` or `tiers.t1.stratgy`
 * would compile. The object overload comes last so that a typo's message names the config's type.
 *
 * TypeScript checks excess properties of an arrow function's returned literal only against a declared
 * return type, so the function form catches typos when written `({ env }): GatewayConfigInput => ({...})`.
 */
export function defineConfig(config: ConfigFunction): ConfigFunction;
export function defineConfig(config: GatewayConfigInput): GatewayConfigInput;
export function defineConfig(config: ConfigExport): ConfigExport {
  return config;
}
