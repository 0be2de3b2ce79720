/** What a scenario is, and the flags it reads. */
import type { ProcessGroup } from "./proc.ts";
import type { ScenarioResult } from "./report.ts";

/** `--name value` flags from the command line, read with a default. */
export class Flags {
  constructor(private readonly values: Map<string, string>) {}

  static parse(argv: string[]): { names: string[]; flags: Flags } {
    const names: string[] = [];
    const values = new Map<string, string>();
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i] ?? "";
      if (!arg.startsWith("--")) {
        names.push(arg);
        continue;
      }
      const eq = arg.indexOf("=");
      if (eq !== -1) values.set(arg.slice(2, eq), arg.slice(eq + 1));
      else if (argv[i + 1] !== undefined && !(argv[i + 1] ?? "").startsWith("--"))
        values.set(arg.slice(2), argv[++i] ?? "");
      else values.set(arg.slice(2), "true");
    }
    return { names, flags: new Flags(values) };
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  num(name: string, fallback: number): number {
    const raw = this.values.get(name);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got "${raw}"`);
    return value;
  }

  /** A comma-separated list of words, e.g. --variants default,raised */
  words(name: string, fallback: string[]): string[] {
    const raw = this.values.get(name);
    return raw === undefined
      ? fallback
      : raw
          .split(",")
          .map((w) => w.trim())
          .filter((w) => w !== "");
  }

  /** A comma-separated list of numbers, e.g. --concurrency 32,128 */
  nums(name: string, fallback: number[]): number[] {
    const raw = this.values.get(name);
    if (raw === undefined) return fallback;
    const list = raw.split(",").map(Number);
    if (list.some((n) => !Number.isFinite(n) || n <= 0))
      throw new Error(`--${name} must be a list of positive numbers, got "${raw}"`);
    return list;
  }
}

export interface ScenarioContext {
  flags: Flags;
  /** Every process the scenario starts goes here; the runner stops them all afterwards. */
  group: ProcessGroup;
  /** Progress lines (stderr, so a table on stdout stays clean). */
  log(message: string): void;
}

export interface Scenario {
  name: string;
  /** One line for --help, including the flags it reads and their defaults. */
  help: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
