/**
 * The data directory holds password hashes, session ids, the session key, secrets and every logged
 * prompt and answer: other local users must not read it. It is created 0700 and its files kept 0600;
 * what a permissive umask, a copy or a restored backup loosened is tightened at start, with a warning
 * naming each path (an operator should know their backups or deploy scripts do this).
 */
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../plugin/types.ts";

/** Modes the data directory keeps: owner only. */
const DATA_DIR_MODE = 0o700;
const DATA_FILE_MODE = 0o600;

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Creates `dir` (0700) if needed, then tightens it and everything under it; returns the paths it fixed. */
export function secureDataDir(dir: string, log: Pick<Logger, "warn">): string[] {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  const fixed: string[] = [];
  tighten(dir, fixed, log);
  return fixed;
}

/** Creates `path` empty with mode 0600 unless it exists: SQLite then gives its -wal and -shm the same mode. */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, "a", DATA_FILE_MODE));
}

function tighten(path: string, fixed: string[], log: Pick<Logger, "warn">): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return; // its target is not ours to change
  const wanted = stat.isDirectory() ? DATA_DIR_MODE : DATA_FILE_MODE;
  if ((stat.mode & 0o777) !== wanted && (stat.mode & 0o077) !== 0) {
    chmodSync(path, wanted);
    fixed.push(path);
    log.warn(`data directory: ${path} was readable by others (${octal(stat.mode)}); set to ${octal(wanted)}`);
  }
  if (stat.isDirectory()) for (const name of readdirSync(path)) tighten(join(path, name), fixed, log);
}
