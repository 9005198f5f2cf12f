import { BINARY_CONCEPTS, CONCEPT_NAMES, ConceptLabels, ConceptName } from '../concepts/conceptNames';
import { labelConcepts } from '../concepts/labelConcepts';
import { Language } from '../concepts/language';
import { Activations, cellValues } from './activations';
import { CountBand, countCurve } from './countCurve';
import { LayerGateSaturation, gateSaturation } from './gateSaturation';
import { CellScore, rankCellsForConcepts } from './rankCellsForConcept';
import { randomEngineLike } from './randomEngineLike';
import { RecordOptions, RecordingEngine, recordActivations } from './recordActivations';
import { SparseProbe } from './sparseProbe';
import { CellErrors, conceptErrors } from './whereCellErrs';

export interface ConceptSource {
  name?: string;
  text: string;
  language: Language;
  /** The file's concept labels when the caller made them (from a syntax tree, see core/syntax/labelConceptFiles); else the lexers of `language` label it. */
  labels?: ConceptLabels;
}

export interface FindCellsOptions extends RecordOptions {
  /** Rank the same cells of a randomly initialised model of the same size (default true). */
  randomBaseline?: boolean;
  /** Seed of the random model's initParams (default 1). */
  randomSeed?: number;
  /** Fit sparse probes (default true). */
  probe?: boolean;
  /** Cells kept per concept besides the best (default 5). */
  top?: number;
  /** Return the real model's recording (for a heatmap); otherwise it is dropped before the baseline runs. */
  keepActivations?: boolean;
  /** Told what is running, for a progress line. */
  onProgress?: (message: string) => void;
}

/** The best cell for a concept, with the runners-up and the probe. */
export interface ConceptFinding extends CellScore {
  top: CellScore[];
  probe: SparseProbe | null;
  /** Characters where a yes/no concept is yes. */
  positives?: number;
  /** Yes/no concepts of the model itself (not the random control): where the best cell errs (see whereCellErrs). */
  errors?: CellErrors;
  /** Counts, of the model itself: the best cell's mean per band of the count (see countCurve). */
  curve?: CountBand[];
}

/** null for a concept that is constant over the files (nothing to correlate with). */
export type ConceptFindings = Record<ConceptName, ConceptFinding | null>;

export interface CellsForConcepts {
  chars: number;
  files: { name?: string; language: Language; chars: number; recorded: number }[];
  concepts: ConceptFindings;
  /** The same ranking on a random model of the same size: a cell it also has is no finding. */
  randomBaseline: ConceptFindings | null;
  /** Mean surprise over the recorded characters. */
  bitsPerChar: number;
  saturation: LayerGateSaturation[];
  activations?: Activations;
}

/**
 * Records the model on the files, labels every recorded character with each
 * concept, and names the best cell per concept; then does the same for a
 * randomly initialised model of the same size. Memory: one recording at a
 * time (see activationBytes), the real one kept only with keepActivations.
 */
export function findCellsForConcepts(engine: RecordingEngine, files: readonly ConceptSource[], opts: FindCellsOptions = {}): CellsForConcepts {
  const progress = opts.onProgress ?? (() => undefined);
  // The real recording lives only inside describeModel (and in the result with keepActivations),
  // so it can be freed before the random model's is made.
  const { result, labels } = describeModel(engine, files, opts, progress);
  if (opts.randomBaseline ?? true) {
    progress('recording a random model of the same size');
    result.randomBaseline = measure(randomEngineLike(engine, opts.randomSeed ?? 1), files, labels, opts, progress).concepts;
  }
  return result;
}

