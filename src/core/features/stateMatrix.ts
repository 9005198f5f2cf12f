import { Activations, RecordedSegment, trackOf } from '../cells/activations';
import { RecordingEngine, recordActivations, shareBudget } from '../cells/recordActivations';
import { ModelSpec } from '../modelSpec';

/**
 * Recorded LSTM states as one matrix: row t is the model's whole state after
 * reading character t, every layer's h then c, in layer order:
 * [layer 0 h (H0) | layer 0 c (H0) | layer 1 h (H1) | …]. This is the input
 * of a sparse dictionary.
 */
export interface StateMatrix {
  rows: number;
  dim: number;
  /** [rows, dim] row-major. */
  values: Float32Array;
  /** Where each text's characters sit (the state restarts at each text). */
  segments: RecordedSegment[];
}

/** Numbers in one state row of a model: 2 × hidden, summed over layers. */
export function stateDim(spec: ModelSpec): number {
  return spec.hidden.reduce((sum, H) => sum + 2 * H, 0);
}

/** Which cell state dimension d is, e.g. "layer 0 c[12]". */
export function describeStateDim(spec: ModelSpec, d: number): string {
  let at = 0;
  for (let l = 0; l < spec.hidden.length; l++) {
    const H = spec.hidden[l];
    if (d < at + 2 * H) return d < at + H ? `layer ${l} h[${d - at}]` : `layer ${l} c[${d - at - H}]`;
    at += 2 * H;
  }
  throw new Error(`state dimension ${d} does not exist (the model has ${at})`);
}

/** The state matrix of a recording that holds h and c of every layer (a copy). */
export function stateMatrixOf(act: Activations, spec: ModelSpec): StateMatrix {
  const dim = stateDim(spec);
  const values = new Float32Array(act.chars * dim);
  let at = 0;
  for (let l = 0; l < spec.hidden.length; l++) {
    for (const kind of ['h', 'c'] as const) {
      const track = trackOf(act, l, kind);
      if (!track) throw new Error(`the recording lacks layer ${l} ${kind}: a dictionary needs every layer's h and c`);
      const U = track.units;
      // values[t, at : at + U] = track[t, :]
      for (let t = 0; t < act.chars; t++) values.set(track.values.subarray(t * U, (t + 1) * U), t * dim + at);
      at += U;
    }
  }
  return { rows: act.chars, dim, values, segments: act.segments.map((s) => ({ ...s })) };
}

/**
 * Records the model's states over texts, at most maxChars rows shared fairly
 * between them (as recordActivations does). Texts are recorded one at a
 * time, so memory peaks at the matrix (4 × dim bytes a row) plus one text's
 * recording.
 */
export function recordStates(engine: RecordingEngine, texts: readonly string[], maxChars: number): StateMatrix {
  const shares = shareBudget(
    texts.map((t) => t.length),
    Math.max(0, Math.floor(maxChars)),
  );
  const rows = shares.reduce((a, b) => a + b, 0);
  const dim = stateDim(engine.spec);
  const values = new Float32Array(rows * dim);
  const segments: RecordedSegment[] = [];
  let at = 0;
  texts.forEach((text, k) => {
    if (shares[k] > 0) {
      const part = stateMatrixOf(recordActivations(engine, text, { maxChars: shares[k] }), engine.spec);
      values.set(part.values, at * dim);
    }
    segments.push({ start: at, end: at + shares[k], textLength: text.length });
    at += shares[k];
  });
  return { rows, dim, values, segments };
}
