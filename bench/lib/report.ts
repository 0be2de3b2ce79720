/**
 * Scenario results: a small JSON file per scenario (bench/results/<scenario>.json, commit-friendly) and
 * bench/results/latest.md, rebuilt from every JSON present so rerunning one scenario keeps the others.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { ROOT } from "./proc.ts";

export const RESULTS_DIR = join(ROOT, "bench/results");

export type Cell = string | number;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

/** A DESIGN §10 budget (or another pass/fail condition) and what was measured. */
export interface Check {
  name: string;
  target: string;
  measured: string;
  pass: boolean;
}

export interface Machine {
  /** The commit measured; "+changes" when src/ or plugins/ had uncommitted edits. */
  revision: string;
  cores: number;
  cpu: string;
  bun: string;
  platform: string;
}

export interface ScenarioResult {
  scenario: string;
  title: string;
  date: string;
  machine: Machine;
  settings: Record<string, Cell | boolean>;
  tables: Table[];
  checks: Check[];
  notes: string[];
  /** Summaries behind the tables, for anyone comparing runs (kept small: no raw samples). */
  data: unknown;
}

function revision(): string {
  const git = (...args: string[]) =>
    Bun.spawnSync(["git", ...args], { cwd: ROOT })
      .stdout.toString()
      .trim();
  const commit = git("rev-parse", "--short", "HEAD") || "unknown";
  return git("status", "--porcelain", "--", "src", "plugins") === "" ? commit : `${commit}+changes`;
}

export function machine(): Machine {
  const list = cpus();
  return {
    revision: revision(),
    cores: list.length,
    cpu: list[0]?.model ?? "unknown",
    bun: Bun.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cores}-core machine (${m.cpu}), Bun ${m.bun}, ${m.platform}; load generator, gateway and mock upstream are separate processes sharing these ${m.cores} cores`;
}

/** A table as Markdown, which also reads well in a terminal. */
export function markdownTable(table: Table): string {
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => String(r[i] ?? "").length)));
  const line = (cells: Cell[]) =>
    `| ${cells.map((c, i) => (typeof c === "number" ? String(c).padStart(widths[i] ?? 0) : String(c).padEnd(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (typeof table.rows[0]?.[i] === "number" ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [`**${table.title}**`, "", line(table.columns), rule, ...table.rows.map(line)].join("\n");
}

export function checksTable(checks: Check[], title = "Targets"): Table {
  return {
    title,
    columns: ["check", "target", "measured", "result"],
    rows: checks.map((c) => [c.name, c.target, c.measured, c.pass ? "PASS" : "MISS"]),
  };
}

export function printResult(result: ScenarioResult): void {
  console.log(`\n## ${result.title}\n`);
  for (const table of result.tables) console.log(`${markdownTable(table)}\n`);
  if (result.checks.length > 0) console.log(`${markdownTable(checksTable(result.checks))}\n`);
  for (const note of result.notes) console.log(`- ${note}`);
}

export function writeResult(result: ScenarioResult): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${result.scenario}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 1)}\n`);
  return path;
}

function isScenarioResult(value: unknown): value is ScenarioResult {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Partial<ScenarioResult>;
  return (
    typeof r.scenario === "string" &&
    Array.isArray(r.tables) &&
    Array.isArray(r.checks) &&
    typeof r.machine === "object" &&
    r.machine !== null
  );
}

/** Reads every scenario JSON in `order` (others after) and writes latest.md. */
export function writeLatestMarkdown(order: string[]): string {
  const files = existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR).filter((f) => f.endsWith(".json")) : [];
  // Other tools may keep their own JSON here (e.g. store-queries.json): only scenario results are read.
  const results = files
    .map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), "utf8")) as unknown)
    .filter(isScenarioResult);
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  results.sort((a, b) => rank(a.scenario) - rank(b.scenario));

  const out: string[] = ["## Benchmarks", ""];
  const machines = [...new Set(results.map((r) => machineLine(r.machine)))];
  out.push(
    `Measured on a ${machines.join("; ")}. Reproduce with \`npm run bench\` (one scenario: \`npm run bench -- streaming\`).`,
    "",
  );
  const all = results.flatMap((r) => r.checks.map((c) => ({ ...c, name: `${r.scenario}: ${c.name}` })));
  if (all.length > 0) out.push(markdownTable(checksTable(all, "Budgets (DESIGN §10) and checks")), "");
  for (const r of results) {
    out.push(
      `### ${r.title}`,
      "",
      `_${r.date.slice(0, 16).replace("T", " ")} UTC, revision ${r.machine.revision ?? "?"}; ${Object.entries(
        r.settings,
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}_`,
      "",
    );
    for (const table of r.tables) out.push(markdownTable(table), "");
    for (const note of r.notes) out.push(`- ${note}`);
    if (r.notes.length > 0) out.push("");
  }
  const path = join(RESULTS_DIR, "latest.md");
  writeFileSync(path, out.join("\n"));
  return path;
}

export function newResult(scenario: string, title: string, settings: ScenarioResult["settings"]): ScenarioResult {
  return {
    scenario,
    title,
    date: new Date().toISOString(),
    machine: machine(),
    settings,
    tables: [],
    checks: [],
    notes: [],
    data: {},
  };
}
