import { DEFAULT_SETTINGS, SearchSettings } from '../core/completion/settings';
import { WORKSPACE_NAMES_PARAMS, WorkspaceNames } from '../core/completion/workspaceNames';
import { Engine } from '../core/engine';
import { KeystrokeCounts, addKeystrokeCounts, emptyKeystrokeCounts, keystrokeFigures, replayTyping } from '../core/eval/keystrokeReplay';
import { createFastestOps } from '../core/kernels/wasmOps';
import { loadModel } from '../core/model/modelFiles';
import { splitProject } from './projectSplit';

export interface WorkspaceNamesBenchOptions {
  /** The project folder. */
  dir: string;
  modelDir: string;
  /** Most held-out characters typed (whole files from their start, as bench workspace). */
  keystrokeChars: number;
  /** Occurrence weights to try (WorkspaceNamesParams.occurrenceWeight); each is one more replay. */
  weights: number[];
  maxNames?: number;
  /** Letters typed before the workspace's names are offered (default: WORKSPACE_NAMES_PARAMS). */
  minPrefix?: number;
  /** Offer them only for a word that starts none of the document's names (default: WORKSPACE_NAMES_PARAMS). */
  onlyWithoutDocumentMatch?: boolean;
  /** Share of the files held out, by path hash. Default 0.2. */
  heldOutFraction?: number;
  /** Leave out the replay without the workspace's names (tuning runs that already have it). */
  skipWithout?: boolean;
  onNote?: (line: string) => void;
  signal?: AbortSignal;
}

export interface NamesFigures {
  keystrokesSaved: number;
  acceptRate: number;
  seconds: number;
}

export interface WorkspaceNamesBenchResult {
  /** The editor's default completion settings, with the workspace's names off. */
  without: NamesFigures;
  /** The same settings with the workspace's names on, one entry per weight. */
  with: (NamesFigures & { occurrenceWeight: number })[];
  settings: SearchSettings;
  files: { workspace: number; heldOut: number };
  chars: { workspace: number; typed: number };
  /** Distinct names in the workspace's files, and how many the index kept (the cap). */
  names: { distinct: number; indexed: number; maxNames: number };
  /** How they were offered. */
  minPrefix: number;
  onlyWithoutDocumentMatch: boolean;
}

/**
 * The workspace half of the word memory, measured: a project's files split
 * 80/20 by path hash as in bench workspace; the first `keystrokeChars` of
 * the 20% typed in the replay with the starting model (no training), once
 * with the document's names only and once per weight with the 80% as the
 * workspace whose names are offered too. A held-out file is a new file of
 * the project: its own names are never in the workspace index.
 */
export async function benchWorkspaceNames(options: WorkspaceNamesBenchOptions): Promise<WorkspaceNamesBenchResult> {
  const note = options.onNote ?? (() => undefined);
  if (options.weights.length === 0) throw new Error('give at least one occurrence weight to try');
  const split = await splitProject(options.dir, options.keystrokeChars, options.heldOutFraction, options.signal);
  const typed = split.typed;
  const chars = { workspace: split.learn.reduce((n, f) => n + f.text.length, 0), typed: typed.reduce((n, t) => n + t.length, 0) };
  note(`${split.files} files: ${split.learn.length} as the workspace (${chars.workspace} chars), ${split.heldOut.length} held out (${chars.typed} chars typed)`);

  const loaded = await loadModel(options.modelDir);
  const engine = new Engine(loaded, createFastestOps());
  const settings: SearchSettings = { ...DEFAULT_SETTINGS, multiline: false };
  const replay = async (on: boolean, names?: WorkspaceNames): Promise<NamesFigures> => {
    const t0 = performance.now();
    const counts: KeystrokeCounts = emptyKeystrokeCounts();
    const index = names?.offered();
    for (const text of typed) addKeystrokeCounts(counts, await replayTyping(engine, text, { ...settings, workspaceNames: on }, () => options.signal?.aborted ?? false, undefined, index));
    return { ...keystrokeFigures(counts), seconds: (performance.now() - t0) / 1000 };
  };

  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const without = options.skipWithout ? { keystrokesSaved: NaN, acceptRate: NaN, seconds: 0 } : await replay(false);
  if (!options.skipWithout) note(`without the workspace's names: keystrokes saved ${pct(without.keystrokesSaved)} (${without.seconds.toFixed(0)} s)`);
  const maxNames = options.maxNames ?? WORKSPACE_NAMES_PARAMS.maxNames;
  const withNames: WorkspaceNamesBenchResult['with'] = [];
  let names: WorkspaceNames | undefined;
  for (const occurrenceWeight of options.weights) {
    names = new WorkspaceNames({
      occurrenceWeight,
      maxNames,
      minPrefix: options.minPrefix ?? WORKSPACE_NAMES_PARAMS.minPrefix,
      onlyWithoutDocumentMatch: options.onlyWithoutDocumentMatch ?? WORKSPACE_NAMES_PARAMS.onlyWithoutDocumentMatch,
    });
    for (const f of split.learn) names.setFile(f.relPath, f.text);
    const figures = await replay(true, names);
    note(`with the workspace's names at ${occurrenceWeight} per occurrence: keystrokes saved ${pct(figures.keystrokesSaved)} (${figures.seconds.toFixed(0)} s)`);
    withNames.push({ occurrenceWeight, ...figures });
  }
  return {
    without,
    with: withNames,
    settings,
    files: { workspace: split.learn.length, heldOut: split.heldOut.length },
    chars,
    names: { distinct: names?.nameCount ?? 0, indexed: names?.index().size ?? 0, maxNames },
    minPrefix: options.minPrefix ?? WORKSPACE_NAMES_PARAMS.minPrefix,
    onlyWithoutDocumentMatch: options.onlyWithoutDocumentMatch ?? WORKSPACE_NAMES_PARAMS.onlyWithoutDocumentMatch,
  };
}
