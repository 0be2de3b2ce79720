/**
 * Addresses from logged requests (image URLs in a conversation) are attacker-controlled: anyone with a
 * gateway key can log `javascript:` as an image. Only http(s) and data:image URLs may become an image
 * or a link. The check parses as the browser will (the WHATWG URL parser drops tabs and newlines and
 * trims control characters), so what is checked is what would be followed.
 */

/** What an image address may be used as: `web` (an image or a link), `data` (an image only), `unsafe` (text only). */
export type ImageSource = { kind: "web"; href: string } | { kind: "data"; href: string } | { kind: "unsafe" };

const DATA_IMAGE = /^data:image\/[a-z0-9.+-]+[;,]/i;

export function imageSource(raw: string): ImageSource {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { kind: "unsafe" }; // relative or unparsable: nothing to resolve it against on purpose
  }
  if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "")
    return { kind: "web", href: url.href };
  if (url.protocol === "data:" && DATA_IMAGE.test(url.href)) return { kind: "data", href: url.href };
  return { kind: "unsafe" };
}
