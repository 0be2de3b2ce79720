/**
 * How deep a JSON text nests, found before `JSON.parse` sees it. A body nested tens of thousands deep
 * parses, then costs seconds (and a stack overflow) wherever it is walked or re-serialised; no valid
 * chat request needs more than a few dozen levels. One linear pass: strings are skipped with
 * `indexOf` (a prompt is mostly one long string), only brackets outside strings are counted.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;

/** True when `text` opens more than `max` objects/arrays inside one another. Malformed text: false (JSON.parse reports it). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return false;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Index of the quote that closes the string opened at `open`, or -1 when it is never closed. */
function closingQuote(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return -1;
    // Escaped when preceded by an odd run of backslashes (`\"` is escaped, `\\"` is not).
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}
