import { RecordingEngine } from '../cells/recordActivations';
import { Language } from '../concepts/language';
import { Engine } from '../engine';
import { createFastestOps } from '../kernels/wasmOps';
import { newManifest } from '../model/manifest';
import { initParams, paramLayout } from '../params';
import { SparseDictionary, encodeStates } from './dictionary';
import { DictionaryMetrics, measureDictionary } from './dictionaryMetrics';
import { FeatureFindings, conceptLabelsForStates, labelFeatures } from './labelFeatures';
import { StateMatrix, recordStates } from './stateMatrix';
import { DictionaryTrainOptions, trainDictionary } from './trainDictionary';

export interface FeatureConceptsOptions {
  /**
   * Also train a dictionary of the same size on a randomly initialised
   * model's states over the same characters and label it: a feature it also
   * finds is no finding (default true).
   */
  randomBaseline?: boolean;
  /** Seed of the random model's weights (default 1). */
  randomSeed?: number;
  /** How the random model's dictionary is trained (default: the size of the given one, 3 epochs). */
  randomTraining?: DictionaryTrainOptions;
  /** Runners-up kept per concept (default 5). */
  top?: number;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface FeaturesForConcepts {
  /** The dictionary on these characters. */
  metrics: DictionaryMetrics;
  concepts: FeatureFindings;
  /** The same for the random model's dictionary; null when skipped or cancelled. */
  randomBaseline: { metrics: DictionaryMetrics; concepts: FeatureFindings } | null;
}

/**
 * Labels a dictionary's features by the concepts they track on recorded
 * states (rows of `states` recorded from `files` in order, e.g. by
 * recordStates), beside a dictionary trained on a random model's states of
 * the same characters.
 */
export async function findFeaturesForConcepts(
  engine: RecordingEngine,
  dict: SparseDictionary,
  states: StateMatrix,
  files: readonly { text: string; language: Language }[],
  opts: FeatureConceptsOptions = {},
): Promise<FeaturesForConcepts> {
  const progress = opts.onProgress ?? (() => undefined);
  const labels = conceptLabelsForStates(states, files);
  progress('encoding the states with the dictionary');
  const codes = encodeStates(dict, states);
  const result: FeaturesForConcepts = {
    metrics: measureDictionary(dict, states, codes),
    concepts: labelFeatures(codes, dict.features, labels, opts.top),
    randomBaseline: null,
  };
  if (opts.randomBaseline === false) return result;

  progress('recording a random model of the same size');
  const random = randomEngineLike(engine, opts.randomSeed ?? 1);
  const randomStates = recordStates(
    random,
    files.map((f) => f.text),
    states.rows,
  );
  progress('training a dictionary on the random model’s states');
  const trained = await trainDictionary(randomStates, { features: dict.features, k: dict.k, ...opts.randomTraining, signal: opts.signal });
  if (trained.stoppedBecause === 'cancelled') return result;
  const randomCodes = encodeStates(trained.dict, randomStates);
  result.randomBaseline = {
    metrics: measureDictionary(trained.dict, randomStates, randomCodes),
    concepts: labelFeatures(randomCodes, trained.dict.features, labels, opts.top),
  };
  return result;
}

/** A randomly initialised engine of the same shape. */
export function randomEngineLike(engine: RecordingEngine, seed: number): Engine {
  const layout = paramLayout(engine.spec);
  return new Engine({ layout, params: initParams(layout, seed), manifest: newManifest(engine.spec, 'random baseline') }, createFastestOps());
}
