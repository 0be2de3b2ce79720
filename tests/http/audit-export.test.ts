/** The audit export's CSV: one row per entry, fields quoted when needed, typed text never run as a formula. */
import { expect, test } from "bun:test";
import { auditExport } from "../../src/http/admin/audit-export.ts";

const entry = (actor: string, detail: unknown = null) => ({
  id: 7,
  ts: Date.UTC(2026, 0, 2, 3, 4, 5),
  actor,
  action: "login.failed",
  detail,
  clientIp: "127.0.0.1",
});

test("a username typed at login cannot become a spreadsheet formula or break the row", () => {
  const csv = auditExport([entry('=HYPERLINK("http://x")'), entry('a,"b"\nc', { reason: "x, y" })], "csv");
  const [header, ...rows] = csv.trimEnd().split(/\n(?=\d)/);
  expect(header).toBe("id,time,actor,action,clientIp,detail");
  expect(rows[0]).toBe(`7,2026-01-02T03:04:05.000Z,"'=HYPERLINK(""http://x"")",login.failed,127.0.0.1,`);
  expect(rows[1]).toBe(`7,2026-01-02T03:04:05.000Z,"a,""b""\nc",login.failed,127.0.0.1,"{""reason"":""x, y""}"`);
});

test("JSON Lines: one entry per line, as the API lists it", () => {
  const lines = auditExport([entry("admin"), entry("reader")], "jsonl")
    .trimEnd()
    .split("\n");
  expect(lines.map((line) => JSON.parse(line).actor)).toEqual(["admin", "reader"]);
});
