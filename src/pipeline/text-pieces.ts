/**
 * Text that arrives in many small pieces (a streamed answer's deltas), kept for joining at the end.
 * `+=` on a string makes a rope node per piece, and an array of the pieces keeps one string per piece:
 * either way a long answer held open costs an object per token. Every 64 pieces are joined into one, so
 * a stream holds about one string per 64 tokens, each byte copied once more.
 */
const RUN = 64;

export class TextPieces {
  private readonly joined: string[] = [];
  private run: string[] = [];

  append(piece: string): void {
    if (piece === "") return;
    this.run.push(piece);
    if (this.run.length === RUN) {
      this.joined.push(this.run.join(""));
      this.run = [];
    }
  }

  get empty(): boolean {
    return this.joined.length === 0 && this.run.length === 0;
  }

  text(): string {
    return this.joined.join("") + this.run.join("");
  }
}
