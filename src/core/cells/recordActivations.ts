import { Engine } from '../engine';
import { NEWLINE_ID, charToId } from '../vocab';
import { cellOf, stateOffsets } from '../modelSpec';
import { Activations, ActivationTrack, CellKind, checkedKinds, RecordedSegment } from './activations';
import { countGateSaturation, newGateSaturationCounts } from './gateSaturation';

/** What recording needs of an engine (the Engine class, or a stand-in in tests). */
export type RecordingEngine = Pick<Engine, 'spec' | 'vocabSize' | 'newState' | 'step' | 'lastGates'>;

/**
 * Characters recorded when no cap is given. Memory is 4 bytes per unit per
 * kind per character (see activationBytes): for the default 2×256 model with
 * h and c, 4 KiB a character, so this default is about 200 MiB.
 */
export const DEFAULT_MAX_RECORDED_CHARS = 50_000;

export interface RecordOptions {
  /** Layers to record (default all). */
  layers?: readonly number[];
  /** h, c or both (default: all the model has, h and c for an LSTM, h for a GRU or RNN; c of those is refused). */
  kinds?: readonly CellKind[];
  /** Most characters recorded over all texts, shared fairly between them (default DEFAULT_MAX_RECORDED_CHARS). */
  maxChars?: number;
}

/**
 * Runs the model over each text from a fresh state (as after a newline, like
 * Engine.prime([])) and records, for every character, each recorded layer's h
 * (and an LSTM's c) after reading it, the surprise of that character in
 * bits, and gate saturation counts for every layer. A '\r' is not fed (the models are
 * trained on LF text, as DocumentStates does): its row repeats the state and
 * its surprise is 0, so rows stay aligned with UTF-16 offsets.
 */
export function recordActivations(engine: RecordingEngine, text: string | readonly string[], opts: RecordOptions = {}): Activations {
  const texts = typeof text === 'string' ? [text] : text;
  const { hidden } = engine.spec;
  const layers = [...new Set(opts.layers ?? hidden.map((_, l) => l))].sort((a, b) => a - b);
  for (const l of layers) if (!Number.isInteger(l) || l < 0 || l >= hidden.length) throw new Error(`layer ${l} does not exist (the model has ${hidden.length})`);
  const kinds = checkedKinds(engine.spec, opts.kinds);
  const maxChars = Math.max(0, Math.floor(opts.maxChars ?? DEFAULT_MAX_RECORDED_CHARS));

  const shares = shareBudget(
    texts.map((t) => t.length),
    maxChars,
  );
  const chars = shares.reduce((a, b) => a + b, 0);
  const segments: RecordedSegment[] = [];
  let at = 0;
  texts.forEach((t, k) => {
    segments.push({ start: at, end: at + shares[k], textLength: t.length });
    at += shares[k];
  });

  // Where each layer's h and c sit in a state: [layer][h (H) | c (H, LSTM only)].
  const stateOffset = stateOffsets(engine.spec);
  const tracks: ActivationTrack[] = [];
  for (const layer of layers) {
    for (const kind of kinds) tracks.push({ layer, kind, units: hidden[layer], values: new Float32Array(chars * hidden[layer]) });
  }
  const sources = tracks.map((tr) => stateOffset[tr.layer] + (tr.kind === 'c' ? hidden[tr.layer] : 0));
  const surprise = new Float32Array(chars);
  const gateCounts = hidden.map((H, l) => newGateSaturationCounts(l, H, cellOf(engine.spec)));
  const logProbs = new Float32Array(engine.vocabSize);

  texts.forEach((t, k) => {
    const seg = segments[k];
    const state = engine.newState();
    engine.step(state, NEWLINE_ID, logProbs);
    for (let row = seg.start; row < seg.end; row++) {
      const code = t.charCodeAt(row - seg.start);
      if (code !== 13) {
        const id = charToId(code);
        surprise[row] = -logProbs[id] / Math.LN2;
        engine.step(state, id, logProbs);
        for (let l = 0; l < hidden.length; l++) countGateSaturation(gateCounts[l], engine.lastGates(l));
      }
      // tracks[k].values[row, :] = state[h or c of its layer]
      for (let j = 0; j < tracks.length; j++) {
        const U = tracks[j].units;
        tracks[j].values.set(state.subarray(sources[j], sources[j] + U), row * U);
      }
    }
  });
  return { chars, tracks, surprise, gateCounts, segments };
}

/**
 * Splits a character budget between texts fairly: short texts are taken
 * whole, the rest share what is left equally.
 */
export function shareBudget(lengths: readonly number[], budget: number): number[] {
  const shares = new Array<number>(lengths.length).fill(0);
  const order = lengths.map((_, k) => k).sort((a, b) => lengths[a] - lengths[b]);
  let left = budget;
  order.forEach((k, done) => {
    const fair = Math.floor(left / (order.length - done));
    shares[k] = Math.min(lengths[k], fair);
    left -= shares[k];
  });
  return shares;
}
