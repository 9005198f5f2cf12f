import { CellType } from '../modelSpec';

/**
 * How often each gate sits near 0 or 1, per unit — the statistic of Karpathy,
 * Johnson & Fei-Fei, "Visualizing and Understanding Recurrent Networks"
 * (2015): a gate below 0.1 is left-saturated, above 0.9 right-saturated.
 */
export const LEFT_SATURATED = 0.1;
export const RIGHT_SATURATED = 0.9;

/** The LSTM gates counted, with their column block in the engine's [i, f, g, o] gate rows. */
export const SATURATION_GATES = [
  { name: 'i', block: 0 },
  { name: 'f', block: 1 },
  { name: 'o', block: 3 },
] as const;

/** A GRU's sigmoid gates in its [z, r, h̃] rows: update and reset. A plain RNN has none. */
const GRU_GATES = [
  { name: 'z', block: 0 },
  { name: 'r', block: 1 },
] as const;

/** The sigmoid gates of a cell type, with their column blocks in the engine's gate rows. */
export function saturationGates(cell: CellType): readonly { name: GateName; block: number }[] {
  return cell === 'lstm' ? SATURATION_GATES : cell === 'gru' ? GRU_GATES : [];
}

export type GateName = (typeof SATURATION_GATES)[number]['name'] | (typeof GRU_GATES)[number]['name'];

export interface GateSaturationCounts {
  layer: number;
  units: number;
  /** The gates counted (LSTM i, f, o; GRU z, r; none for a plain RNN). */
  gates: readonly { name: GateName; block: number }[];
  /** Steps counted. */
  steps: number;
  /** [gate, side (left, right), unit]. */
  counts: Uint32Array;
}

export function newGateSaturationCounts(layer: number, units: number, cell: CellType = 'lstm'): GateSaturationCounts {
  const gates = saturationGates(cell);
  return { layer, units, gates, steps: 0, counts: new Uint32Array(gates.length * 2 * units) };
}

/** Counts one step's gate activations: gates is one step's gate row ([4H] i, f, g, o for an LSTM; [3H] z, r, h̃ for a GRU), after the sigmoids. */
export function countGateSaturation(counts: GateSaturationCounts, gates: ArrayLike<number>): void {
  const H = counts.units;
  const c = counts.counts;
  counts.gates.forEach(({ block }, k) => {
    const left = 2 * k * H;
    const right = left + H;
    const at = block * H;
    for (let j = 0; j < H; j++) {
      const v = gates[at + j];
      if (v < LEFT_SATURATED) c[left + j]++;
      else if (v > RIGHT_SATURATED) c[right + j]++;
    }
  });
  counts.steps++;
}

export interface GateFractions {
  /** [units]: fraction of steps the gate was below 0.1. */
  left: Float32Array;
  /** [units]: fraction of steps the gate was above 0.9. */
  right: Float32Array;
  /** The same averaged over the layer's units. */
  meanLeft: number;
  meanRight: number;
}

export interface LayerGateSaturation {
  layer: number;
  steps: number;
  /** Keyed by gate name, in the order counted: i, f, o (LSTM); z, r (GRU); empty (RNN). */
  gates: Record<string, GateFractions>;
}

/** Fractions of time each unit's gates (i, f, o; z, r) were left- or right-saturated, per layer. */
export function gateSaturation(counts: readonly GateSaturationCounts[]): LayerGateSaturation[] {
  return counts.map((cnt) => {
    const H = cnt.units;
    const steps = Math.max(cnt.steps, 1);
    const gates: Record<string, GateFractions> = {};
    cnt.gates.forEach(({ name }, k) => {
      const left = new Float32Array(H);
      const right = new Float32Array(H);
      let sumLeft = 0;
      let sumRight = 0;
      for (let j = 0; j < H; j++) {
        left[j] = cnt.counts[2 * k * H + j] / steps;
        right[j] = cnt.counts[(2 * k + 1) * H + j] / steps;
        sumLeft += left[j];
        sumRight += right[j];
      }
      gates[name] = { left, right, meanLeft: H ? sumLeft / H : 0, meanRight: H ? sumRight / H : 0 };
    });
    return { layer: cnt.layer, steps: cnt.steps, gates };
  });
}
