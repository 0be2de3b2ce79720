/**
 * English strings of the playground area: the request form, the explained route (classifiers,
 * candidates, time budgets, retry plan) and the answers of "Send it".
 */
import { template } from "../dict.ts";

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export const playground = {
  title: "Routing playground",
  /**
   * The notice, in pieces around its bold phrases and the key name (its two bold names are the buttons'):
   * "[Explain the route] shows how … request [without calling any upstream model]: … [Send it] runs …
   * (key [playground]) and costs what any request costs."
   */
  intro: {
    explain: "Explain the route",
    shows: " shows how the gateway would route a request ",
    withoutCalling: "without calling any upstream model",
    local:
      ": the local classifiers run, a classifier that would ask a model is shown as not run, and nothing is logged or remembered for sticky conversations. ",
    send: "Send it",
    runs: " runs the request for real, as /v1 would, and it is logged (key ",
    costs: ") and costs what any request costs.",
  },
  form: "Request to explain",
  input: "Input",
  prompt: "Prompt",
  json: "Conversation (JSON)",
  requestedModel: "Requested model",
  modelName: "Model name",
  jsonLabel:
    "Messages as JSON (an array of messages, or a whole request body: its model is replaced by the one chosen above)",
  exampleSystem: "You are a helpful assistant.",
  exampleUser: "Write a Python function that merges two sorted lists.",
  system: "System prompt (optional)",
  systemPlaceholder: "You are a helpful assistant.",
  promptPlaceholder: "Explain the proof of Fermat's last theorem step by step…",
  explaining: "Explaining…",
  sending: "Sending…",
  sendBoth: "Send it to both",
  sideBySide: "Side by side with",
  sideBySideName: "Side by side with: name",
  nothing: "nothing (one answer)",
  stream: "Stream",
  hint: "Ctrl+Enter in the text box explains.",
  errors: {
    noPrompt: "Type a prompt first.",
    badJson: template<{ message: string }>("The conversation is not valid JSON: {{message}}"),
    notMessages: 'Paste an array of messages ([{ "role": "user", "content": "…" }]) or a request body with "messages".',
  },
  picker: {
    auto: "auto (classifiers decide)",
    tiers: "Tiers",
    models: "Models",
    other: "Another name…",
    otherPlaceholder: "an alias or unknown name",
  },
  result: {
    decision: "Decision",
    tier: "Tier",
    via: "via",
    classified: template<{ name: string }>('"{{name}}": classified'),
    tierPinned: template<{ name: string }>('tier "{{name}}" pinned by the client'),
    modelPinned: template<{ name: string }>('model "{{name}}" pinned by the client'),
    reason: "Reason: ",
    /** "Strategy [name] · 3 candidates": the strategy's name comes between, in bold. */
    strategy: "Strategy ",
    candidates: (n: number) => ` · ${n} ${plural(n, "candidate", "candidates")}`,
    classifiers: "Classifiers",
    notRunTier: "Not run: the client asked for a tier by name.",
    notRunModel: "Not run: the client asked for a model by name.",
    noClassifier: "No classifier is configured: the default tier applies.",
    decided: "decided",
    answeredNotFirst: "answered, not first",
    notRun: "not run",
    noVerdict: "no verdict",
    noOpinion: "no opinion",
    confidence: template<{ pct: string }>(" · confidence {{pct}}"),
    candidatesTitle: "Candidates, in the order they would be tried",
    noCandidate: "No candidate: the tier has no model.",
    order: "Order",
    model: "Model",
    availability: "Availability",
    circuit: "Circuit",
    health: "Health",
    latency: "Latency",
    adaptiveScore: "Adaptive score",
    healthScoreOf: template<{ target: string }>("Health score of {{target}}"),
    pinned: "pinned",
    /** The parts of the adaptive score (the formula's own names). */
    parts: template<{ health: string; speed: string; weight: string; chance: string; load: string; streak: string }>(
      "health {{health}} · speed {{speed}} · weight {{weight}} · chance {{chance}} · load {{load}} · streak {{streak}}",
    ),
    coolingLast: "Models cooling down go to the back; they are still tried when everything before them failed.",
    budgets: "Time budgets",
    headersWithin: "Headers within",
    firstTokenWithin: "First token within",
    longestSilence: "Longest silence in a stream",
    wholeRequest: "Whole request",
    retryPlan: "Retry plan",
    attemptsTotal: "Attempts in total",
    atMost: template<{ n: number }>("at most {{n}}"),
    attemptsPerModel: "Attempts per model",
    perTarget: (perTarget: number) =>
      `${perTarget} (${perTarget - 1} ${plural(perTarget - 1, "retry", "retries")} before failover)`,
    backoff: "Backoff",
    backoffText: template<{ base: string; max: string }>("{{base}} doubling, up to {{max}}, with jitter"),
    longestRetryAfter: "Longest Retry-After waited",
    retryRules: "Retry rules",
    adapters: "Parameter adapters",
    none: "none",
    raw: "Raw answer (JSON)",
  },
  /**
   * A budget in whole minutes ("10 min"); seconds keep the SI symbol, as format.ts writes them. A function:
   * as a template, "{{n}} min" would make the browser tests' check for English flag any "… min" on a page.
   */
  minutes: (n: string) => `${n} min`,
  send: {
    answerFor: template<{ requested: string }>("Answer for {{requested}}"),
    /** "Sent as [auto]" */
    sentAs: "Sent as ",
    empty: "(an empty answer)",
    status: "Status",
    tier: "Tier",
    model: "Model",
    noneAnswered: "none answered",
    latency: "Latency",
    firstToken: template<{ ms: string }>(" · first token {{ms}}"),
    cost: "Cost",
    notPriced: "not priced",
    tokens: template<{ prompt: string; completion: string }>(" · {{prompt}} in, {{completion}} out"),
    attempts: (n: number) => `${n} ${plural(n, "attempt", "attempts")}`,
    outcome: {
      accepted: "accepted",
      retry: "retry",
      failover: "failover",
      fail: "fail",
      cut: "cut",
    },
    noAnswer: "no answer",
    notLogged: "Not in the log yet: the figures are the response's own.",
    inLog: "This request in the log",
  },
};
