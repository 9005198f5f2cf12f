/**
 * A pause switch shared between the editor's thread and the training
 * thread: one Int32 in a SharedArrayBuffer, so pausing is a store that the
 * worker sees at once, with no message to wait for behind a training step.
 * The trainer checks it between steps (trainer.ts, betweenSteps), so a
 * pause takes effect within one step plus one poll.
 */
export class PauseGate {
  readonly buffer: SharedArrayBuffer;
  private readonly flag: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    if (buffer.byteLength < 4) throw new RangeError(`a pause gate needs 4 bytes, got ${buffer.byteLength}`);
    this.buffer = buffer;
    this.flag = new Int32Array(buffer, 0, 1);
  }

  pause(): void {
    Atomics.store(this.flag, 0, 1);
  }

  resume(): void {
    Atomics.store(this.flag, 0, 0);
  }

  get paused(): boolean {
    return Atomics.load(this.flag, 0) === 1;
  }

  /**
   * Returns at once when not paused; otherwise polls every `pollMs` (timers
   * and messages, a cancel among them, get through between polls) until
   * resumed or `signal` aborts. Resolves to the milliseconds spent paused.
   */
  async waitWhilePaused(signal?: AbortSignal, pollMs = 10): Promise<number> {
    if (!this.paused) return 0;
    const started = Date.now();
    while (this.paused && !signal?.aborted) await new Promise((resolve) => setTimeout(resolve, pollMs));
    return Date.now() - started;
  }
}
