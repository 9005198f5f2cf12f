import { DEFAULT_SETTINGS } from '../core/completion/settings';
import { WorkspaceNameIndex } from '../core/completion/wordMemory';
import { WorkspaceNames } from '../core/completion/workspaceNames';
import { WorkspaceMatchIndex } from '../core/completion/workspaceMatch';
import { Engine } from '../core/engine';
import { addKeystrokeCounts, emptyKeystrokeCounts, keystrokeFigures, replayTyping } from '../core/eval/keystrokeReplay';
import { scoreText } from '../core/eval/scoreText';
import { createFastestOps } from '../core/kernels/wasmOps';
import { newManifest } from '../core/model/manifest';
import { loadModel } from '../core/model/modelFiles';
import { ParamLayout } from '../core/params';
import { TrainProgress, trainModel } from '../core/trainer/trainer';
import { trainingRecipe } from '../core/workspaceTraining/trainingRecipe';
import { splitProject } from './projectSplit';

export interface WorkspaceBenchOptions {
  /** The project folder. */
  dir: string;
  /** The model it starts from (the bundled one in the CLI). */
  modelDir: string;
  /** Training budget, wall clock (Infinity: none). */
  minutes: number;
  /**
   * Training budget in passes over the training files (default: none). With
   * it, validation runs at each pass's end only, so the run is the same
   * however loaded the machine is.
   */
  epochs?: number;
  /** Most held-out characters typed in the replay (a completion request per keystroke is slow); whole files from their start. */
  keystrokeChars: number;
  threads: number;
  /** Adam's rate of the fine-tuning (default: Train on Workspace's recipe). */
  learningRate?: number;
  /** Windows per step (default: Train on Workspace's recipe). */
  batch?: number;
  /** Share of the minutes at the end over which the rate falls to 0 (default: Train on Workspace's recipe). */
  anneal?: number;
  /** Validations without improvement before stopping (default: Train on Workspace's recipe). */
  patience?: number;
  /** Offer the 80%'s names while a held-out file is typed, as the editor offers the workspace's (default true). */
  workspaceNames?: boolean;
  /** Let the document cache match in the 80%'s text while a held-out file is typed, as the editor does with the workspace's (default true). */
  workspaceMatch?: boolean;
  /**
   * Also type the held-out files with the trained model and the names
   * offered (afterWithNames). The editor does not offer them to a model
   * trained on the workspace, so `after` is typed without them.
   */
  afterWithNames?: boolean;
  /** Share of the files held out, by path hash. Default 0.2. */
  heldOutFraction?: number;
  onNote?: (line: string) => void;
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface WorkspaceFigures {
  /** The model alone. */
  bitsPerChar: number;
  /** As completions predict: the model with the document cache, which also matches in the 80%'s text when workspaceMatch is on. */
  cachedBitsPerChar: number;
  keystrokesSaved: number;
}

export interface WorkspaceBenchResult {
  before: WorkspaceFigures;
  after: WorkspaceFigures;
  /** With afterWithNames: the trained model, the names offered as to the starting model. */
  afterWithNames?: WorkspaceFigures;
  trainSeconds: number;
  files: { train: number; heldOut: number };
  chars: { train: number; heldOut: number; typed: number };
  stoppedBecause: string;
}

/**
 * The whole "learn this workspace" path, measured: the project's files split
 * 80/20 by path hash; bits/char and keystrokes saved on the 20% with the
 * starting model; the same training as Train on Workspace's fine-tuning
 * (trainingRecipe: its rate, window and batch, early stopping on a tenth of
 * the 80%) for `minutes` or `epochs` passes; the same figures again. The held-out files are
 * never trained or validated on. Keystrokes are typed with the editor's
 * default completion settings (one line), the 80%'s names offered as the
 * workspace's to the starting model and not to the trained one, and the
 * 80%'s text matched by the document cache for both, as in the editor.
 */
export async function benchWorkspace(options: WorkspaceBenchOptions): Promise<WorkspaceBenchResult> {
  const note = options.onNote ?? (() => undefined);
  const split = await splitProject(options.dir, options.keystrokeChars, options.heldOutFraction, options.signal);
  const count = (files: { text: string }[]) => files.reduce((n, f) => n + f.text.length, 0);
  const heldOutTexts = split.heldOut.map((f) => f.text);
  const typed = split.typed;
  const chars = { train: count(split.learn), heldOut: count(split.heldOut), typed: typed.reduce((n, t) => n + t.length, 0) };
  note(`${split.files} files: ${split.learn.length} to train on (${chars.train} chars), ${split.heldOut.length} held out (${chars.heldOut} chars, ${chars.typed} of them typed)`);

  const start = await loadModel(options.modelDir);
  // As in the editor (lstmLens.completion.workspaceNames, on by default): the names of the project's other files,
  // here the 80%, are offered while a held-out file is typed.
  const withNames = options.workspaceNames ?? true;
  let namesIndex: WorkspaceNameIndex | undefined;
  if (withNames) {
    const names = new WorkspaceNames();
    for (const f of split.learn) names.setFile(f.relPath, f.text);
    namesIndex = names.offered();
  }
  // As in the editor (lstmLens.completion.workspaceMatch, on by default): the document cache also matches in the 80%'s text.
  const withMatches = options.workspaceMatch ?? true;
  const matches = withMatches ? WorkspaceMatchIndex.of(split.learn.map((f) => f.text)) : undefined;
  const measure = async (layout: ParamLayout, params: Float32Array, offerNames = withNames): Promise<WorkspaceFigures> => {
    const engine = new Engine({ layout, params, manifest: newManifest(layout.spec, 'bench') }, createFastestOps());
    let bits = 0;
    let cachedBits = 0;
    let scored = 0;
    for (const text of heldOutTexts) {
      // One pass gives both: the model's own bits and the mixture's.
      const s = scoreText(engine, text, undefined, { documentMatch: true, workspaceMatches: matches });
      bits += s.modelBits;
      cachedBits += s.bits;
      scored += s.chars;
    }
    const counts = emptyKeystrokeCounts();
    const settings = { ...DEFAULT_SETTINGS, multiline: false, workspaceNames: offerNames, workspaceMatch: withMatches };
    for (const text of typed) {
      addKeystrokeCounts(counts, await replayTyping(engine, text, settings, () => options.signal?.aborted ?? false, undefined, offerNames ? namesIndex : undefined, matches));
    }
    return { bitsPerChar: scored > 0 ? bits / scored : NaN, cachedBitsPerChar: scored > 0 ? cachedBits / scored : NaN, keystrokesSaved: keystrokeFigures(counts).keystrokesSaved };
  };

  note('measuring the starting model on the held-out files');
  const before = await measure(start.layout, start.params);
  const epochs = options.epochs ?? Infinity;
  const budget = [Number.isFinite(options.minutes) ? `${options.minutes} min` : '', Number.isFinite(epochs) ? `${epochs} passes` : ''].filter(Boolean).join(' or ');
  if (!budget) throw new Error('the training needs a budget: minutes, passes over the files, or both');
  note(`before: ${before.bitsPerChar.toFixed(3)} bits/char, keystrokes saved ${(100 * before.keystrokesSaved).toFixed(1)}%; training for up to ${budget}`);
  const given = { learningRate: options.learningRate, batch: options.batch, anneal: options.anneal, patience: options.patience };
  const recipe = { ...trainingRecipe(), ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  const outcome = await trainModel(
    start.layout,
    start.params,
    split.learn.map((f) => ({ name: f.relPath, text: f.text })),
    {
      ...recipe,
      minutes: options.minutes,
      epochs,
      threads: options.threads,
      // Under a budget of passes, validation by the clock would make the run depend on the machine's load.
      evalEverySeconds: Number.isFinite(epochs) ? Infinity : Math.max(2, Math.min(60, (options.minutes * 60) / 8)),
      checkpointEverySeconds: Infinity,
      seed: 1,
      signal: options.signal,
      onProgress: options.onProgress,
    },
  );
  note(`trained ${outcome.seconds.toFixed(1)} s (${outcome.stoppedBecause}); measuring the trained model`);
  // As in the editor: a model trained on the workspace is not offered its names (WorkspaceIndexHost.index).
  const after = await measure(start.layout, outcome.params, false);
  const afterWithNames = options.afterWithNames && withNames ? await measure(start.layout, outcome.params, true) : undefined;
  return { before, after, ...(afterWithNames ? { afterWithNames } : {}), trainSeconds: outcome.seconds, files: { train: split.learn.length, heldOut: split.heldOut.length }, chars, stoppedBecause: outcome.stoppedBecause };
}
