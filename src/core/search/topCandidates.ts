/**
 * The `capacity` best (beam, char) pairs offered so far, best first.
 *
 * Beam search offers every extension of every alive beam (about 100 × width)
 * and keeps a few. A fixed-size sorted insertion list is cheaper than
 * sorting them all, since most offers lose to the last place at once, and it
 * allocates nothing after construction.
 */
export class TopCandidates {
  readonly score: Float64Array;
  readonly beam: Int32Array;
  readonly charId: Int32Array;
  count = 0;

  constructor(readonly capacity: number) {
    this.score = new Float64Array(capacity);
    this.beam = new Int32Array(capacity);
    this.charId = new Int32Array(capacity);
  }

  clear(): void {
    this.count = 0;
  }

  get isFull(): boolean {
    return this.count === this.capacity;
  }

  /** Score of the last kept candidate; an offer must beat it once the list is full. */
  get lastScore(): number {
    return this.score[this.count - 1];
  }

  /**
   * Keeps the candidate if it is among the best so far. Ties keep the earlier
   * offer ahead, so the order of offers (beam, then char id) breaks ties the
   * same way greedy search does.
   */
  offer(score: number, beam: number, charId: number): void {
    let pos: number;
    if (this.count < this.capacity) {
      pos = this.count++;
    } else {
      if (!(score > this.score[this.capacity - 1])) return;
      pos = this.capacity - 1;
    }
    while (pos > 0 && score > this.score[pos - 1]) {
      this.score[pos] = this.score[pos - 1];
      this.beam[pos] = this.beam[pos - 1];
      this.charId[pos] = this.charId[pos - 1];
      pos--;
    }
    this.score[pos] = score;
    this.beam[pos] = beam;
    this.charId[pos] = charId;
  }
}
