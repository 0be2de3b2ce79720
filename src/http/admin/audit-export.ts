/** The audit trail as a download: CSV (one row per entry, detail as JSON text) or JSON Lines. */
import { csvCell } from "../../store/queries/logs.ts";
import type { AuditEntry } from "./contract/answers.ts";

const COLUMNS = ["id", "time", "actor", "action", "clientIp", "detail"] as const;

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
      .map(csvCell)
      .join(","),
  );
  return `${[COLUMNS.join(","), ...rows].join("\n")}\n`;
}
