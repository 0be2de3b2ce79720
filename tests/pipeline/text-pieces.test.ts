import { expect, test } from "bun:test";
import { TextPieces } from "../../src/pipeline/text-pieces.ts";

test("the pieces of a long answer join back to exactly the text sent, in order", () => {
  const pieces = new TextPieces();
  const sent: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const piece = i % 7 === 0 ? "" : `tok${i}${"é".repeat(i % 3)} `;
    sent.push(piece);
    pieces.append(piece);
    if (i === 63 || i === 64 || i === 500) expect(pieces.text()).toBe(sent.join(""));
  }
  expect(pieces.text()).toBe(sent.join(""));
  expect(pieces.empty).toBe(false);
});

test("no piece, or only empty ones, is empty text", () => {
  const pieces = new TextPieces();
  expect(pieces.empty).toBe(true);
  pieces.append("");
  expect(pieces.empty).toBe(true);
  expect(pieces.text()).toBe("");
});
