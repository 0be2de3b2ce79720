/**
 * Builds the admin UI into ui/dist with Vite. `--if-stale` builds only when dist is missing or older than
 * a file of ui/ (what `npm run gateway` and `npm test` do, so a fresh clone and an edited UI both work).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "vite";

const ui = new URL("../ui/", import.meta.url).pathname;
const built = join(ui, "dist", "index.html");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stale = !existsSync(built) || statSync(built).mtimeMs < newestSource(ui);
if (process.argv.includes("--if-stale") && !stale) process.exit(0);
const started = performance.now();
await build({ configFile: join(ui, "vite.config.ts"), logLevel: "warn" });
console.log(`admin UI built into ui/dist in ${Math.round(performance.now() - started)} ms`);
