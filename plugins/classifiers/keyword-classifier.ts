import {
  type Classifier,
  definePlugin,
  type RequestContext,
  type Static,
  StringOrRegExp,
  Type,
  type Verdict,
} from "../../src/index.ts";
import { compileNeedles, earlierUserTexts } from "./needles.ts";

const Rule = Type.Object(
  {
    tier: Type.String({ minLength: 1, description: "tier to route to when this rule matches" }),
    match: Type.Array(StringOrRegExp(), {
      minItems: 1,
      description:
        "words, phrases or RegExps; a plain ASCII word or phrase matches case-insensitively on word boundaries, any other string (Chinese, symbols) as a case-insensitive substring, a RegExp as given",
    }),
    reason: Type.Optional(
      Type.String({ description: "reason reported with the verdict (default: names the keyword that matched)" }),
    ),
  },
  { additionalProperties: false },
);

const Options = Type.Object(
  {
    rules: Type.Array(Rule, {
      minItems: 1,
      description: "checked in order: the first rule with any match decides the tier",
    }),
    history: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: "also match the previous N user messages, not only the latest (default 0)",
      }),
    ),
    caseSensitive: Type.Optional(
      Type.Boolean({
        description: "string keywords match case-sensitively (default false); RegExps keep their own flags",
      }),
    ),
  },
  { additionalProperties: false },
);

export type KeywordRule = Static<typeof Rule>;
export type KeywordClassifierOptions = Static<typeof Options>;

/**
 * A small, high-precision rule set to put before `complexityClassifier()`: only phrases that name the
 * kind of work unambiguously. Words that appear in every tier ("design", "refactor", "prove", 证明,
 * 架构) are deliberately left to the complexity scorer, which weighs them against the rest of the request.
 */
export const defaultKeywordRules: KeywordRule[] = [
  {
    tier: "t3",
    reason: "asks for trade-offs, failure modes or interleavings",
    match: [
      "trade-off",
      "trade-offs",
      "tradeoffs",
      "failure modes",
      "race condition",
      "interleaving",
      "interleavings",
      "exactly-once",
      "linearizable",
      "linearizability",
      "formal verification",
      "formally verify",
      "security audit",
      "threat model",
      "权衡",
      "取舍",
      "线程交错",
      "交错执行",
      "竞态条件",
      "线性一致",
      "形式化验证",
      "安全审计",
    ],
  },
  {
    tier: "t1",
    reason: "a translation, conversion or one-line definition",
    match: [
      /^\s*(?:translate|convert)\b[^\n]{0,120}$/i,
      /^\s*how (?:do|would) (?:i|you) say\b[^\n]{0,120}$/i,
      /^\s*what does [^\n]{1,60} mean\??[^\n]{0,30}$/i,
      /^[^\n]{0,40}(?:英文|英语|日语|中文)(?:一般)?(?:怎么|如何)(?:说|写|翻译)[^\n]{0,20}$/,
      /^[^\n]{0,30}等于多少[^\n]{0,15}$/,
    ],
  },
  {
    tier: "t1",
    reason: "a greeting or thanks",
    match: [
      /^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks|thank you|thx)\b[\s\S]{0,40}$/i,
      /^\s*(?:你好|您好|哈喽|嗨|早上好|下午好|晚上好|谢谢|多谢|感谢)[\s\S]{0,15}$/,
    ],
  },
];

interface CompiledRule {
  tier: string;
  reason?: string;
  words: RegExp | undefined;
  patterns: RegExp[];
}

function compile(rule: KeywordRule, caseSensitive: boolean): CompiledRule {
  const strings = rule.match.filter((m): m is string => typeof m === "string");
  // Copies without g and y: exec on them keeps no lastIndex between requests, and names what matched.
  const patterns = rule.match
    .filter((m): m is RegExp => m instanceof RegExp)
    .map((m) => new RegExp(m.source, m.flags.replace(/[gy]/g, "")));
  return { tier: rule.tier, reason: rule.reason, words: compileNeedles(strings, caseSensitive), patterns };
}

/** Longest stretch of matched text a reason quotes: a pattern may match a whole message. */
const QUOTE_CHARS = 40;

/**
 * The text a pattern matched, as a reason quotes it: whitespace runs as one space, at most QUOTE_CHARS.
 * Never the pattern's source: Bun's transpiler writes non-ASCII in a RegExp literal as \u escapes, so a
 * Chinese pattern printed as an unreadable, unbreakable run of `\u4F60\u597D`.
 */
function quoted(match: string): string {
  const text = match.trim().replace(/\s+/g, " ");
  return text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text;
}

/** What in `text` a rule matched (`keyword "x"` or `matched "x"`), or undefined. */
function findIn(rule: CompiledRule, text: string): string | undefined {
  if (rule.words) {
    // exec on our own non-global RegExp is stateless, and its match names the keyword.
    const hit = rule.words.exec(text);
    if (hit) return `keyword "${hit[0]}"`;
  }
  for (const pattern of rule.patterns) {
    const hit = pattern.exec(text);
    if (hit) return `matched "${quoted(hit[0])}"`;
  }
  return undefined;
}

/**
 * Routes by keywords: `rules` are checked in order and the first rule with any match in the latest user
 * message (and, with `history: N`, the N user messages before it) decides the tier. No match: no answer,
 * so the next classifier decides.
 *
 * Matching: a plain ASCII word or phrase ("SQL", "prove that", "trade-off") matches case-insensitively
 * and only on word boundaries: the characters around the hit must not be ASCII letters, digits or `_`
 * (so "SQL" does not hit "MySQL"), and a space matches any whitespace. Any other string (Chinese, "```",
 * "c++") matches as a case-insensitive substring. A RegExp matches as given, with its own flags.
 */
export function keywordClassifier(options: KeywordClassifierOptions): Classifier<KeywordClassifierOptions> {
  // definePlugin validates the options first: bad options fail with a message naming the option.
  const plugin = definePlugin({ name: "builtin:keywords", options, schema: Options, classify });
  const rules = options.rules.map((rule) => compile(rule, options.caseSensitive ?? false));
  const history = options.history ?? 0;

  function classify(ctx: RequestContext): Verdict | undefined {
    const texts = history > 0 ? [ctx.text, ...earlierUserTexts(ctx, history)] : [ctx.text];
    for (const rule of rules) {
      for (let i = 0; i < texts.length; i++) {
        const hit = findIn(rule, texts[i]);
        if (hit === undefined) continue;
        const where = i === 0 ? "" : " in an earlier message";
        return { tier: rule.tier, reason: rule.reason ? `${rule.reason} (${hit}${where})` : `${hit}${where}` };
      }
    }
    return undefined;
  }
  return plugin;
}
