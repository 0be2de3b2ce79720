/**
 * Splits one message into what the user asks and what they pasted: fenced code, code-like lines,
 * tables, quoted spans, and long paragraphs the ask points at ("translate the text above"). Cue words
 * are looked for in the instruction only: a quoted "证明" is a word being asked about, and the
 * "refactor" inside a pasted résumé is not a refactor being asked for. Sizes come from everything.
 */
import { MATERIAL_REF } from "./cues.ts";

const FENCE = /```[^\n]*\n?([\s\S]*?)(?:```|$)/g;
/** Short quoted spans: “…”, "…", 「…」, 『…』 (long ones are pasted material and stay). */
const QUOTED = /“[^”\n]{1,120}”|"[^"\n]{1,120}"|「[^」\n]{1,120}」|『[^』\n]{1,120}』/g;
/** A line outside a fence that looks like code (non-global: `test` keeps no state). */
const CODE_LINE =
  /^\s*(?:def |class |import |from \S+ import |function |const |let |var |public |private |func |package |#include|SELECT |INSERT |UPDATE |CREATE |return\b|if \(|for \(|while \()|[;{}]\s*$|^\s{2,}\S.*[=(){}[\];]/;
/** A Markdown table row or a short CSV-like row. */
const TABLE_LINE = /^\s*\|.*\|\s*$|^\s*[^,\n]{1,30}(?:,[^,\n]{1,30}){2,}\s*$/;
/** A paragraph at least this long (weighted) can be pasted material. */
const MATERIAL_MIN = 300;

export interface MessageFeatures {
  /** What the user asks: prose without fenced code, short quotes and pasted material. Cues are looked for here. */
  instruction: string;
  /** Prose without fenced code (quotes and material kept). */
  prose: string;
  /** Number of fenced blocks. */
  fences: number;
  /** Non-empty lines inside fences plus code-like lines outside them. */
  codeLines: number;
  /** Lines of a pasted table (Markdown or CSV-like), when there are at least 3. */
  tableLines: number;
  /** Weighted length of the instruction. */
  instructionLength: number;
  /** Weighted length of the pasted material (long paragraphs the instruction points at). */
  materialLength: number;
}

/**
 * Length with each CJK character (U+3400–U+9FFF, U+F900–U+FAFF) counted as 2.5 characters (about the
 * information of 2.5 English letters). Counted over the code units: a global regex match made one string
 * per character, a third of the learned classifier's time on a 6,000-character Chinese prompt.
 */
function weightedLength(text: string): number {
  let cjk = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) cjk++;
  }
  return text.length + 1.5 * cjk;
}

/**
 * Long paragraphs are material when a shorter paragraph points at them ("these notes", 上面这段): the
 * instruction is the rest. A single paragraph, or long paragraphs nothing points at, are all instruction.
 */
function splitMaterial(prose: string): { instruction: string; material: string } {
  const paragraphs = prose.split(/\n\s*\n/).filter((p) => p.trim() !== "");
  if (paragraphs.length < 2) return { instruction: prose, material: "" };
  const long: string[] = [];
  const short: string[] = [];
  for (const p of paragraphs) (weightedLength(p) >= MATERIAL_MIN ? long : short).push(p);
  if (long.length === 0 || short.length === 0 || !short.some((p) => p.toLowerCase().search(MATERIAL_REF) !== -1))
    return { instruction: prose, material: "" };
  return { instruction: short.join("\n\n"), material: long.join("\n\n") };
}

export function messageFeatures(text: string): MessageFeatures {
  let fences = 0;
  let codeLines = 0;
  const prose = text.replace(FENCE, (_all, body: string) => {
    fences++;
    for (const line of body.split("\n")) if (line.trim() !== "") codeLines++;
    return "\n\n";
  });
  let tableLines = 0;
  for (const line of prose.split("\n")) {
    if (line.trim() === "") continue;
    if (TABLE_LINE.test(line)) tableLines++;
    else if (CODE_LINE.test(line)) codeLines++;
  }
  const { instruction, material } = splitMaterial(prose);
  const unquoted = instruction.replace(QUOTED, " ");
  return {
    instruction: unquoted,
    prose,
    fences,
    codeLines,
    tableLines: tableLines >= 3 ? tableLines : 0,
    instructionLength: weightedLength(instruction),
    materialLength: weightedLength(material),
  };
}
