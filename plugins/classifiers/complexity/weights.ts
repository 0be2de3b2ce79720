/**
 * Default signal weights and tier thresholds of the complexity scorer, tuned on the dev set
 * (../shared/data/routing-dev.jsonl) by hand, for round numbers that keep each signal's meaning:
 * a signal that alone marks capable-tier work weighs about the t2 threshold, the t3 threshold needs
 * several independent hard signals together.
 */
import type { SignalName, Signals } from "./signals.ts";

export const DEFAULT_WEIGHTS: Signals = {
  code: 1,
  errorTrace: 1,
  codeTask: 1.5,
  proof: 2,
  math: 1,
  proofMath: 2,
  wordProblem: 2,
  design: 0.6,
  designAtScale: 1.5,
  scale: 0.5,
  systems: 0.9,
  stakes: 0.7,
  security: 1.2,
  analysis: 0.6,
  explain: 1.5,
  steps: 0.35,
  subAsks: 0.35,
  agentic: 0.8,
  agenticChain: 1.5,
  tool: 2,
  writing: 2,
  extract: 1.5,
  data: 1.2,
  refactor: 0.6,
  constraints: 0.2,
  specifics: 0.4,
  length: 0.5,
  toolResult: 1,
  systemPrompt: -0.5,
  simpleAsk: -2.5,
  brief: -1.2,
  chitchat: -1.5,
  shortQuestion: -1,
  roleplay: -1.5,
};

export const DEFAULT_THRESHOLDS = { t2: 1.5, t3: 4.5 };

/** Human-readable names used in verdict reasons. */
export const SIGNAL_LABELS: Record<SignalName, string> = {
  code: "code",
  errorTrace: "error/stack trace",
  codeTask: "code task",
  proof: "proof/derivation",
  math: "math",
  proofMath: "proof about math",
  wordProblem: "word problem",
  design: "design/trade-offs",
  designAtScale: "system design",
  scale: "stated scale",
  systems: "concurrency/distributed",
  stakes: "high-stakes domain",
  security: "security",
  analysis: "analysis ask",
  explain: "explain ask",
  steps: "multi-step",
  subAsks: "several questions",
  agentic: "agentic job",
  agenticChain: "chained actions",
  tool: "tool use",
  writing: "writing",
  extract: "extraction",
  data: "pasted table",
  refactor: "large change",
  constraints: "constraints",
  specifics: "given quantities",
  length: "length",
  toolResult: "tool results",
  systemPrompt: "answer in system prompt",
  simpleAsk: "simple ask (translate/convert/define/rephrase)",
  brief: "short answer wanted",
  chitchat: "small talk",
  shortQuestion: "short question",
  roleplay: "role-play",
};