function describeModel(
  engine: RecordingEngine,
  files: readonly ConceptSource[],
  opts: FindCellsOptions,
  progress: (message: string) => void,
): { result: CellsForConcepts; labels: Record<ConceptName, Float32Array> } {
  progress('recording the model');
  const { act, labels, concepts, bitsPerChar } = measure(engine, files, null, opts, progress);
  for (const name of CONCEPT_NAMES) {
    const best = concepts[name];
    if (best) Object.assign(best, bestCellReading(act, labels, name, best));
  }
  const result: CellsForConcepts = {
    chars: act.chars,
    files: files.map((f, k) => {
      const seg = act.segments[k];
      return { ...(f.name !== undefined ? { name: f.name } : {}), language: f.language, chars: f.text.length, recorded: seg.end - seg.start };
    }),
    concepts,
    randomBaseline: null,
    bitsPerChar,
    saturation: gateSaturation(act.gateCounts),
    ...(opts.keepActivations ? { activations: act } : {}),
  };
  return { result, labels };
}

interface Measurement {
  act: Activations;
  labels: Record<ConceptName, Float32Array>;
  concepts: ConceptFindings;
  bitsPerChar: number;
}

/** Records one model on the files and ranks its cells for every concept (labels made here unless given). */
function measure(
  engine: RecordingEngine,
  files: readonly ConceptSource[],
  givenLabels: Record<ConceptName, Float32Array> | null,
  opts: FindCellsOptions,
  progress: (message: string) => void,
): Measurement {
  const act = recordActivations(
    engine,
    files.map((f) => f.text),
    opts,
  );
  const labels = givenLabels ?? conceptLabelsFor(act, files);
  progress('ranking cells');
  const concepts = rankConcepts(act, labels, opts);
  let bits = 0;
  for (let t = 0; t < act.chars; t++) bits += act.surprise[t];
  return { act, labels, concepts, bitsPerChar: act.chars ? bits / act.chars : 0 };
}

/**
 * How a concept's best cell reads it beyond its one score: for a yes/no
 * concept, where it errs (whereCellErrs); for a count, its mean per level
 * (countCurve).
 */
export function bestCellReading(act: Activations, labels: Record<ConceptName, ArrayLike<number>>, concept: ConceptName, best: CellScore): { errors: CellErrors } | { curve: CountBand[] } {
  return BINARY_CONCEPTS.includes(concept) ? { errors: conceptErrors(act, labels, concept, best) } : { curve: countCurve(cellValues(act, best), labels[concept], best.sign) };
}

/** Each concept's labels over the recorded characters of every file, concatenated like the recording. */
export function conceptLabelsFor(act: Activations, files: readonly ConceptSource[]): Record<ConceptName, Float32Array> {
  const out = {} as Record<ConceptName, Float32Array>;
  for (const name of CONCEPT_NAMES) out[name] = new Float32Array(act.chars);
  files.forEach((f, k) => {
    const seg = act.segments[k];
    if (seg.end === seg.start) return;
    const labels = f.labels ?? labelConcepts(f.text, f.language);
    for (const name of CONCEPT_NAMES) {
      if (labels[name].length !== f.text.length) throw new Error(`${f.name ?? `file ${k + 1}`}: ${name} has ${labels[name].length} labels for ${f.text.length} characters`);
    }
    for (const name of CONCEPT_NAMES) out[name].set(labels[name].subarray(0, seg.end - seg.start), seg.start);
  });
  return out;
}

/** Every concept's best cell (and runners-up, and probe) on a recording, from labels lined up with it (see conceptLabelsFor). */
export function rankConcepts(act: Activations, labels: Record<ConceptName, Float32Array>, opts: Pick<FindCellsOptions, 'top' | 'probe'> = {}): ConceptFindings {
  const out = {} as ConceptFindings;
  const keep = Math.max(1, opts.top ?? 5);
  // One pass over the cells ranks every concept: each cell's values are sorted once.
  const rankings = rankCellsForConcepts(
    act,
    CONCEPT_NAMES.map((name) => ({ labels: labels[name], binary: BINARY_CONCEPTS.includes(name) })),
    { top: keep, probe: opts.probe ?? true },
  );
  CONCEPT_NAMES.forEach((name, k) => {
    const ranking = rankings[k];
    if (ranking.constant || ranking.cells.length === 0) {
      out[name] = null;
      return;
    }
    out[name] = { ...ranking.cells[0], top: ranking.cells, probe: ranking.probe, ...(ranking.positives !== undefined ? { positives: ranking.positives } : {}) };
  });
  return out;
}
