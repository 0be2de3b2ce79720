/** The audit trail as a download: CSV (one row per entry, detail as JSON text) or JSON Lines. */
import type { AuditEntry } from "./contract/answers.ts";

const COLUMNS = ["id", "time", "actor", "action", "clientIp", "detail"] as const;

/**
 * One CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ gets a ' so a
 * spreadsheet shows it instead of running it as a formula (an actor name is typed by users).
 */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function auditExport(entries: AuditEntry[], format: "csv" | "jsonl"): string {
  if (format === "jsonl") return entries.map((entry) => `${JSON.stringify(entry)}\n`).join("");
  const rows = entries.map((entry) =>
    [
      String(entry.id),
      new Date(entry.ts).toISOString(),
      entry.actor,
      entry.action,
      entry.clientIp ?? "",
      entry.detail === null ? "" : JSON.stringify(entry.detail),
    ]
      .map(field)
      .join(","),
  );
  return `${[COLUMNS.join(","), ...rows].join("\n")}\n`;
}
