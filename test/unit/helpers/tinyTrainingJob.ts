import * as path from 'path';
import { ModelSpec } from '../../../src/core/modelSpec';
import { initParams, paramLayout } from '../../../src/core/params';
import { TextSource } from '../../../src/core/trainer/trainingData';
import { TrainingJobRequest } from '../../../src/core/workspaceTraining/trainingJob';

/** The shape the training-job tests train: small enough for a few seconds of epochs. */
export const TINY_JOB_SPEC: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [16] };

/**
 * A training-job request over `sources` that runs three epochs (no time
 * limit, no early stop, no checkpoint), writes under `dir`, and skips the
 * optional measurements unless `extra` asks for them.
 */
export function tinyTrainingRequest(dir: string, sources: TextSource[], modelName: string, extra: Partial<TrainingJobRequest> = {}): TrainingJobRequest {
  return {
    spec: TINY_JOB_SPEC,
    initial: initParams(paramLayout(TINY_JOB_SPEC), 9),
    baseline: null,
    sources,
    train: { minutes: Infinity, epochs: 3, valFraction: 0.2, patience: 100, threads: 1, seq: 16, batch: 4, learningRate: 1e-2, evalEverySeconds: Infinity, checkpointEverySeconds: Infinity, seed: 1 },
    outDir: path.join(dir, 'model'),
    checkpointDir: path.join(dir, 'checkpoint'),
    modelName,
    startedFrom: 'test',
    corpus: { files: sources.length, chars: 1000, sources: ['ws'], byLanguage: { '.py': sources.length } },
    compareChars: 1 << 16,
    cellChars: 0,
    ...extra,
  };
}
