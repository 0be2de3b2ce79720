/**
 * Turns signals into a level (1 cheap, 2 capable, 3 frontier), and judges the latest user turn in the
 * context of the conversation: context may raise the level, never lower it.
 */
import type { ChatMessage } from "../../../src/index.ts";
import { messageText } from "../needles.ts";
import { CONTINUATION } from "./cues.ts";
import { messageFeatures } from "./features.ts";
import { measure, SIGNAL_NAMES, type SignalName, type Signals } from "./signals.ts";
import { SIGNAL_LABELS } from "./weights.ts";

type Level = 1 | 2 | 3;

export interface Tuning {
  weights: Signals;
  thresholds: { t2: number; t3: number };
}

export interface Assessment {
  level: Level;
  score: number;
  /** The signals as measured, before weighting. */
  signals: Signals;
  /** Every non-zero weighted signal, largest effect first. */
  contributions: { name: SignalName; value: number }[];
  /** The rule that set the level instead of the score alone ("tool loop", "school-level math"), if any. */
  rule?: string;
}

/** Positive evidence (sum of positive contributions) from which a request is at least capable-tier work. */
const WORK_EVIDENCE = 3;

/** How many earlier user turns are read for context. */
const CONTEXT_TURNS = 3;

function levelOf(score: number, thresholds: Tuning["thresholds"]): Level {
  return score >= thresholds.t3 ? 3 : score >= thresholds.t2 ? 2 : 1;
}

/** Scores one user message on its own. */
function assessMessage(text: string, around: { system: string; toolResult: boolean }, tuning: Tuning): Assessment {
  const { signals, school, codeLines } = measure(text, around, messageFeatures(text));
  let score = 0;
  const contributions: Assessment["contributions"] = [];
  for (const name of SIGNAL_NAMES) {
    const value = signals[name] * tuning.weights[name];
    if (value === 0) continue;
    score += value;
    contributions.push({ name, value });
  }
  contributions.sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  const assessment: Assessment = { level: levelOf(score, tuning.thresholds), score, signals, contributions };
  // School-level math is a textbook proof or a word problem: real work, but not frontier work.
  if (school && assessment.level !== 2) {
    assessment.level = 2;
    assessment.rule = "school-level math";
  }
  // Two or more lines of code is code work whatever the words around it say.
  if (codeLines >= 2) raise(assessment, 2, "code");
  // Cheap-ask cues (a greeting, "translate", role-play) may not take a request that carries this
  // much evidence of work down to the cheap tier: that would be the costly mistake.
  if (positive(assessment) >= WORK_EVIDENCE) raise(assessment, 2, "evidence of work");
  return assessment;
}

/** The sum of the positive contributions: the evidence of work, before cheap-ask cues subtract. */
function positive(a: Assessment): number {
  let sum = 0;
  for (const c of a.contributions) if (c.value > 0) sum += c.value;
  return sum;
}

function raise(assessment: Assessment, level: Level, why: string): void {
  if (level <= assessment.level) return;
  assessment.level = level;
  assessment.rule = why;
}

/** A turn that stands on its own as cheap work: thanks, a greeting, a translation, a one-liner. */
function isSimpleTurn(a: Assessment): boolean {
  return a.signals.simpleAsk > 0 || a.signals.brief > 0 || a.signals.chitchat >= 1;
}

/**
 * Assesses the latest user turn (`text`) of `messages`. Earlier turns (the last 3 user messages before
 * it) may raise it, never lower it: a "continue" keeps the level of the work it continues; a follow-up
 * that is real work itself keeps the earlier level; a lighter follow-up that is not small talk or a
 * simple ask keeps at least the capable tier when earlier turns (or code in them) needed it. A
 * conversation whose last message is a tool result is in a tool loop: at least the capable tier.
 */
export function assessConversation(text: string, messages: readonly ChatMessage[], tuning: Tuning): Assessment {
  let system = "";
  let toolResult = false;
  const earlier: string[] = [];
  let contextCode = false;
  let latestSeen = false;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.role === "system" || m.role === "developer") system = messageText(m) + (system ? `\n${system}` : "");
    else if (m.role === "tool" || m.role === "function") toolResult = true;
    else if (m.role === "user") {
      if (!latestSeen) latestSeen = true;
      else if (earlier.length < CONTEXT_TURNS) earlier.push(messageText(m));
    } else if (m.role === "assistant" && latestSeen && !contextCode) {
      contextCode = messageText(m).includes("```");
    }
  }
  const around = { system, toolResult };
  const latest = assessMessage(text, around, tuning);
  const last = messages[messages.length - 1];
  if (last && (last.role === "tool" || last.role === "function")) raise(latest, 2, "tool loop");
  if (earlier.length === 0 || latest.level === 3) return latest;

  let before: Level = 1;
  for (const t of earlier) before = Math.max(before, assessMessage(t, around, tuning).level) as Level;
  if (contextCode || earlier.some((t) => t.includes("```"))) before = Math.max(before, 2) as Level;

  const trimmed = text.trim().toLowerCase();
  if (trimmed.length <= 40 && CONTINUATION.test(trimmed)) raise(latest, before, "continues the earlier work");
  // A follow-up that is real work itself stays at the conversation's level; a light one keeps at least
  // the capable tier when the earlier turns needed it. Small talk and simple asks stand on their own.
  else if (latest.level >= 2) raise(latest, before, "follow-up to earlier work");
  else if (!isSimpleTurn(latest)) raise(latest, Math.min(before, 2) as Level, "follow-up to earlier work");
  return latest;
}

/** "complexity 6.2: proof/derivation +4.0, math +1.8, ...": the score and the top signals of an assessment. */
export function describeAssessment(a: Assessment, top = 3): string {
  const fmt = (v: number) => (v >= 0 ? "+" : "−") + Math.abs(v).toFixed(1);
  const named = a.contributions.slice(0, top).map((c) => `${SIGNAL_LABELS[c.name]} ${fmt(c.value)}`);
  const head = `complexity ${a.score.toFixed(1)}`;
  const parts = named.length ? `${head}: ${named.join(", ")}` : `${head}: no signal`;
  return a.rule ? `${parts}; rule: ${a.rule}` : parts;
}
