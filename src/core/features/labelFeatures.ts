import { BINARY_CONCEPTS, CONCEPT_NAMES, ConceptName } from '../concepts/conceptNames';
import { labelConcepts } from '../concepts/labelConcepts';
import { Language } from '../concepts/language';
import { SparseCodes } from './dictionary';
import { SparseColumn, averageRanks, sparseAuroc, sparseSpearman } from './rankCorrelation';
import { StateMatrix } from './stateMatrix';

/** How well one feature tracks a concept. */
export interface FeatureScore {
  index: number;
  /** Yes/no concepts: AUROC of the activation as a detector (0.5 chance; below 0.5 it fires on "no"). */
  auroc?: number;
  /** Spearman's ρ of the activation with the concept (for yes/no concepts, with the 0/1 label). */
  rho: number;
  /** Characters where the feature fires. */
  fires: number;
}

/** The best feature for a concept and the runners-up (best first). */
export interface FeatureFinding extends FeatureScore {
  top: FeatureScore[];
}

/** null for a concept that is constant over the rows. */
export type FeatureFindings = Record<ConceptName, FeatureFinding | null>;

/** Per feature, the rows where it fires and its values there (column-major view of the codes). */
export function featureColumns(codes: SparseCodes, features: number): SparseColumn[] {
  const counts = new Int32Array(features);
  for (let s = 0; s < codes.value.length; s++) if (codes.value[s] > 0) counts[codes.index[s]]++;
  const rows = Array.from(counts, (c) => new Int32Array(c));
  const values = Array.from(counts, (c) => new Float32Array(c));
  const filled = new Int32Array(features);
  for (let t = 0; t < codes.rows; t++) {
    for (let s = t * codes.k; s < (t + 1) * codes.k; s++) {
      const v = codes.value[s];
      if (v <= 0) continue;
      const j = codes.index[s];
      rows[j][filled[j]] = t;
      values[j][filled[j]++] = v;
    }
  }
  return rows.map((r, j) => ({ n: codes.rows, rows: r, values: values[j] }));
}

/**
 * Scores every feature against every concept and keeps the best `top` per
 * concept: yes/no concepts by |AUROC − 0.5|, counts by |ρ|.
 */
export function labelFeatures(codes: SparseCodes, features: number, labels: Record<ConceptName, ArrayLike<number>>, top = 5): FeatureFindings {
  const columns = featureColumns(codes, features);
  const out = {} as FeatureFindings;
  for (const name of CONCEPT_NAMES) {
    const y = labels[name];
    if (y.length < codes.rows) throw new Error(`${y.length} ${name} labels for ${codes.rows} rows`);
    const n = codes.rows;
    let constant = true;
    let positives = 0;
    for (let t = 0; t < n; t++) {
      if (y[t] !== y[0]) constant = false;
      if (y[t] > 0.5) positives++;
    }
    if (constant || n === 0) {
      out[name] = null;
      continue;
    }
    const ranks = averageRanks(Array.prototype.slice.call(y, 0, n) as number[]);
    let rankSum = 0;
    let rankSq = 0;
    for (let t = 0; t < n; t++) {
      rankSum += ranks[t];
      rankSq += ranks[t] * ranks[t];
    }
    const binary = BINARY_CONCEPTS.includes(name);
    const scores: FeatureScore[] = columns.map((col, index) => ({
      index,
      ...(binary ? { auroc: sparseAuroc(col, y, positives) } : {}),
      rho: sparseSpearman(col, ranks, rankSum, rankSq),
      fires: col.rows.length,
    }));
    const strength = (s: FeatureScore) => (binary ? Math.abs((s.auroc ?? 0.5) - 0.5) : Math.abs(s.rho));
    scores.sort((a, b) => strength(b) - strength(a) || a.index - b.index);
    const kept = scores.slice(0, Math.max(1, top));
    out[name] = { ...kept[0], top: kept };
  }
  return out;
}

/** Each concept's labels over the rows of a state matrix recorded from these texts (in order). */
export function conceptLabelsForStates(states: StateMatrix, files: readonly { text: string; language: Language }[]): Record<ConceptName, Float32Array> {
  if (files.length !== states.segments.length) throw new Error(`${files.length} files for a recording of ${states.segments.length}`);
  const out = {} as Record<ConceptName, Float32Array>;
  for (const name of CONCEPT_NAMES) out[name] = new Float32Array(states.rows);
  files.forEach((f, k) => {
    const seg = states.segments[k];
    if (seg.end === seg.start) return;
    const labels = labelConcepts(f.text, f.language);
    for (const name of CONCEPT_NAMES) out[name].set(labels[name].subarray(0, seg.end - seg.start), seg.start);
  });
  return out;
}
