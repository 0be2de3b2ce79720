/**
 * Which JavaScript runtime runs the gateway, decided once at load. The runtime-specific parts (serving,
 * the SQLite driver, password hashing, module reload: DESIGN §9) each pick their adapter from this.
 */

/** The runtimes the gateway knows: Bun (first), Deno (supported), anything else (e.g. Node: unsupported). */
type RuntimeName = "bun" | "deno" | "other";

const globals = globalThis as { Bun?: unknown; Deno?: unknown };

export const runtime: RuntimeName = globals.Bun !== undefined ? "bun" : globals.Deno !== undefined ? "deno" : "other";
