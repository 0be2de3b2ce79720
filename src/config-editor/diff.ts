/**
 * Line diffs of config versions for the admin UI's history (what an edit or a rollback changes).
 * Myers' O((N+M)·D) algorithm: a config of a few hundred lines with a small edit costs next to nothing.
 * A last line without a newline differs from the same line with one, as in `diff -u`.
 */
export interface DiffLine {
  op: " " | "-" | "+";
  text: string;
  /** false: the file ends on this line without a newline. */
  eol?: false;
}

export interface Hunk {
  /** 1-based first line in the old text (the line before, when oldLines is 0). */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

interface Line {
  text: string;
  eol: boolean;
}

function splitLines(text: string): Line[] {
  if (text === "") return [];
  const parts = text.split("\n");
  const last = parts.pop()!;
  const lines = parts.map((t) => ({ text: t, eol: true }));
  if (last !== "") lines.push({ text: last, eol: false });
  return lines;
}

type Step = { op: " " | "-" | "+"; a: number; b: number };

/** The shortest edit script from a to b (Myers), as steps in order; a/b are the line indexes involved. */
function editScript(a: string[], b: string[]): Step[] {
  const n = a.length;
  const m = b.length;
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= n + m && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from the end: each round added one insertion or deletion after a diagonal run.
  const steps: Step[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const round = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && round[offset + k - 1] < round[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = round[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) steps.push({ op: " ", a: --x, b: --y });
    if (d > 0) steps.push(x === prevX ? { op: "+", a: x, b: --y } : { op: "-", a: --x, b: y });
    x = prevX;
    y = prevY;
  }
  return steps.reverse();
}

/** Hunks of changed lines with `context` unchanged lines around them; close hunks are merged. */
export function lineDiff(a: string, b: string, context = 3): Hunk[] {
  const oldLines = splitLines(a);
  const newLines = splitLines(b);
  const key = (l: Line) => (l.eol ? `${l.text}\n` : l.text);
  const steps = editScript(oldLines.map(key), newLines.map(key));
  const hunks: Hunk[] = [];
  let i = 0;
  while (i < steps.length) {
    if (steps[i].op === " ") {
      i++;
      continue;
    }
    const first = Math.max(0, i - context);
    let last = i;
    // Extend over later changes separated by at most 2·context unchanged lines.
    for (let j = i + 1; j < steps.length; j++) {
      if (steps[j].op === " ") continue;
      if (j - last - 1 > 2 * context) break;
      last = j;
    }
    const stop = Math.min(steps.length, last + 1 + context);
    const slice = steps.slice(first, stop);
    const counted = (op: "-" | "+") => slice.filter((s) => s.op === " " || s.op === op).length;
    const hunk: Hunk = {
      oldStart: slice[0].a + 1,
      oldLines: counted("-"),
      newStart: slice[0].b + 1,
      newLines: counted("+"),
      lines: [],
    };
    if (hunk.oldLines === 0) hunk.oldStart -= 1;
    if (hunk.newLines === 0) hunk.newStart -= 1;
    hunk.lines = slice.map((s) => {
      const line = s.op === "+" ? newLines[s.b] : oldLines[s.a];
      return line.eol ? { op: s.op, text: line.text } : { op: s.op, text: line.text, eol: false };
    });
    hunks.push(hunk);
    i = stop;
  }
  return hunks;
}

/** `diff -u` text of the hunks, with `---`/`+++` headers when names are given. */
export function formatUnified(hunks: Hunk[], names?: { old: string; new: string }): string {
  const range = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
  const out: string[] = names ? [`--- ${names.old}`, `+++ ${names.new}`] : [];
  for (const h of hunks) {
    out.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`);
    for (const line of h.lines) {
      out.push(`${line.op}${line.text}`);
      if (line.eol === false) out.push("\\ No newline at end of file");
    }
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}
