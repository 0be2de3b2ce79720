/**
 * The labelled routing corpus for training the learned router: the shared training slices
 * (../shared/data/routing-train-*.jsonl, when ../shared is there) and the repository's own files
 * (datasets/routing/*.jsonl, always). The dev set (routing-dev.jsonl) is never read here: it is the
 * reported figure. Each item becomes the request view the classifier sees in production.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RequestView } from "../../plugins/classifiers/learned/features.ts";
import { type ChatMessage, type ChatRequest, classifierView } from "../../src/index.ts";

export const SHARED_DATA_DIR = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
export const OWN_DATA_DIR = fileURLToPath(new URL("../../datasets/routing/", import.meta.url));

export interface CorpusItem {
  id: string;
  lang: string;
  /** 0: t1, 1: t2, 2: t3. */
  label: number;
  /** The file it came from, without `.jsonl`: the unit of the leave-one-slice-out folds. */
  slice: string;
  view: RequestView;
}

interface RawItem {
  id: string;
  lang: string;
  tier: string;
  messages: ChatMessage[];
  request?: Record<string, unknown>;
}

/** The request view of a labelled item: the classifier view of its messages, its other request fields in the body. */
export function viewOf(messages: ChatMessage[], request: Record<string, unknown> = {}): RequestView {
  const body: ChatRequest = { ...request, model: "auto", messages };
  return { ...classifierView(messages), body };
}

export function readItems(path: string): CorpusItem[] {
  const slice = basename(path, ".jsonl");
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((line, i) => {
      const raw = JSON.parse(line) as RawItem;
      const label = ["t1", "t2", "t3"].indexOf(raw.tier);
      if (label < 0 || !Array.isArray(raw.messages)) throw new Error(`${path}:${i + 1}: not a labelled routing item`);
      return { id: raw.id, lang: raw.lang, label, slice, view: viewOf(raw.messages, raw.request) };
    });
}

/** The training files in a stable order: shared slices first (when present), then our own. */
export function corpusFiles(): string[] {
  const list = (dir: string, keep: (f: string) => boolean) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter(keep)
          .sort()
          .map((f) => join(dir, f))
      : [];
  const shared = list(SHARED_DATA_DIR, (f) => f.startsWith("routing-train-") && f.endsWith(".jsonl"));
  const own = list(OWN_DATA_DIR, (f) => f.endsWith(".jsonl"));
  return [...shared, ...own];
}

export function loadCorpus(files: string[] = corpusFiles()): CorpusItem[] {
  return files.flatMap(readItems);
}

/** The dev set, for reporting only. */
export function loadDevSet(): CorpusItem[] {
  const path = join(SHARED_DATA_DIR, "routing-dev.jsonl");
  return existsSync(path) ? readItems(path) : [];
}
