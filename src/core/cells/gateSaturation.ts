/**
 * How often each gate sits near 0 or 1, per unit — the statistic of Karpathy,
 * Johnson & Fei-Fei, "Visualizing and Understanding Recurrent Networks"
 * (2015): a gate below 0.1 is left-saturated, above 0.9 right-saturated.
 */
export const LEFT_SATURATED = 0.1;
export const RIGHT_SATURATED = 0.9;

/** The gates counted, with their column block in the engine's [i, f, g, o] gate rows. */
export const SATURATION_GATES = [
  { name: 'i', block: 0 },
  { name: 'f', block: 1 },
  { name: 'o', block: 3 },
] as const;

export type GateName = (typeof SATURATION_GATES)[number]['name'];

export interface GateSaturationCounts {
  layer: number;
  units: number;
  /** Steps counted. */
  steps: number;
  /** [gate (i, f, o), side (left, right), unit]. */
  counts: Uint32Array;
}

export function newGateSaturationCounts(layer: number, units: number): GateSaturationCounts {
  return { layer, units, steps: 0, counts: new Uint32Array(SATURATION_GATES.length * 2 * units) };
}

/** Counts one step's gate activations: gates is [4H] with column blocks i, f, g, o (after their sigmoids). */
export function countGateSaturation(counts: GateSaturationCounts, gates: ArrayLike<number>): void {
  const H = counts.units;
  const c = counts.counts;
  SATURATION_GATES.forEach(({ block }, k) => {
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
  gates: Record<GateName, GateFractions>;
}

/** Fractions of time each unit's i, f and o gates were left- or right-saturated, per layer. */
export function gateSaturation(counts: readonly GateSaturationCounts[]): LayerGateSaturation[] {
  return counts.map((cnt) => {
    const H = cnt.units;
    const steps = Math.max(cnt.steps, 1);
    const gates = {} as Record<GateName, GateFractions>;
    SATURATION_GATES.forEach(({ name }, k) => {
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
