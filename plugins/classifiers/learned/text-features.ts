/**
 * Text evidence for the learned router: hashed word n-grams for English (and any Latin-script words in
 * Chinese text, where technical terms are often English) and character n-grams for Chinese runs, which
 * need no segmenter: a CJK bigram already carries most words (证明, 架构, 翻译), and unigrams and trigrams
 * catch the one- and three-character ones. Every feature is "namespace:gram" hashed into a fixed number
 * of buckets, so the model file stores weights for buckets, never a vocabulary.
 */

/** Buckets of the hashed n-gram space (2^18: about 0.1% collisions for the ~20k grams of the corpus). */
export const HASH_BITS = 18;
const HASH_MASK = (1 << HASH_BITS) - 1;

/** A CJK run, or a Latin word (letters, digits, `_`, inner apostrophes), or one symbol character. */
const TOKEN = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9_]+(?:'[a-z]+)?|[^\s\w\u3400-\u9fff\uf900-\ufaff]/g;
const CJK_START = /^[\u3400-\u9fff\uf900-\ufaff]/;
const DIGITS = /^\d+$/;

/** FNV-1a over UTF-16 code units: a stable 32-bit hash (the same on every runtime), folded into the buckets. */
export function hashGram(gram: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < gram.length; i++) {
    h ^= gram.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & HASH_MASK;
}

/** Which n-grams a namespace produces: word n-grams up to `words`, CJK character n-grams from 1 to `chars`. */
export interface GramSpec {
  words: number;
  chars: number;
}

/**
 * Adds the distinct grams of `text` under `ns` to `out` (gram → 1). Numbers collapse to "0" (the value of a
 * number says nothing about the work; that there is one does). Word bigrams do not cross a CJK run.
 */
export function addGrams(text: string, ns: string, spec: GramSpec, out: Set<string>): void {
  const tokens = text.toLowerCase().match(TOKEN);
  if (!tokens) return;
  let prev = "";
  let prev2 = "";
  for (const raw of tokens) {
    if (CJK_START.test(raw)) {
      addCharGrams(raw, ns, spec.chars, out);
      prev = prev2 = "";
      continue;
    }
    const tok = DIGITS.test(raw) ? "0" : raw;
    out.add(`${ns}:${tok}`);
    if (spec.words >= 2 && prev) out.add(`${ns}:${prev} ${tok}`);
    if (spec.words >= 3 && prev2) out.add(`${ns}:${prev2} ${prev} ${tok}`);
    prev2 = prev;
    prev = tok;
  }
}

function addCharGrams(run: string, ns: string, n: number, out: Set<string>): void {
  for (let i = 0; i < run.length; i++) {
    for (let k = 1; k <= n && i + k <= run.length; k++) out.add(`${ns}:${run.slice(i, i + k)}`);
  }
}
