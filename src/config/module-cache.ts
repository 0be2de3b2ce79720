/**
 * Fresh imports of the config's module graph, for hot reload. On Bun, ES modules live in
 * `require.cache`: deleting the project's entries makes the next import re-evaluate the config and every
 * project file it imports (a plugin edited on disk takes effect). The gateway's own `src/` stays cached
 * so classes and the public API keep their identity across reloads. Runtimes without a module cache
 * entry point (Deno) fall back to a cache-busting query, which re-evaluates only the config file.
 */
import { sep } from "node:path";

const ownSource = new URL("..", import.meta.url).pathname; // this gateway's src/ directory
let generation = 0;

function isProjectModule(file: string, projectRoot: string): boolean {
  return (
    file.startsWith(projectRoot + sep) && !file.includes(`${sep}node_modules${sep}`) && !file.startsWith(ownSource)
  );
}

function moduleCache(): Record<string, unknown> | undefined {
  return typeof require !== "undefined" && require.cache ? (require.cache as Record<string, unknown>) : undefined;
}

/**
 * True where a reload re-evaluates the files the config imports (Bun); false where only the config
 * file itself is imported afresh (Deno: its modules cannot be evicted), so an edited plugin file
 * takes effect only after a restart.
 */
export function reloadsImportedModules(): boolean {
  return moduleCache() !== undefined;
}

/** Project files (outside node_modules and the gateway's src/) currently loaded: the config's graph. */
export function projectModules(projectRoot: string): string[] {
  return Object.keys(moduleCache() ?? {}).filter((file) => isProjectModule(file, projectRoot));
}

export async function freshImport(path: string, projectRoot: string): Promise<unknown> {
  const cache = moduleCache();
  if (cache) {
    for (const file of Object.keys(cache)) if (isProjectModule(file, projectRoot)) delete cache[file];
    return import(path);
  }
  generation += 1;
  return import(`${path}?v=${generation}`);
}
