import { ModelSpec } from '../modelSpec';
import { initParams, paramLayout } from '../params';
import { VOCAB_SIZE } from '../vocab';
import { TrainingJobRequest } from './trainingJob';
import { trainingRecipe } from './trainingRecipe';
import { TrainingSettings, TrainingStart } from './trainingSettings';
import { WorkspaceCorpus } from './workspaceCorpus';

/** The model a run can start from: the working model, when one loaded. */
export interface WorkingModel {
  spec: ModelSpec;
  params: Float32Array;
  name: string;
  /** Where it was loaded from (the manifest's startedFrom). */
  dir: string;
}

export interface TrainingRequestInput {
  corpus: WorkspaceCorpus;
  settings: TrainingSettings;
  start: TrainingStart;
  current: WorkingModel | undefined;
  threads: number;
  /** Idle retraining: half-size steps, so that a pause waits for at most one short step. */
  background: boolean;
  outDir: string;
  checkpointDir: string;
  /** The workspace's name, for the new model's name. */
  workspaceName: string;
  folderNames: string[];
  pauseBuffer?: SharedArrayBuffer;
  /** Seed of fresh weights (the host uses the clock, tests a constant). */
  initSeed: number;
}

/**
 * The one recipe of a Train on Workspace run (the command, the first-run
 * offer and idle retraining), as plain data for the training worker. The
 * first-run bench builds its request here too, so that what it times is
 * what the editor runs.
 */
export function workspaceTrainingRequest(input: TrainingRequestInput): TrainingJobRequest {
  const { settings, start, current, corpus } = input;
  if (start === 'fine-tune' && !current) throw new Error('there is no working model to fine-tune (it failed to load); train from scratch instead');
  const fresh: ModelSpec = { vocabSize: VOCAB_SIZE, embedDim: 64, hidden: Array.from({ length: settings.layers }, () => settings.hidden) };
  // An LSTM's spec has no cell key (as before GRUs and RNNs existed).
  const spec: ModelSpec = start === 'fine-tune' && current ? current.spec : settings.cell === 'lstm' ? fresh : { ...fresh, cell: settings.cell };
  const initial = start === 'fine-tune' && current ? current.params : initParams(paramLayout(spec), input.initSeed);
  return {
    spec,
    initial,
    baseline: current ? { spec: current.spec, params: current.params, name: current.name } : null,
    sources: corpus.files.map((f) => ({ name: f.name, text: f.text })),
    train: {
      ...trainingRecipe(input.background),
      minutes: settings.minutes,
      epochs: Infinity,
      threads: input.threads,
      evalEverySeconds: Math.max(2, Math.min(60, (settings.minutes * 60) / 8)),
      checkpointEverySeconds: 60,
      seed: 1,
    },
    outDir: input.outDir,
    checkpointDir: input.checkpointDir,
    modelName: `${input.workspaceName.replace(/ \(Workspace\)$/, '')} (trained)`,
    startedFrom: start === 'fine-tune' && current ? current.dir : 'scratch',
    corpus: { files: corpus.files.length, chars: corpus.totalChars, sources: input.folderNames, byLanguage: corpus.byLanguage },
    compareChars: 128 * 1024,
    cellChars: 20_000,
    // Typed with both models on a winning run; small, since each keystroke is a completion request.
    keystrokeChars: 2000,
    sampleChars: 300,
    // Recorded and ranked in the worker at each validation: small, so a validation stays short (about 0.5 s of CPU for 3,000 characters of the bundled model).
    conceptChars: 2000,
    ...(input.pauseBuffer ? { pauseBuffer: input.pauseBuffer } : {}),
    // In the background the editor's thread comes first (Linux; see threadPriority.ts).
    ...(input.background ? { lowPriority: true } : {}),
  };
}
