import { RESUME_AFTER_MS } from './idleRetrain';
import { PauseGate } from './pauseGate';

/** A timer as the pause needs one: start it, and get back what cancels it. */
export type Schedule = (run: () => void, ms: number) => () => void;

const realTimers: Schedule = (run, ms) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

/**
 * How idle retraining yields to typing: each keystroke (or cursor move)
 * sets the pause gate at once, and the gate opens again `resumeAfterMs`
 * after the last one. Shared by the editor (idleRetrainer.ts) and the
 * idle-training bench, so that the bench pauses the run as the editor does.
 */
export class KeystrokePause {
  private cancelResume: (() => void) | undefined;

  constructor(
    private readonly gate: PauseGate,
    private readonly resumeAfterMs = RESUME_AFTER_MS,
    private readonly schedule: Schedule = realTimers,
  ) {}

  keystroke(): void {
    this.gate.pause();
    this.cancelResume?.();
    this.cancelResume = this.schedule(() => {
      this.cancelResume = undefined;
      this.gate.resume();
    }, this.resumeAfterMs);
  }

  /** Opens the gate now (a run starts or ends) and forgets the pending resume. */
  resume(): void {
    this.cancelResume?.();
    this.cancelResume = undefined;
    this.gate.resume();
  }

  dispose(): void {
    this.cancelResume?.();
    this.cancelResume = undefined;
  }
}
