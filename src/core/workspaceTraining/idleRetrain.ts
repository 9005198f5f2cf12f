import { AutoTraining } from './firstRun';

/**
 * Staying trained (`lstmLens.training.auto: idle`): when enough of the
 * workspace changed since the model was trained, retrain from it while the
 * user is idle. The host counts edits, watches for keystrokes and asks
 * decideIdleRetrain; the run pauses at each keystroke (PauseGate).
 */

export const DEFAULT_IDLE_RETRAIN_CHARS = 20_000;

/** No keystroke, edit or cursor move for this long counts as idle. */
export const IDLE_AFTER_MS = 30_000;

/** A paused run resumes after this long without a keystroke. */
export const RESUME_AFTER_MS = 3_000;

/**
 * Characters changed in saved edits: a change counts for its document
 * (inserted plus deleted characters) and moves into the total when the
 * document is saved; a document closed unsaved loses its count.
 */
export class SavedEditCounter {
  private readonly pending = new Map<string, number>();
  private total = 0;

  constructor(saved = 0) {
    this.total = Number.isFinite(saved) && saved > 0 ? saved : 0;
  }

  change(doc: string, chars: number): void {
    if (!(chars > 0)) return;
    this.pending.set(doc, (this.pending.get(doc) ?? 0) + chars);
  }

  save(doc: string): void {
    this.total += this.pending.get(doc) ?? 0;
    this.pending.delete(doc);
  }

  close(doc: string): void {
    this.pending.delete(doc);
  }

  get saved(): number {
    return this.total;
  }

  /** A run started from these edits: count from zero (edits still unsaved keep their count). */
  reset(): void {
    this.total = 0;
  }
}

export interface IdleRetrainFacts {
  auto: AutoTraining;
  trusted: boolean;
  /** Retraining starts from the workspace's own model; the first run makes it. */
  hasTrainedModel: boolean;
  savedChars: number;
  thresholdChars: number;
  msSinceActivity: number;
  /** A run (any: the command, the first run, this) is going on. */
  running: boolean;
  /** true on battery, false on mains, undefined where it cannot be told. */
  onBattery: boolean | undefined;
}

export function decideIdleRetrain(f: IdleRetrainFacts): { start: boolean; why: string } {
  if (f.auto !== 'idle') return { start: false, why: 'lstmLens.training.auto is not idle' };
  if (!f.trusted) return { start: false, why: 'the workspace is not trusted' };
  if (!f.hasTrainedModel) return { start: false, why: 'no model trained for this workspace yet' };
  if (f.running) return { start: false, why: 'a training run is going on' };
  if (f.savedChars < f.thresholdChars) return { start: false, why: `${f.savedChars} of ${f.thresholdChars} characters of saved edits` };
  if (f.onBattery === true) return { start: false, why: 'on battery' };
  if (f.msSinceActivity < IDLE_AFTER_MS) return { start: false, why: 'the user is not idle' };
  return { start: true, why: `${f.savedChars} characters of saved edits since the last run, and idle` };
}
