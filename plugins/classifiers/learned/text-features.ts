/**
 * Text evidence for the learned router: hashed word n-grams for English (and any Latin-script words in
 * Chinese text, where technical terms are often English) and character n-grams for Chinese runs, which
 * need no segmenter: a CJK bigram already carries most words (证明, 架构, 翻译), and unigrams and trigrams
 * catch the one- and three-character ones. Every feature is "namespace:gram" hashed into a fixed number
 * of buckets, so the model file stores weights for buckets, never a vocabulary. Character grams are
 * hashed straight from the text's code units (no string per gram): a 6,000-character Chinese paste has
 * 18,000 of them, and building those strings cost ten times the rest of the classification.
 */

/** Buckets of the hashed n-gram space (2^18: about 0.1% collisions for the ~20k grams of the corpus). */
export const HASH_BITS = 18;
const HASH_MASK = (1 << HASH_BITS) - 1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A CJK run, or a Latin word (letters, digits, `_`, inner apostrophes), or one symbol character. */
const TOKEN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9_]+(?:'[a-z]+)?|[^\s\w\u3400-\u9fff\uf900-\ufaff]/g;
const DIGITS = /^\d+$/;

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** FNV-1a over UTF-16 code units: a stable 32-bit hash (the same on every runtime), folded into the buckets. */
export function hashGram(gram: string): number {
  return (fnv(FNV_OFFSET, gram) >>> 0) & HASH_MASK;
}

/** Which n-grams a namespace produces: word n-grams up to `words`, CJK character n-grams from 1 to `chars`. */
export interface GramSpec {
  words: number;
  chars: number;
}

/**
 * The distinct grams of one text, in arrays (no object per gram: a 6,000-character paste has thousands):
 * `buckets[i]` is a gram's bucket; its name, built only when a reason asks, is `ns:` and
 * `source[i].slice(start[i], start[i] + length[i])` (a word, or a slice of a CJK run).
 */
export class Grams {
  readonly buckets: number[] = [];
  readonly source: string[] = [];
  readonly start: number[] = [];
  readonly length: number[] = [];
  private readonly seen = new Set<number>();
  constructor(readonly ns: string) {}

  get size(): number {
    return this.buckets.length;
  }

  add(h: number, source: string, start: number, length: number): void {
    const bucket = (h >>> 0) & HASH_MASK;
    if (this.seen.has(bucket)) return;
    this.seen.add(bucket);
    this.buckets.push(bucket);
    this.source.push(source);
    this.start.push(start);
    this.length.push(length);
  }

  name(i: number): string {
    return `${this.ns}:${this.source[i].slice(this.start[i], this.start[i] + this.length[i])}`;
  }
}

const isCjk = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);

/**
 * Adds the distinct grams of `text` to `out` (under its namespace). Numbers collapse to "0" (the value of
 * a number says nothing about the work; that there is one does). Word bigrams do not cross a CJK run.
 */
export function addGrams(text: string, spec: GramSpec, out: Grams): void {
  const tokens = text.toLowerCase().match(TOKEN);
  if (!tokens) return;
  const prefix = fnv(FNV_OFFSET, `${out.ns}:`);
  let prev = "";
  for (const raw of tokens) {
    if (isCjk(raw.charCodeAt(0))) {
      addCharGrams(raw, spec.chars, prefix, out);
      prev = "";
      continue;
    }
    const tok = DIGITS.test(raw) ? "0" : raw;
    out.add(fnv(prefix, tok), tok, 0, tok.length);
    if (spec.words >= 2 && prev) {
      const gram = `${prev} ${tok}`;
      out.add(fnv(prefix, gram), gram, 0, gram.length);
    }
    prev = tok;
  }
}

function addCharGrams(run: string, n: number, prefix: number, out: Grams): void {
  for (let i = 0; i < run.length; i++) {
    let h = prefix;
    for (let k = 0; k < n && i + k < run.length; k++) {
      h = Math.imul(h ^ run.charCodeAt(i + k), FNV_PRIME);
      out.add(h, run, i, k + 1);
    }
  }
}
