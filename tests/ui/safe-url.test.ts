/**
 * The log detail's image addresses come from logged requests, so from anyone holding a gateway key:
 * only http, https and data:image URLs may become an image or a link.
 */
import { describe, expect, test } from "bun:test";
import { imageSource } from "../../ui/src/safe-url.ts";

describe("imageSource", () => {
  test("http and https addresses are shown, as the normalised URL", () => {
    expect(imageSource("https://example.com/cat.png")).toEqual({ kind: "web", href: "https://example.com/cat.png" });
    expect(imageSource("HTTP://Example.com/a b.png")).toEqual({ kind: "web", href: "http://example.com/a%20b.png" });
  });

  test("data:image URLs are shown as images", () => {
    expect(imageSource("data:image/png;base64,iVBORw0KGgo=")).toEqual({
      kind: "data",
      href: "data:image/png;base64,iVBORw0KGgo=",
    });
  });

  test("javascript: and other schemes are refused, however they are disguised", () => {
    for (const url of [
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "java\nscript:alert(1)",
      "\u0001javascript:alert(1)",
      "vbscript:x",
      "file:///etc/passwd",
      "blob:https://x/y",
    ]) {
      expect([url, imageSource(url).kind]).toEqual([url, "unsafe"]);
    }
  });

  test("data URLs that are not images, relative and unparsable addresses are refused", () => {
    for (const url of [
      "data:text/html,<script>alert(1)</script>",
      "data:,hello",
      "/relative.png",
      "//host/x.png",
      "",
      "http://",
    ]) {
      expect([url, imageSource(url).kind]).toEqual([url, "unsafe"]);
    }
  });
});
