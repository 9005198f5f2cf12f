/** The optimiser settings of a Train on Workspace run, apart from its budget. */
export interface TrainingRecipe {
  seq: number;
  batch: number;
  learningRate: number;
  /** Share of the workspace's files kept back for validation (early stopping, the swap rule). */
  valFraction: number;
  /** Validations without improvement before the run stops. */
  patience: number;
}

/**
 * One recipe for every run that learns a workspace: the command, the
 * first-run offer, idle retraining, and `bench workspace`, which measures
 * what the editor does. Fine-tuning and training from scratch share the
 * rate: in one minute of fine-tuning on a held-out project, 2e-3 did as
 * well as any rate tried and better than 1e-3 (bench/README.md,
 * "Fine-tuning recipe"). In the background the batch is halved so that each
 * step, and so each pause point, is shorter.
 */
export function trainingRecipe(background = false): TrainingRecipe {
  return {
    seq: 64,
    batch: background ? 16 : 32,
    learningRate: 2e-3,
    valFraction: 0.1,
    patience: 3,
  };
}
