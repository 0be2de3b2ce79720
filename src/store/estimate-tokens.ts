/**
 * A local token estimate for answers whose upstream reported no usage (marked "estimated" in the log).
 * CJK characters are about one token each; other text about four characters a token. Good to ±25 % on
 * typical chat, which is what a cost estimate needs; exact counts come from the upstream's usage.
 */
const CJK = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]/g;

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  const cjk = text.match(CJK)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / 4);
}
