/**
 * The panel's feature list: the features of the sparse dictionary saved
 * beside the model that stand out in the open file's window, each labelled
 * by the concept it tracks best (AUROC for yes/no concepts, Spearman ρ for
 * counts) beside the control: the best feature of a dictionary of the same
 * size trained on a randomly initialised model's states. No vscode import.
 */
import { Activations } from '../../core/cells/activations';
import { BINARY_CONCEPTS, CONCEPT_NAMES, ConceptLabels, ConceptName } from '../../core/concepts/conceptNames';
import { SparseCodes, SparseDictionary, encodeStates } from '../../core/features/dictionary';
import { FeatureFindings, FeatureScore, labelFeatures } from '../../core/features/labelFeatures';
import { stateMatrixOf } from '../../core/features/stateMatrix';
import { ModelSpec } from '../../core/modelSpec';
import { FeatureEntry } from './protocol';
import { fmt } from './viewModel';

/** Features considered per concept; those above the control are listed (the best always is). */
export const FEATURE_CANDIDATES = 5;

/** A window recording read through a dictionary. */
export interface WindowFeatures {
  features: number;
  codes: SparseCodes;
}

/** Rows encoded between two yields of encodeWindowSliced (a 512-number state and 2,048 features: about 0.3 GFLOP). */
const ENCODE_SLICE_ROWS = 128;

/** The window's sparse codes (the recording must hold every layer's h and c, as the panel records them). */
export function encodeWindow(dict: SparseDictionary, act: Activations, spec: ModelSpec): WindowFeatures {
  return { features: dict.features, codes: encodeStates(dict, stateMatrixOf(act, spec)) };
}

/**
 * encodeWindow in slices of rows, yielding between them, for the extension
 * host (the dense product is rows × features × dim); undefined when cancelled.
 * The codes are the same as encodeWindow's: each row is encoded on its own.
 */
export async function encodeWindowSliced(dict: SparseDictionary, act: Activations, spec: ModelSpec, slicing: { yieldNow: () => Promise<void>; isCancelled: () => boolean }): Promise<WindowFeatures | undefined> {
  const states = stateMatrixOf(act, spec);
  const { k } = dict;
  const index = new Int32Array(states.rows * k);
  const value = new Float32Array(states.rows * k);
  for (let start = 0; start < states.rows; start += ENCODE_SLICE_ROWS) {
    const rows = Math.min(ENCODE_SLICE_ROWS, states.rows - start);
    const part = encodeStates(dict, { rows, dim: states.dim, values: states.values.subarray(start * states.dim, (start + rows) * states.dim), segments: [] });
    index.set(part.index, start * k);
    value.set(part.value, start * k);
    await slicing.yieldNow();
    if (slicing.isCancelled()) return undefined;
  }
  return { features: dict.features, codes: { rows: states.rows, k, index, value } };
}

/** Every concept's best features on the window; `labels` are the whole file's (the panel's concept labels, see labelFileConcepts). */
export function rankFeaturesOnWindow(win: WindowFeatures, labels: ConceptLabels, windowStart: number, top = FEATURE_CANDIDATES): FeatureFindings {
  const rows = win.codes.rows;
  const windowLabels = {} as Record<ConceptName, ArrayLike<number>>;
  for (const name of CONCEPT_NAMES) windowLabels[name] = labels[name].subarray(windowStart, windowStart + rows);
  return labelFeatures(win.codes, win.features, windowLabels, top);
}

/**
 * The list: per concept the features of `real` whose score beats the
 * control's best (`random`, when measured), at least the best one, flagged
 * when even it does not. `controlNote` says why there is no control yet.
 */
export function featureEntries(real: FeatureFindings, random?: FeatureFindings, controlNote = 'random model’s dictionary: measuring…'): FeatureEntry[] {
  const out: FeatureEntry[] = [];
  for (const name of CONCEPT_NAMES) {
    const finding = real[name];
    if (!finding) continue;
    const binary = BINARY_CONCEPTS.includes(name);
    const control = random?.[name] ?? undefined;
    const bar = control ? strength(control, binary) : -Infinity;
    const controlText = control ? ` · random model’s dictionary ${scoreText(control, binary)}` : random ? '' : ` · ${controlNote}`;
    finding.top.forEach((f, i) => {
      if (i > 0 && strength(f, binary) <= bar) return;
      const below = control && strength(f, binary) <= bar ? ' (not above the random model)' : '';
      const fires = `fires at ${f.fires} chars`;
      out.push({ feature: f.index, title: `${name} · feature ${f.index}`, detail: `this file: ${scoreText(f, binary)} · ${fires}${controlText}${below}`, group: name });
    });
  }
  return out;
}

/** For track labels: the concept each feature tracks best in this window (the first concept that lists it). */
export function featureNames(real: FeatureFindings): Map<number, ConceptName> {
  const out = new Map<number, ConceptName>();
  for (const name of CONCEPT_NAMES) {
    const f = real[name];
    if (f && !out.has(f.index)) out.set(f.index, name);
  }
  return out;
}

/**
 * Sign-free AUROC (a feature that fires on "no" separates the classes as
 * well as one that fires on "yes", as for cells), or |ρ| for counts.
 */
export function strength(f: FeatureScore, binary: boolean): number {
  return binary && f.auroc !== undefined ? Math.max(f.auroc, 1 - f.auroc) : Math.abs(f.rho);
}

function scoreText(f: FeatureScore, binary: boolean): string {
  return binary && f.auroc !== undefined ? `AUROC ${fmt(strength(f, true))}` : `ρ = ${fmt(f.rho)}`;
}
