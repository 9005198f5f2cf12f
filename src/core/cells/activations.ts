import { ModelSpec, cellOf } from '../modelSpec';
import { GateSaturationCounts } from './gateSaturation';

/** h: the hidden output (in [-1, 1]); c: the memory cell (unbounded, LSTM only). */
export type CellKind = 'h' | 'c';

/** The kinds a model has: h and c for an LSTM, h alone for a GRU or a plain RNN. */
export function cellKinds(spec: ModelSpec): CellKind[] {
  return cellOf(spec) === 'lstm' ? ['h', 'c'] : ['h'];
}

/** The kinds asked for (default: all the model has), refusing c where there is none. */
export function checkedKinds(spec: ModelSpec, kinds: readonly CellKind[] | undefined): CellKind[] {
  const out = [...new Set(kinds ?? cellKinds(spec))];
  if (out.includes('c') && cellOf(spec) !== 'lstm') throw new Error(`a ${cellOf(spec).toUpperCase()} has no memory cell c; record h`);
  return out;
}

/** One unit of one layer's h or c. */
export interface CellRef {
  layer: number;
  cell: number;
  kind: CellKind;
}

/** Every unit of one layer's h or c over a recording. */
export interface ActivationTrack {
  layer: number;
  kind: CellKind;
  units: number;
  /** [chars, units] row-major: row t is the value after reading character t. */
  values: Float32Array;
}

/** Where one text's characters sit in a recording of several (the state restarts at each). */
export interface RecordedSegment {
  start: number;
  end: number;
  /** The text's full length; end − start is less when a character cap cut it. */
  textLength: number;
}

export interface Activations {
  /** Characters recorded (rows of every track). */
  chars: number;
  tracks: ActivationTrack[];
  /** [chars] bits: −log2 P(character t | the characters before it in its text). */
  surprise: Float32Array;
  /** Gate saturation counts of every layer (recorded tracks or not). */
  gateCounts: GateSaturationCounts[];
  segments: RecordedSegment[];
}

/** The track holding a cell, or undefined when that layer and kind were not recorded. */
export function trackOf(act: Activations, layer: number, kind: CellKind): ActivationTrack | undefined {
  return act.tracks.find((t) => t.layer === layer && t.kind === kind);
}

/** One cell's values over characters [start, end) of a recording (a copy). */
export function cellValues(act: Activations, ref: CellRef, start = 0, end = act.chars): Float32Array {
  const track = trackOf(act, ref.layer, ref.kind);
  if (!track || ref.cell < 0 || ref.cell >= track.units) throw new Error(`layer ${ref.layer} ${ref.kind}[${ref.cell}] was not recorded`);
  const from = Math.max(0, start);
  const to = Math.min(act.chars, end);
  const out = new Float32Array(Math.max(0, to - from));
  const U = track.units;
  for (let t = from; t < to; t++) out[t - from] = track.values[t * U + ref.cell];
  return out;
}

/**
 * Bytes a recording takes: 4 per unit per kind per character, e.g. 4 KiB a
 * character for h and c of a 2×256 model (20,000 characters ≈ 80 MiB).
 */
export function activationBytes(spec: ModelSpec, chars: number, layers: readonly number[] = spec.hidden.map((_, l) => l), kinds: readonly CellKind[] = cellKinds(spec)): number {
  const units = layers.reduce((sum, l) => sum + (spec.hidden[l] ?? 0), 0);
  return chars * units * kinds.length * 4 + chars * 4;
}

export function describeCell(ref: CellRef): string {
  return `layer ${ref.layer} ${ref.kind}[${ref.cell}]`;
}
