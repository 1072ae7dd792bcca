/**
 * A fixed-size ring of text lines: pushing is O(1) however many lines it holds, so a node can
 * keep a very large log backlog (100,000 lines) cheaply (docs/protocol.md "The sync log": the backlog a log read gets first).
 */

/** The last `capacity` lines pushed. */
export class LineRing {
  private readonly slots: string[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`a ring holds 0 or more lines, not ${capacity}`);
    this.slots = new Array<string>(capacity);
  }

  /** Adds a line, dropping the oldest when full. */
  push(line: string): void {
    if (this.capacity === 0) return;
    this.slots[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** How many lines it holds. */
  get size(): number {
    return this.count;
  }

  /** The last `n` lines (fewer if it holds fewer), oldest first. */
  last(n: number): string[] {
    const k = Math.max(0, Math.min(n, this.count));
    const out = new Array<string>(k);
    const start = (this.next - k + this.capacity) % Math.max(1, this.capacity);
    for (let i = 0; i < k; i++) out[i] = this.slots[(start + i) % this.capacity]!;
    return out;
  }
}
