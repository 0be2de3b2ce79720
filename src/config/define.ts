import type { ConfigExport } from "./types.ts";

/**
 * Declares the gateway config. Identity at run time; its value is the type checking and editor
 * completion it gives `gateway.config.ts`. Accepts the config object or a function of `{ env, mode }`.
 */
export function defineConfig<C extends ConfigExport>(config: C): C {
  return config;
}
