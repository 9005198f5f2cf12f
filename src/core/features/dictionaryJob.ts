import * as path from 'path';
import { Engine } from '../engine';
import { createFastestOps } from '../kernels/wasmOps';
import { newManifest } from '../model/manifest';
import { ModelSpec } from '../modelSpec';
import { paramLayout } from '../params';
import { DictionaryInfo, modelFingerprint, saveDictionary } from './dictionaryFile';
import { listDictionaryInManifest } from './dictionaryManifest';
import { DictionaryMetrics, measureDictionary } from './dictionaryMetrics';
import { recordStates } from './stateMatrix';
import { DictionaryProgress, DictionaryTrainOptions, trainDictionary } from './trainDictionary';

/** Everything a dictionary run needs; plain data, so it can cross into a worker thread. */
export interface DictionaryJobRequest {
  spec: ModelSpec;
  params: Float32Array;
  modelName: string;
  texts: { name: string; text: string }[];
  /** Characters of states recorded over all texts (shared fairly). */
  maxChars: number;
  train: Pick<DictionaryTrainOptions, 'features' | 'k' | 'epochs' | 'batch' | 'learningRate' | 'seed' | 'maxSeconds'>;
  /** Where the dictionary file goes. */
  outFile: string;
  /** When the file is in this model folder, its manifest lists the dictionary. */
  modelDir?: string;
  dtype?: 'float32' | 'float16';
}

export type DictionaryJobEvent = { type: 'status'; text: string } | { type: 'progress'; progress: DictionaryProgress };

export interface DictionaryJobResult {
  stoppedBecause: 'done' | 'cancelled' | 'time';
  /** The file written; null when cancelled (nothing is written then). */
  savedTo: string | null;
  listedInManifest: boolean;
  rows: number;
  features: number;
  k: number;
  seconds: number;
  metrics: DictionaryMetrics | null;
}

/**
 * One dictionary run, start to finish: record the model's states on the
 * texts, train the dictionary (progress, cancel), measure it, save it
 * atomically and list it in the model's manifest when it sits in the model
 * folder. A cancel writes nothing. Runs in the features worker; nothing here
 * touches the editor.
 */
export async function runDictionaryJob(req: DictionaryJobRequest, signal: AbortSignal, emit: (e: DictionaryJobEvent) => void): Promise<DictionaryJobResult> {
  const layout = paramLayout(req.spec);
  if (req.params.length !== layout.total) throw new Error(`the weights have ${req.params.length} values; the model needs ${layout.total}`);
  const engine = new Engine({ layout, params: req.params, manifest: newManifest(req.spec, req.modelName) }, createFastestOps());
  emit({ type: 'status', text: 'recording the model’s states' });
  const states = recordStates(
    engine,
    req.texts.map((t) => t.text),
    req.maxChars,
  );
  const empty = { listedInManifest: false, rows: states.rows, features: 0, k: 0, metrics: null };
  if (states.rows === 0) throw new Error('the files are empty: no states to train a dictionary on');
  if (signal.aborted) return { ...empty, stoppedBecause: 'cancelled', savedTo: null, seconds: 0 };
  emit({ type: 'status', text: 'training the dictionary' });
  const trained = await trainDictionary(states, { ...req.train, signal, onProgress: (progress) => emit({ type: 'progress', progress }) });
  if (trained.stoppedBecause === 'cancelled' || signal.aborted) return { ...empty, stoppedBecause: 'cancelled', savedTo: null, seconds: trained.seconds };
  emit({ type: 'status', text: 'measuring the dictionary' });
  const metrics = measureDictionary(trained.dict, states);
  const info: DictionaryInfo = {
    model: { name: req.modelName, fingerprint: modelFingerprint(req.params), spec: req.spec },
    training: { rows: states.rows, epochs: trained.epochs, steps: trained.steps, seconds: trained.seconds, seed: req.train.seed ?? 1, stoppedBecause: trained.stoppedBecause, files: req.texts.map((t) => t.name) },
    metrics,
    createdAt: new Date().toISOString(),
  };
  emit({ type: 'status', text: `saving to ${req.outFile}` });
  await saveDictionary(req.outFile, trained.dict, info, req.dtype ?? 'float32');
  const listed = req.modelDir !== undefined && path.resolve(path.dirname(req.outFile)) === path.resolve(req.modelDir);
  if (listed && req.modelDir !== undefined) {
    await listDictionaryInManifest(req.modelDir, {
      file: path.basename(req.outFile),
      features: trained.dict.features,
      k: trained.dict.k,
      trainedOnChars: states.rows,
      fvu: metrics.fvu,
      deadFraction: metrics.deadFraction,
      meanActive: metrics.meanActive,
      createdAt: info.createdAt,
    });
  }
  return {
    stoppedBecause: trained.stoppedBecause,
    savedTo: req.outFile,
    listedInManifest: listed,
    rows: states.rows,
    features: trained.dict.features,
    k: trained.dict.k,
    seconds: trained.seconds,
    metrics,
  };
}
