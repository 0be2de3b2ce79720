/** The en dictionaries, one module per area (combined in ../dictionaries.ts). */
export { auth } from "./auth.ts";
export { common } from "./common.ts";
export { config } from "./config.ts";
export { dashboard } from "./dashboard.ts";
export { health } from "./health.ts";
export { keys } from "./keys.ts";
export { logs } from "./logs.ts";
export { playground } from "./playground.ts";
export { security } from "./security.ts";
export { shell } from "./shell.ts";
