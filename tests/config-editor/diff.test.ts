/** Line diffs of config versions: hunks like `diff -u`. */
import { describe, expect, test } from "bun:test";
import { formatUnified, type Hunk, lineDiff } from "../../src/config-editor/diff.ts";

const lines = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `line ${i + from}`);
const text = (list: string[]) => `${list.join("\n")}\n`;

/** Rebuilds the new text from the old one and the hunks (what a patch tool does). */
function patch(a: string, hunks: Hunk[]): string {
  const old = a === "" ? [] : a.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  let at = 0;
  for (const h of hunks) {
    const start = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    out.push(...old.slice(at, start));
    at = start;
    for (const l of h.lines) {
      if (l.op !== "+") expect(old[at++]).toBe(l.text);
      if (l.op !== "-") out.push(l.text);
    }
  }
  out.push(...old.slice(at));
  return out.length ? `${out.join("\n")}\n` : "";
}

describe("lineDiff", () => {
  test("equal texts have no hunks", () => {
    expect(lineDiff("a\nb\n", "a\nb\n")).toEqual([]);
  });

  test("one changed line with three lines of context each side", () => {
    const a = lines(10);
    const b = [...a];
    b[4] = "changed";
    expect(lineDiff(text(a), text(b))).toEqual([
      {
        oldStart: 2,
        oldLines: 7,
        newStart: 2,
        newLines: 7,
        lines: [
          { op: " ", text: "line 2" },
          { op: " ", text: "line 3" },
          { op: " ", text: "line 4" },
          { op: "-", text: "line 5" },
          { op: "+", text: "changed" },
          { op: " ", text: "line 6" },
          { op: " ", text: "line 7" },
          { op: " ", text: "line 8" },
        ],
      },
    ]);
  });

  test("an insertion into an empty text starts at line 0 of the old side", () => {
    expect(lineDiff("", "x\n")).toEqual([
      { oldStart: 0, oldLines: 0, newStart: 1, newLines: 1, lines: [{ op: "+", text: "x" }] },
    ]);
  });

  test("changes far apart make two hunks, close ones one", () => {
    const a = lines(30);
    const far = [...a];
    far[2] = "x";
    far[25] = "y";
    expect(lineDiff(text(a), text(far)).length).toBe(2);
    const near = [...a];
    near[2] = "x";
    near[8] = "y";
    expect(lineDiff(text(a), text(near)).length).toBe(1);
  });

  test("a missing final newline is a difference, marked in the unified text", () => {
    const hunks = lineDiff("a\nb\n", "a\nb");
    expect(formatUnified(hunks)).toBe("@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n");
  });

  test("formatUnified writes diff -u text with headers", () => {
    const a = "server: 1\nport: 2\nhost: 3\n";
    const b = "server: 1\nport: 9\nhost: 3\nextra: 4\n";
    expect(formatUnified(lineDiff(a, b), { old: "a/gateway.config.ts", new: "b/gateway.config.ts" })).toBe(
      "--- a/gateway.config.ts\n+++ b/gateway.config.ts\n@@ -1,3 +1,4 @@\n server: 1\n-port: 2\n+port: 9\n host: 3\n+extra: 4\n",
    );
  });

  test("the hunks turn the old text into the new one (pseudo-random edits)", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 50; round++) {
      const a = lines(40 + Math.floor(random() * 40));
      const b = a.flatMap((line) =>
        random() < 0.1 ? [] : random() < 0.1 ? [line, `new ${random()}`] : random() < 0.05 ? [`edit ${line}`] : [line],
      );
      expect(patch(text(a), lineDiff(text(a), text(b)))).toBe(text(b));
    }
  });
});
