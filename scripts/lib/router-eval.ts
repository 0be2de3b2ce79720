/**
 * The evaluation of the learned router shared by `npm run train:router` and its tests: decisions from
 * held-out logits under a bias, the tables per bias setting and per abstain threshold, and the markdown.
 */
import { decide, softmax } from "../../plugins/classifiers/learned/model.ts";
import type { CorpusItem } from "./router-data.ts";
import { type Decision, type Figures, figures, type reliability, TIER_NAMES } from "./router-report.ts";

export function decisionsOf(items: readonly CorpusItem[], logits: readonly number[][], temperature: number, bias = 0) {
  return items.map((it, i): Decision => {
    const p = softmax(logits[i], temperature);
    const k = decide(p, bias);
    return { id: it.id, lang: it.lang, slice: it.slice, label: it.label, predicted: k, confidence: p[k] };
  });
}

export interface BiasRow {
  setting: string;
  bias: number;
  exact: number;
  t3Lower: number;
  t3ToT1: number;
  t1Higher: number;
}

export function biasTable(
  items: readonly CorpusItem[],
  logits: readonly number[][],
  temperature: number,
  presets: Record<string, number>,
): BiasRow[] {
  return Object.entries(presets).map(([setting, bias]) => {
    const f = figures(decisionsOf(items, logits, temperature, bias));
    return {
      setting,
      bias,
      exact: f.exact.percent,
      t3Lower: f.underRouting.t3Lower.percent,
      t3ToT1: f.underRouting.t3ToT1.percent,
      t1Higher: f.overRouting.t1Higher.percent,
    };
  });
}

export interface AbstainRow {
  abstainBelow: number;
  /** Share of requests that would reach the LLM classifier. */
  toLlm: number;
  /** Exact agreement on the requests the local model still answers. */
  exactWhenAnswered: number;
}

export function abstainTable(ds: readonly Decision[], thresholds = [0.5, 0.6, 0.7, 0.8, 0.9]): AbstainRow[] {
  return thresholds.map((t) => {
    const answered = ds.filter((d) => d.confidence >= t);
    const right = answered.filter((d) => d.predicted === d.label).length;
    return {
      abstainBelow: t,
      toLlm: Math.round((1000 * (ds.length - answered.length)) / ds.length) / 10,
      exactWhenAnswered: answered.length ? Math.round((1000 * right) / answered.length) / 10 : 0,
    };
  });
}

function figureLines(name: string, f: Figures): string[] {
  const c = f.confusion;
  return [
    `### ${name}`,
    "",
    `Exact ${f.exact.percent}% (${f.exact.n}/${f.exact.of}); ` +
      Object.entries(f.byLanguage)
        .map(([l, r]) => `${l} ${r.percent}%`)
        .join(", ") +
      "; " +
      Object.entries(f.byTier)
        .map(([t, r]) => `${t} ${r.percent}%`)
        .join(", "),
    "",
    `Under-routing: t3 sent lower ${f.underRouting.t3Lower.percent}% (t3 → t1 ${f.underRouting.t3ToT1.percent}%, t3 → t2 ${f.underRouting.t3ToT2.percent}%); ` +
      Object.entries(f.t3ByLanguage)
        .map(([l, r]) => `${l}: t3 → t1 ${r.t3ToT1.percent}%, t3 → t2 ${r.t3ToT2.percent}%`)
        .join("; ") +
      `. Over-routing: t1 sent higher ${f.overRouting.t1Higher.percent}%, any request above its label ${f.overRouting.anyHigher.percent}%.`,
    "",
    "| label \\ routed | t1 | t2 | t3 |",
    "|---|---:|---:|---:|",
    ...TIER_NAMES.map((t) => `| ${t} | ${c[t].t1} | ${c[t].t2} | ${c[t].t3} |`),
    "",
  ];
}

export interface EvalSummary {
  sliceCv: Figures;
  dev?: Figures;
  calibration: ReturnType<typeof reliability>;
  bias: BiasRow[];
  abstain: AbstainRow[];
  handBaseline: { sliceCvCorpus: Figures; dev?: Figures };
}

export function markdown(s: EvalSummary, header: string): string {
  const lines = [
    "# Learned router: evaluation",
    "",
    header,
    "",
    ...figureLines(
      "Leave-one-slice-out cross-validation (each slice predicted by a model trained without it)",
      s.sliceCv,
    ),
    "Per slice: " +
      Object.entries(s.sliceCv.bySlice)
        .map(([k, r]) => `${k} ${r.percent}%`)
        .join(", "),
    "",
    ...(s.dev ? figureLines("Dev set (routing-dev.jsonl, never trained on)", s.dev) : []),
    "### Calibration (held-out slice-CV decisions)",
    "",
    `Expected calibration error ${s.calibration.expectedCalibrationError}.`,
    "",
    "| confidence | decisions | mean confidence | accuracy |",
    "|---|---:|---:|---:|",
    ...s.calibration.rows.map((r) => `| ${r.bin} | ${r.count} | ${r.meanConfidence} | ${r.accuracy} |`),
    "",
    "### Bias settings (held-out slice-CV)",
    "",
    "| bias | log-odds per tier step | exact | t3 sent lower | t3 → t1 | t1 sent higher |",
    "|---|---:|---:|---:|---:|---:|",
    ...s.bias.map((r) => `| ${r.setting} | ${r.bias} | ${r.exact}% | ${r.t3Lower}% | ${r.t3ToT1}% | ${r.t1Higher}% |`),
    "",
    "### abstainBelow (held-out slice-CV): requests that would reach the LLM classifier",
    "",
    "| abstainBelow | to the LLM | exact on the rest |",
    "|---:|---:|---:|",
    ...s.abstain.map((r) => `| ${r.abstainBelow} | ${r.toLlm}% | ${r.exactWhenAnswered}% |`),
    "",
    "### Hand-tuned scorer, for comparison (no training: its figure on the whole corpus)",
    "",
    `Corpus ${s.handBaseline.sliceCvCorpus.exact.percent}%, t3 → t1 ${s.handBaseline.sliceCvCorpus.underRouting.t3ToT1.percent}%, t3 → t2 ${s.handBaseline.sliceCvCorpus.underRouting.t3ToT2.percent}%` +
      (s.handBaseline.dev ? `; dev set ${s.handBaseline.dev.exact.percent}% (it was tuned on the dev set).` : "."),
    "",
  ];
  return `${lines.join("\n")}\n`;
}
