import { CellType, ModelSpec, cellOf } from '../modelSpec';
import { VOCAB_CHARS } from '../vocab';

/** Bumped when a manifest change would mislead an older LSTM Lens. */
export const MANIFEST_FORMAT_VERSION = 1;

export interface CorpusSummary {
  files: number;
  chars: number;
  /** Where the text came from (folders, package names), for the model card. */
  sources?: string[];
  /** Characters per language or file extension. */
  byLanguage?: Record<string, number>;
  /** Validation text given apart (held-out packages): where from, how much. */
  validation?: { files: number; chars: number; sources: string[] };
  /** Share of training files re-indented to another style (augmentation). */
  reindentShare?: number;
  /** Folders whose files were read more than once per pass (oversampling), and how many times. */
  repeat?: { under: string; times: number }[];
}

export interface TrainingSummary {
  engine: string;
  startedFrom?: string;
  seq: number;
  batch: number;
  learningRate: number;
  dropout: number;
  /** L1 penalty on cell states during training (absent = none). */
  cellL1?: number;
  clipNorm: number;
  epochs: number;
  steps: number;
  charsSeen: number;
  seconds: number;
  charsPerSecond: number;
  stoppedBecause: string;
  corpus?: CorpusSummary;
  finishedAt: string;
}

export interface ModelMetrics {
  trainBitsPerChar?: number;
  valBitsPerChar?: number;
  valTop1?: number;
  [name: string]: number | undefined;
}

/** A cell (unit) that tracks a concept: which layer, which unit, h or c, and how well. */
export interface NamedCell {
  layer: number;
  cell: number;
  kind: 'h' | 'c';
  r: number;
  [extra: string]: unknown;
}

/** The sparse dictionary (features) saved beside the model: a file in the model folder. */
export interface FeatureDictionaryEntry {
  /** File name inside the model folder. */
  file: string;
  features: number;
  k: number;
  /** Characters of states it was trained on. */
  trainedOnChars: number;
  /** Fraction of variance unexplained, dead features and mean active features per character on those states. */
  fvu?: number;
  deadFraction?: number;
  meanActive?: number;
  createdAt: string;
}

/**
 * What LSTM Lens stores beside the weights: enough to know how the model was
 * made, how good it is and which cells mean what. Stored in model.json's
 * `userDefinedMetadata.lstmLens`, so that one atomic rename commits weights
 * and manifest together.
 */
export interface ModelManifest {
  format: 'lstm-lens';
  formatVersion: number;
  name: string;
  vocabulary: string[];
  spec: ModelSpec;
  /** The recurrent cell (the topology's layer class says the same); manifests written before GRUs and RNNs lack it and are LSTMs. */
  cell?: CellType;
  createdAt: string;
  training?: TrainingSummary;
  metrics?: ModelMetrics;
  cells?: Record<string, NamedCell>;
  features?: FeatureDictionaryEntry;
  /** The weights are the mean of these models' (export --average), named by folder. */
  averageOf?: string[];
  notes?: string;
}

export function newManifest(spec: ModelSpec, name = 'lstm-lens model'): ModelManifest {
  return {
    format: 'lstm-lens',
    formatVersion: MANIFEST_FORMAT_VERSION,
    name,
    vocabulary: [...VOCAB_CHARS],
    spec: { ...spec, hidden: [...spec.hidden] },
    cell: cellOf(spec),
    createdAt: new Date().toISOString(),
  };
}
