/**
 * Secrets typed into the admin UI (provider API keys) live here, not in `gateway.config.ts` (DESIGN §6,
 * §8): `<dataDir>/secrets.env`, NAME=VALUE lines, mode 0600, written atomically. `load()` at start puts
 * them into `process.env`, so the config refers to them as `env("NAME")` like any variable. The admin
 * flow: store the typed key under `secretName("openai", "apiKey")`, then edit the config to
 * `env("SMARTROUTE_OPENAI_API_KEY")`. There is deliberately no getter: the API can set a secret, list
 * names and check presence, never read a value back.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { parsePath } from "../config/ast.ts";
import { writeFileAtomically } from "./candidate.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class SecretStore {
  readonly path: string;
  private values = new Map<string, string>();
  /** When each secret was set (ms), kept in the file as a `# set <ms>` comment above it. */
  private setAt = new Map<string, number>();
  /** Names this store put into process.env; any other variable there comes from the real environment, which wins. */
  private readonly applied = new Set<string>();
  private readonly listeners: ((name: string, value: string | undefined) => void)[] = [];

  constructor(
    readonly dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.path = join(dataDir, "secrets.env");
  }

  /** Reads the file (if any) and sets every stored variable the real environment does not set. */
  load(): void {
    if (!existsSync(this.path)) return;
    // A copy made with a permissive umask, or restored from a backup, is tightened again.
    if ((statSync(this.path).mode & 0o077) !== 0) chmodSync(this.path, 0o600);
    ({ values: this.values, setAt: this.setAt } = parseSecrets(readFileSync(this.path, "utf8")));
    for (const [name, value] of this.values) this.apply(name, value);
  }

  /**
   * Stores a secret and sets it in process.env. `active` is false when the real environment already
   * sets that variable: it keeps precedence, and the stored value only applies once it is unset.
   */
  set(name: string, value: string): { active: boolean } {
    if (!NAME.test(name))
      throw new TypeError(`secret name ${JSON.stringify(name)}: letters, digits and _, not starting with a digit`);
    if (typeof value !== "string") throw new TypeError(`secret ${name}: the value must be a string`);
    const active = this.adopt(name, value);
    for (const listener of this.listeners) listener(name, value);
    return { active };
  }

  /** Forgets a secret (and unsets it, if it came from this store). */
  delete(name: string): boolean {
    if (!this.adopt(name, undefined)) return false;
    for (const listener of this.listeners) listener(name, undefined);
    return true;
  }

  /** Told after each `set` and `delete` made here (a cluster passes them on: src/cluster/shared-secrets.ts). */
  onChange(listener: (name: string, value: string | undefined) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Stores (or, `undefined`, forgets) a secret without telling the listeners: a change another process
   * of the cluster made. True when it is in force here (set: the environment does not override it;
   * forgotten: it was stored).
   */
  adopt(name: string, value: string | undefined): boolean {
    if (!NAME.test(name)) throw new TypeError(`secret name ${JSON.stringify(name)} is not a variable name`);
    if (value !== undefined) {
      if (this.values.get(name) === value) return this.apply(name, value);
      const next = new Map(this.values).set(name, value);
      this.write(next, new Map(this.setAt).set(name, this.now()));
      return this.apply(name, value);
    }
    if (!this.values.has(name)) return false;
    const next = new Map(this.values);
    next.delete(name);
    const times = new Map(this.setAt);
    times.delete(name);
    this.write(next, times);
    if (this.applied.delete(name)) delete process.env[name];
    return true;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  names(): string[] {
    return [...this.values.keys()].sort();
  }

  /** Names and when each was set (undefined for a line written by hand), never values. */
  list(): { name: string; setAt?: number }[] {
    return this.names().map((name) => ({ name, setAt: this.setAt.get(name) }));
  }

  private write(next: Map<string, string>, times: Map<string, number>): void {
    mkdirSync(this.dataDir, { recursive: true });
    if (next.size === 0) rmSync(this.path, { force: true });
    else writeFileAtomically(this.path, serializeSecrets(next, times), 0o600);
    this.values = next;
    this.setAt = times;
  }

  private apply(name: string, value: string): boolean {
    if (process.env[name] !== undefined && !this.applied.has(name)) return false;
    process.env[name] = value;
    this.applied.add(name);
    return true;
  }
}

/** `SMARTROUTE_<PROVIDER>_<KEY>`: secretName("openai", "apiKey") → "SMARTROUTE_OPENAI_API_KEY". */
export function secretName(providerId: string, key: string): string {
  const words = (text: string) =>
    text
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "");
  const provider = words(providerId);
  const field = words(key);
  if (!provider || !field)
    throw new TypeError(
      `secretName: provider ${JSON.stringify(providerId)} and key ${JSON.stringify(key)} need letters or digits`,
    );
  return `SMARTROUTE_${provider}_${field}`;
}

/**
 * The variable for the secret at a config path: the provider's id (or "gateway" outside `providers`)
 * and the last named segment, with the index of an array element (auth.apiKeys[0] → API_KEYS_0).
 * providers.openai.options.apiKey → "SMARTROUTE_OPENAI_API_KEY".
 */
export function secretNameForPath(path: string): string {
  const segments = parsePath(path) ?? [];
  const provider = segments[0] === "providers" && typeof segments[1] === "string" ? segments[1] : "gateway";
  const last = segments[segments.length - 1];
  const key = typeof last === "number" ? `${String(segments[segments.length - 2])}_${last}` : String(last);
  return secretName(provider, key);
}

/**
 * `name`, or `name_2`, `name_3`… when `name` is set in the environment to another value than `value`
 * (a variable of the real environment wins over the store, and another reference may use the name).
 */
export function freeSecretName(
  name: string,
  value: string,
  env: Record<string, string | undefined> = process.env,
): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name}_${n}`;
    if (env[candidate] === undefined || env[candidate] === value) return candidate;
  }
}

/** A value with nothing a dotenv reader could misread is written bare, any other as a JSON string. */
function serializeSecrets(values: Map<string, string>, times: Map<string, number>): string {
  const lines = [...values].map(
    ([name, value]) =>
      `${times.has(name) ? `# set ${times.get(name)}\n` : ""}${name}=${/^[^\s"'#\\=]*$/.test(value) ? value : JSON.stringify(value)}`,
  );
  return `# SmartRoute secrets (admin UI). Referenced from gateway.config.ts as env("NAME").\n${lines.join("\n")}\n`;
}

function parseSecrets(text: string): { values: Map<string, string>; setAt: Map<string, number> } {
  const values = new Map<string, string>();
  const setAt = new Map<string, number>();
  let time: number | undefined;
  for (const line of text.split("\n")) {
    const stamp = /^# set (\d+)\s*$/.exec(line);
    if (stamp) time = Number(stamp[1]);
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue; // blank lines and comments
    if (time !== undefined) setAt.set(match[1], time);
    time = undefined;
    let value = match[2];
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        // Hand-edited and not JSON: keep the text as written.
      }
    }
    values.set(match[1], value);
  }
  return { values, setAt };
}
