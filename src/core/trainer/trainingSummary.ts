import { CorpusSummary, TrainingSummary } from '../model/manifest';

/** What a training run was set up with: fixed before the first step. */
export type TrainingSetup = Pick<TrainingSummary, 'engine' | 'startedFrom' | 'seq' | 'batch' | 'learningRate' | 'dropout' | 'cellL1' | 'clipNorm'> & {
  corpus?: CorpusSummary;
};

/** How far a run got: what a checkpoint or the end of the run fills in. */
export type TrainingReached = Partial<Pick<TrainingSummary, 'seq' | 'batch' | 'epochs' | 'steps' | 'charsSeen' | 'seconds' | 'charsPerSecond' | 'stoppedBecause' | 'finishedAt'>>;

/**
 * The manifest's `training` record, the same for the CLI's `train` and the
 * editor's Train on Workspace: the setup, then what the run reached (a
 * checkpoint leaves the counts it does not know at 0).
 */
export function trainingSummary(setup: TrainingSetup, reached: TrainingReached = {}): TrainingSummary {
  return {
    ...setup,
    epochs: 0,
    steps: 0,
    charsSeen: 0,
    seconds: 0,
    charsPerSecond: 0,
    stoppedBecause: 'running',
    finishedAt: new Date().toISOString(),
    ...reached,
  };
}
