import * as assert from 'assert';
import { KeystrokePause, Schedule } from '../../src/core/workspaceTraining/keystrokePause';
import { PauseGate } from '../../src/core/workspaceTraining/pauseGate';

/** A clock the test moves by hand: timers run when advance() passes their time. */
class ManualTimers {
  now = 0;
  private timers: { at: number; run: () => void; live: boolean }[] = [];
  readonly schedule: Schedule = (run, ms) => {
    const timer = { at: this.now + ms, run, live: true };
    this.timers.push(timer);
    return () => (timer.live = false);
  };
  advance(ms: number): void {
    this.now += ms;
    const due = this.timers.filter((t) => t.live && t.at <= this.now);
    this.timers = this.timers.filter((t) => t.live && t.at > this.now);
    for (const t of due) t.run();
  }
  get pending(): number {
    return this.timers.filter((t) => t.live).length;
  }
}

describe('idle retraining: a keystroke pauses the run until typing stops', () => {
  it('pauses at once and resumes only after the quiet time since the last keystroke', () => {
    const timers = new ManualTimers();
    const gate = new PauseGate();
    const pause = new KeystrokePause(gate, 3000, timers.schedule);
    pause.keystroke();
    assert.strictEqual(gate.paused, true, 'paused at the keystroke, before any timer');
    timers.advance(2000);
    pause.keystroke();
    timers.advance(2000);
    assert.strictEqual(gate.paused, true, 'the second keystroke moved the resume on');
    assert.strictEqual(timers.pending, 1, 'one resume pending, not one per keystroke');
    timers.advance(1000);
    assert.strictEqual(gate.paused, false, 'resumed 3 s after the last keystroke');
  });

  it('resume() opens the gate now and drops the pending resume; dispose() drops it too', () => {
    const timers = new ManualTimers();
    const gate = new PauseGate();
    const pause = new KeystrokePause(gate, 3000, timers.schedule);
    pause.keystroke();
    pause.resume();
    assert.strictEqual(gate.paused, false);
    assert.strictEqual(timers.pending, 0);
    pause.keystroke();
    pause.dispose();
    assert.strictEqual(timers.pending, 0);
    assert.strictEqual(gate.paused, true, 'dispose leaves the gate as it is');
  });

  it('pauses a training thread that shares the gate (its buffer)', () => {
    const gate = new PauseGate();
    const seenByWorker = new PauseGate(gate.buffer);
    const timers = new ManualTimers();
    new KeystrokePause(gate, 3000, timers.schedule).keystroke();
    assert.strictEqual(seenByWorker.paused, true);
    timers.advance(3000);
    assert.strictEqual(seenByWorker.paused, false);
  });
});
