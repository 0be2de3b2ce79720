/**
 * Checking an edited config before it replaces the real one, and writing it so that neither the
 * gateway's watcher nor a crash ever sees half a file. The admin flow: applyEdits → validateCandidate →
 * writeConfigAtomically → the watcher's hot reload picks it up (DESIGN §6).
 */

import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { type LoadResult, loadConfig } from "../config/load.ts";

interface CandidateOptions {
  /** Absolute path of the real config file. */
  configPath: string;
  projectRoot: string;
  /** The edited source to check. */
  source: string;
  mode?: string;
}

/**
 * Loads `source` as if it were the config file: it is written next to the real one (so relative
 * imports such as `./plugins/local/x.ts` resolve the same), loaded fresh with every check the loader
 * makes, and always deleted. Issues name the real file, not the temporary one.
 *
 * The candidate's module graph is imported into the same process as the live config: run this in the
 * same queue as LiveConfig reloads, so the two never evict each other's modules halfway.
 */
export async function validateCandidate({
  configPath,
  projectRoot,
  source,
  mode,
}: CandidateOptions): Promise<LoadResult> {
  const candidate = join(
    dirname(configPath),
    `.${basename(configPath, ".ts")}.candidate-${randomBytes(6).toString("hex")}.ts`,
  );
  const realName = relative(projectRoot, configPath);
  const tempName = relative(projectRoot, candidate);
  const rename = (text: string) =>
    text
      .split(candidate)
      .join(configPath)
      .split(tempName)
      .join(realName)
      .split(basename(candidate))
      .join(basename(configPath));
  try {
    writeFileAtomically(candidate, source);
    const result = await loadConfig({ path: candidate, projectRoot, mode });
    if (result.ok) return { ...result, files: result.files.map((file) => (file === candidate ? configPath : file)) };
    return {
      ...result,
      issues: result.issues.map((issue) => ({
        ...issue,
        message: rename(issue.message),
        ...(issue.file ? { file: rename(issue.file) } : {}),
      })),
    };
  } finally {
    rmSync(candidate, { force: true });
    // The deleted module would otherwise stay in the module cache (and in the next projectModules list).
    if (typeof require !== "undefined" && require.cache) delete (require.cache as Record<string, unknown>)[candidate];
  }
}

/** Writes the config file so readers see the old or the new text, never a mix: temp file, fsync, rename. */
export function writeConfigAtomically(path: string, source: string): void {
  writeFileAtomically(path, source);
}

/**
 * Temp file in the same directory (a rename is only atomic within one file system), fsync, rename
 * over the target, fsync the directory so the rename itself survives a crash. Keeps the target's mode
 * unless `mode` is given.
 */
export function writeFileAtomically(path: string, data: string, mode?: number): void {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString("hex")}`);
  let keptMode = mode;
  if (keptMode === undefined) {
    try {
      keptMode = statSync(path).mode & 0o777;
    } catch {
      keptMode = 0o644;
    }
  }
  const fd = openSync(temp, "wx", keptMode);
  try {
    fchmodSync(fd, keptMode); // exact, whatever the umask
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  try {
    const dir = openSync(dirname(path), "r");
    fsyncSync(dir);
    closeSync(dir);
  } catch {
    // Some platforms (Windows) cannot open a directory: the rename is still atomic there.
  }
}
