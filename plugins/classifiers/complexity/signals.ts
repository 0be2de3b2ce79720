/**
 * The signals the complexity scorer weighs, each measured as a plain number (a count or 0/1) on the
 * latest user message. The score is the weighted sum; weights live in `weights.ts`.
 */
import * as cue from "./cues.ts";
import { type MessageFeatures, messageFeatures } from "./features.ts";

export const SIGNAL_NAMES = [
  "code",
  "errorTrace",
  "codeTask",
  "proof",
  "math",
  "proofMath",
  "wordProblem",
  "design",
  "designAtScale",
  "scale",
  "systems",
  "stakes",
  "security",
  "analysis",
  "explain",
  "steps",
  "subAsks",
  "agentic",
  "agenticChain",
  "tool",
  "writing",
  "extract",
  "data",
  "refactor",
  "constraints",
  "specifics",
  "length",
  "toolResult",
  "systemPrompt",
  "simpleAsk",
  "brief",
  "chitchat",
  "shortQuestion",
  "roleplay",
] as const;

export type SignalName = (typeof SIGNAL_NAMES)[number];
export type Signals = Record<SignalName, number>;

/** What the scorer knows about the conversation around the latest user message. */
interface Surroundings {
  /** The system prompt's text ("" when there is none). */
  system: string;
  /** The conversation has a `role: "tool"` message (a tool result). */
  toolResult: boolean;
}

interface Measured {
  signals: Signals;
  /** School-level math (homework, 初中, "my son"): a textbook proof or word problem, capable tier at most. */
  school: boolean;
  /** Lines of code in the message. */
  codeLines: number;
}

/** Number of distinct (lower-cased) matches of a global cue pattern, at most `cap`. */
function distinct(pattern: RegExp, text: string, cap: number): number {
  const hits = text.match(pattern); // match() with the g flag restarts at 0: no state between calls
  if (!hits) return 0;
  if (hits.length === 1) return 1;
  return Math.min(cap, new Set(hits.map((h) => h.toLowerCase().trim())).size);
}

/** Number of matches (repeats counted), at most `cap`. */
function occurrences(pattern: RegExp, text: string, cap: number): number {
  return Math.min(cap, text.match(pattern)?.length ?? 0);
}

const has = (pattern: RegExp, text: string) => text.search(pattern) !== -1;
const NUMBER = /(?<![\w.])\d+(?:\.\d+)?%?/g;
const QUESTION_MARK = /[?？]/g;

/** Measures every signal on one user message. */
export function measure(
  text: string,
  around: Surroundings,
  features: MessageFeatures = messageFeatures(text),
): Measured {
  // Cue patterns expect lower-cased text (see cues.ts).
  const ins = features.instruction.toLowerCase();
  const len = features.instructionLength;
  const proof = distinct(cue.PROOF, ins, 3);
  const math = Math.min(occurrences(cue.MATH_SYMBOLS, ins, 6) / 3 + distinct(cue.MATH_TERMS, ins, 4) / 2, 3);
  const tech = Math.min(4, distinct(cue.TECH, ins, 4) + (has(cue.GO_LANGUAGE, features.instruction) ? 1 : 0));
  const build = has(cue.BUILD, ins);
  // A quantity asked about several given numbers, in a stated problem (not "1 mile is how many km").
  const numbers = occurrences(NUMBER, ins, 8);
  const wordProblem =
    (numbers >= 3 || (numbers >= 2 && len >= 60)) &&
    tech === 0 &&
    features.codeLines === 0 &&
    has(cue.QUANTITY_QUESTION, ins);
  const design = distinct(cue.DESIGN, ins, 4);
  const scale = occurrences(cue.SCALE, ins, 3);
  const systems = distinct(cue.SYSTEMS, ins, 4);
  const steps = Math.min(6, occurrences(cue.NUMBERED, ins, 6) + distinct(cue.SEQUENCE, ins, 4));
  const agentic = distinct(cue.AGENTIC, ins, 3);
  const tool = has(cue.TOOL, ins);
  const codeTask = build && tech > 0 ? 1 : tech >= 2 ? 0.5 : 0;
  const writing = has(cue.WRITING, ins);
  const explain = has(cue.EXPLAIN, ins);
  const extract = has(cue.EXTRACT, ins);
  // Real work in the request: the cheap-ask and short-question signals do not apply then.
  const work = codeTask > 0 || tool || writing || explain || extract || wordProblem || proof > 0;
  const signals: Signals = {
    code: (features.fences > 0 ? 1 : 0) + Math.min(features.codeLines, 60) / 30,
    errorTrace: has(cue.ERROR_TRACE, text) ? 1 : 0,
    codeTask,
    proof,
    math,
    // A proof asked about mathematics: frontier work unless the school-level rule caps it.
    proofMath: proof > 0 && math > 0 ? 1 : 0,
    wordProblem: wordProblem ? 1 : 0,
    design,
    // Design weighed with trade-offs, for stated scale or a distributed setting: system design.
    designAtScale: design >= 2 && (scale > 0 || systems > 0) ? 1 : 0,
    scale,
    systems,
    stakes: distinct(cue.STAKES, ins, 5),
    security: distinct(cue.SECURITY, ins, 4),
    analysis: distinct(cue.ANALYSIS, ins, 4),
    explain: explain ? 1 : 0,
    steps,
    subAsks: Math.min(
      5,
      Math.max(0, occurrences(cue.QUESTION_WORD, ins, 6) - 1, occurrences(QUESTION_MARK, ins, 6) - 1),
    ),
    agentic,
    // Actions chained in sequence ("find…, then migrate…, then open a PR"): an agent's multi-step job.
    agenticChain: agentic >= 2 || ((agentic > 0 || tool) && steps >= 2) ? 1 : 0,
    tool: tool ? 1 : 0,
    writing: writing ? 1 : 0,
    extract: extract ? 1 : 0,
    data: features.tableLines > 0 ? 1 : 0,
    refactor: distinct(cue.REFACTOR, ins, 3),
    constraints: occurrences(cue.CONSTRAINTS, ins, 6),
    specifics: Math.min(numbers, 8) / 4,
    // Pasted material counts a quarter: "translate this long notice" is not hard for being long.
    length: Math.log2(1 + (len + features.materialLength / 4) / 200),
    toolResult: around.toolResult ? 1 : 0,
    systemPrompt: around.system.length >= 80 && len < 100 ? 1 : 0,
    // A cheap-ask word inside a long instruction ("convert every call site…") or next to code, tool or
    // writing work ("convert this JSON to a TypeScript interface") is part of bigger work.
    simpleAsk: len < 300 && !(codeTask > 0 || tool || writing) && has(cue.SIMPLE_ASK, ins) ? 1 : 0,
    brief: len < 100 && has(cue.BRIEF, ins) ? 1 : 0,
    chitchat: has(cue.CHITCHAT, ins) ? (len < 80 ? 1 : 0.3) : 0,
    shortQuestion: len < 100 && !work && features.fences === 0 && has(cue.QUESTION_FORM, ins.trim()) ? 1 : 0,
    roleplay: has(cue.ROLEPLAY, ins) ? 1 : 0,
  };
  const school =
    (proof > 0 || math > 0 || wordProblem) && (has(cue.SCHOOL, ins) || has(cue.SCHOOL, around.system.toLowerCase()));
  return { signals, school, codeLines: features.codeLines };
}
