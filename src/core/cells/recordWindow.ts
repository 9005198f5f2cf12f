import { NEWLINE_ID, charToId } from '../vocab';
import { cellOf, stateOffsets } from '../modelSpec';
import { Activations, ActivationTrack, CellKind, checkedKinds } from './activations';
import { countGateSaturation, newGateSaturationCounts } from './gateSaturation';
import { RecordingEngine } from './recordActivations';

/** Steps between two reads of the clock (one step of a 2×256 model is about 0.1 ms). */
const CLOCK_EVERY = 8;

/** The model's state after reading text[0, offset), and its prediction of the next character. */
interface Checkpoint {
  offset: number;
  state: Float32Array;
  logProbs: Float32Array;
}

/**
 * States saved along one document while it is read, so that moving the
 * recorded window or editing the text does not mean reading the whole file
 * again: a recording starts from the last checkpoint at or before where it
 * must, and an edit keeps every checkpoint before the first changed
 * character. About 4 KiB per checkpoint for a 2×256 model.
 */
export class StateCheckpoints {
  private text = '';
  private points: Checkpoint[] = [];

  constructor(readonly every = 2048) {}

  /** Keeps only the checkpoints the new text still agrees with (those before its first difference from the old text). */
  update(text: string): void {
    if (text === this.text) return;
    const same = commonPrefixLength(this.text, text);
    this.points = this.points.filter((p) => p.offset <= same);
    this.text = text;
  }

  /** The last checkpoint at or before offset, if any. */
  before(offset: number): Checkpoint | undefined {
    let best: Checkpoint | undefined;
    for (const p of this.points) if (p.offset <= offset && (!best || p.offset > best.offset)) best = p;
    return best;
  }

  save(offset: number, state: Float32Array, logProbs: Float32Array): void {
    if (this.points.some((p) => p.offset === offset)) return;
    this.points.push({ offset, state: state.slice(), logProbs: logProbs.slice() });
  }

  get size(): number {
    return this.points.length;
  }

  clear(): void {
    this.points = [];
    this.text = '';
  }
}

export function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export interface WindowRecordOptions {
  /** Characters [start, end) of the text to record (the model still reads everything before start). */
  start: number;
  end: number;
  layers?: readonly number[];
  kinds?: readonly CellKind[];
  /** Reused and extended across calls on the same document (see StateCheckpoints). */
  checkpoints?: StateCheckpoints;
  /** Longest stretch of stepping between two yields, in milliseconds (default 12); the clock is read every few steps. */
  sliceMs?: number;
  /** Yield after this many steps instead of by time (deterministic, for tests). */
  sliceChars?: number;
  /** Called between slices, so the caller's event loop can run (e.g. () => new Promise(r => setImmediate(r))). */
  yieldNow?: () => Promise<void>;
  /** Checked after each yield; when true the recording stops and resolves to undefined. */
  isCancelled?: () => boolean;
}

/** A recording of characters [offset, offset + chars) of one text. */
export interface WindowActivations extends Activations {
  offset: number;
  /** Characters the model read before the window in this call (0 when a checkpoint sat at the window's start). */
  stepsBeforeWindow: number;
}

/**
 * recordActivations for a window of one text, asynchronously: the model reads
 * the text from its start (or the nearest checkpoint) in slices of
 * sliceChars steps, yielding between slices, so that a long file never holds
 * the caller's event loop for more than one slice. Rows and surprise match
 * recordActivations(text) sliced to the window exactly; gate saturation is
 * counted over the window only. Resolves to undefined when cancelled.
 */
export async function recordWindow(engine: RecordingEngine, text: string, opts: WindowRecordOptions): Promise<WindowActivations | undefined> {
  const { hidden } = engine.spec;
  const start = clampInt(opts.start, 0, text.length);
  const end = clampInt(opts.end, start, text.length);
  const layers = [...new Set(opts.layers ?? hidden.map((_, l) => l))].sort((a, b) => a - b);
  for (const l of layers) if (!Number.isInteger(l) || l < 0 || l >= hidden.length) throw new Error(`layer ${l} does not exist (the model has ${hidden.length})`);
  const kinds = checkedKinds(engine.spec, opts.kinds);
  // A slice ends after sliceChars steps, or (by default) once sliceMs have passed, checked every CLOCK_EVERY steps.
  const slice = opts.sliceChars !== undefined ? Math.max(1, Math.floor(opts.sliceChars)) : Infinity;
  const sliceMs = Math.max(1, opts.sliceMs ?? 12);
  const yieldNow = opts.yieldNow ?? (() => Promise.resolve());
  const cancelled = opts.isCancelled ?? (() => false);
  const checkpoints = opts.checkpoints;
  checkpoints?.update(text);

  const chars = end - start;
  const stateOffset = stateOffsets(engine.spec);
  const tracks: ActivationTrack[] = [];
  for (const layer of layers) for (const kind of kinds) tracks.push({ layer, kind, units: hidden[layer], values: new Float32Array(chars * hidden[layer]) });
  const sources = tracks.map((tr) => stateOffset[tr.layer] + (tr.kind === 'c' ? hidden[tr.layer] : 0));
  const surprise = new Float32Array(chars);
  const gateCounts = hidden.map((H, l) => newGateSaturationCounts(l, H, cellOf(engine.spec)));

  // Start from the last checkpoint at or before the window, else from a fresh state after a newline (as recordActivations does).
  let state: Float32Array;
  let logProbs: Float32Array;
  let at: number;
  const from = checkpoints?.before(start);
  if (from) {
    state = from.state.slice();
    logProbs = from.logProbs.slice();
    at = from.offset;
  } else {
    state = engine.newState();
    logProbs = new Float32Array(engine.vocabSize);
    engine.step(state, NEWLINE_ID, logProbs);
    at = 0;
    checkpoints?.save(0, state, logProbs);
  }
  const stepsBeforeWindow = start - at;

  let sinceYield = 0;
  let sliceStart = performance.now();
  for (; at < end; at++) {
    if (sinceYield >= slice || (sinceYield % CLOCK_EVERY === CLOCK_EVERY - 1 && performance.now() - sliceStart >= sliceMs)) {
      sinceYield = 0;
      await yieldNow();
      if (cancelled()) return undefined;
      sliceStart = performance.now();
    }
    if (checkpoints && at % checkpoints.every === 0) checkpoints.save(at, state, logProbs);
    const code = text.charCodeAt(at);
    const inWindow = at >= start;
    // '\r' is not fed (the models read LF text): its row repeats the state, its surprise is 0.
    if (code !== 13) {
      const id = charToId(code);
      if (inWindow) surprise[at - start] = -logProbs[id] / Math.LN2;
      engine.step(state, id, logProbs);
      sinceYield++;
      if (inWindow) for (let l = 0; l < hidden.length; l++) countGateSaturation(gateCounts[l], engine.lastGates(l));
    }
    if (inWindow) {
      const row = at - start;
      // tracks[j].values[row, :] = state[h or c of its layer]
      for (let j = 0; j < tracks.length; j++) {
        const U = tracks[j].units;
        tracks[j].values.set(state.subarray(sources[j], sources[j] + U), row * U);
      }
    }
  }
  return { chars, tracks, surprise, gateCounts, segments: [{ start: 0, end: chars, textLength: text.length }], offset: start, stepsBeforeWindow };
}

function clampInt(x: number, lo: number, hi: number): number {
  const v = Math.floor(Number.isFinite(x) ? x : lo);
  return v < lo ? lo : v > hi ? hi : v;
}
