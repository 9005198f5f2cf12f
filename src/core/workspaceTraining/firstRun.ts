/**
 * The first-run offer to train on a workspace (issue: "it learns the
 * workspace by itself"), as plain decisions the host acts on. The setting
 * `lstmLens.training.auto` says how much happens without asking:
 *   off  — nothing; Train on Workspace stays a command.
 *   ask  — (default) offer once per workspace: train now / always / never.
 *   idle — train without asking, and keep the model trained while idle.
 * "Always" is remembered for every workspace, "never" for this one.
 */

export type AutoTraining = 'off' | 'ask' | 'idle';
export const AUTO_TRAINING_VALUES: readonly AutoTraining[] = ['off', 'ask', 'idle'];

/** The buttons of the offer; undefined is a notification closed without an answer. */
export type FirstRunChoice = 'train' | 'always' | 'never' | undefined;

/** Less code than this (characters the training corpus would have) is not worth a model of its own. */
export const MIN_WORKSPACE_CHARS = 20_000;

/** Minutes of the first run: about a minute, as the offer says. */
export const FIRST_RUN_MINUTES = 1;

export interface FirstRunFacts {
  auto: AutoTraining;
  /** Workspace Trust: a restricted workspace is never trained on without the user asking. */
  trusted: boolean;
  /** A model trained for this workspace exists (or is in use). */
  hasTrainedModel: boolean;
  /** The user set lstmLens.modelPath: they chose their model; training would write over it. */
  modelPathSet: boolean;
  /** What was remembered: 'never' for this workspace, the offer already made here, 'always' for all. */
  neverHere: boolean;
  offeredHere: boolean;
  alwaysEverywhere: boolean;
  /** Characters of source the corpus would have; undefined when not counted yet. */
  workspaceChars: number | undefined;
}

export type FirstRunAction =
  | { kind: 'nothing'; why: string }
  /** Count the workspace's code, then decide again with workspaceChars set. */
  | { kind: 'count' }
  | { kind: 'offer' }
  | { kind: 'train' };

/** What to do at startup for a workspace with no model of its own. */
export function decideFirstRun(f: FirstRunFacts): FirstRunAction {
  if (f.auto === 'off') return { kind: 'nothing', why: 'lstmLens.training.auto is off' };
  if (!f.trusted) return { kind: 'nothing', why: 'the workspace is not trusted' };
  if (f.hasTrainedModel) return { kind: 'nothing', why: 'a model is already trained for this workspace' };
  if (f.modelPathSet) return { kind: 'nothing', why: 'lstmLens.modelPath names the model to use' };
  if (f.neverHere) return { kind: 'nothing', why: 'the user chose never for this workspace' };
  const unasked = f.auto === 'idle' || f.alwaysEverywhere;
  if (!unasked && f.offeredHere) return { kind: 'nothing', why: 'the offer was made here once already' };
  if (f.workspaceChars === undefined) return { kind: 'count' };
  if (f.workspaceChars < MIN_WORKSPACE_CHARS) return { kind: 'nothing', why: `the workspace has ${f.workspaceChars} characters of code, under ${MIN_WORKSPACE_CHARS}` };
  return unasked ? { kind: 'train' } : { kind: 'offer' };
}

/** What to remember after the offer, and whether to train now. */
export interface ChoiceOutcome {
  train: boolean;
  /** Remember for this workspace: the offer was made (always), and whether it was 'never'. */
  rememberHere: { offered: true; never: boolean };
  /** Remember for every workspace: train new ones without asking. */
  rememberAlways: boolean;
}

export function applyFirstRunChoice(choice: FirstRunChoice): ChoiceOutcome {
  return {
    train: choice === 'train' || choice === 'always',
    rememberHere: { offered: true, never: choice === 'never' },
    rememberAlways: choice === 'always',
  };
}

/** The setting's value, validated: anything else is 'ask' with a line saying so. */
export function readAutoTraining(value: unknown): { auto: AutoTraining; problem?: string } {
  if (value === undefined) return { auto: 'ask' };
  if (typeof value === 'string' && (AUTO_TRAINING_VALUES as readonly string[]).includes(value)) return { auto: value as AutoTraining };
  return { auto: 'ask', problem: `lstmLens.training.auto is ${JSON.stringify(value)}, not one of ${AUTO_TRAINING_VALUES.join(', ')}; using "ask"` };
}
