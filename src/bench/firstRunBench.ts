import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_SETTINGS } from '../core/completion/settings';
import { CompletionService } from '../core/completion/completionService';
import { typingViewAt } from '../core/completion/typingView';
import { Engine } from '../core/engine';
import { filesUnder } from '../core/corpus/filesUnder';
import { createFastestOps } from '../core/kernels/wasmOps';
import { loadModel } from '../core/model/modelFiles';
import { FIRST_RUN_MINUTES } from '../core/workspaceTraining/firstRun';
import { runTrainingJob } from '../core/workspaceTraining/trainingJob';
import { workspaceTrainingRequest } from '../core/workspaceTraining/trainingRequest';
import { DEFAULT_TRAINING_SETTINGS } from '../core/workspaceTraining/trainingSettings';
import { ListedFolder, selectWorkspaceCorpus } from '../core/workspaceTraining/workspaceCorpus';

export interface FirstRunBenchOptions {
  /** The workspace folder. */
  dir: string;
  /** The working model the run fine-tunes (the bundled one in the CLI). */
  modelDir: string;
  /** Training budget; the first-run offer's by default. */
  minutes?: number;
  threads: number;
  /** Where the trained model is written (a temporary folder by default, removed after). */
  outDir?: string;
  onNote?: (line: string) => void;
}

export interface FirstRunBenchResult {
  files: number;
  chars: number;
  /** Seconds of each phase, in order; they add up to totalSeconds. */
  phases: { readWorkspace: number; loadModel: number; train: number; loadTrained: number; firstCompletion: number };
  totalSeconds: number;
  swapped: boolean;
  stoppedBecause: string;
  /** The first completion the trained model offered (null when the cut showed nothing). */
  firstCompletion: string | null;
}

/**
 * From "Train now" in the first-run offer to the first completion from the
 * trained model, on one workspace folder: list and read the files (the
 * editor's corpus selection), load the working model, run the same training
 * job as the editor with the first-run budget (scoring, the keystroke
 * comparison, the cells, the atomic save), load the saved model, and ask for
 * a completion at the end of the first held-in file's first line with the
 * default settings. Runs in this thread, where the editor uses a worker: the
 * work is the same, the messages between threads are not counted.
 */
export async function benchFirstRun(options: FirstRunBenchOptions): Promise<FirstRunBenchResult> {
  const note = options.onNote ?? (() => undefined);
  const clock = () => performance.now() / 1000;
  const started = clock();
  let mark = started;
  const lap = () => {
    const now = clock();
    const s = now - mark;
    mark = now;
    return s;
  };

  const root = path.resolve(options.dir);
  // Every file, as the editor's file search lists them; the corpus selection then applies .gitignore and the rules.
  const listed: ListedFolder[] = [{ name: path.basename(root), root, files: filesUnder(root, ['.git']) }];
  const corpus = await selectWorkspaceCorpus(listed, {});
  if (corpus.files.length === 0) throw new Error(`${options.dir}: no source files to train on`);
  const readWorkspace = lap();
  note(`read ${corpus.files.length} files, ${corpus.totalChars} characters in ${readWorkspace.toFixed(1)} s`);

  const working = await loadModel(options.modelDir);
  const loadWorking = lap();

  const outDir = options.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-first-run-'));
  const temporary = options.outDir === undefined;
  try {
    const request = workspaceTrainingRequest({
      corpus,
      settings: { ...DEFAULT_TRAINING_SETTINGS, minutes: options.minutes ?? FIRST_RUN_MINUTES },
      start: 'fine-tune',
      current: { spec: working.layout.spec, params: working.params, name: 'bundled', dir: options.modelDir },
      threads: options.threads,
      background: false,
      outDir: path.join(outDir, 'model'),
      checkpointDir: path.join(outDir, 'checkpoint'),
      workspaceName: path.basename(root),
      folderNames: [path.basename(root)],
      initSeed: 1,
    });
    const job = await runTrainingJob(request, new AbortController().signal, (e) => {
      if (e.type === 'status') note(e.text);
    });
    const train = lap();
    note(`training job: ${train.toFixed(1)} s (${job.stoppedBecause}), ${job.decision.swap ? 'swapped in' : `not swapped: ${job.decision.reason}`}`);

    // The editor then loads whichever model is now the working one.
    const model = await loadModel(job.savedTo ?? options.modelDir);
    const engine = new Engine(model, createFastestOps());
    const service = new CompletionService(engine);
    const loadTrained = lap();

    const file = corpus.files[0];
    const lineEnd = file.text.indexOf('\n');
    const offset = lineEnd < 0 ? file.text.length : lineEnd;
    const text = file.text.slice(0, offset);
    const served = await service.complete({ docId: file.name, version: 1, text: typingViewAt(text, offset), offset }, DEFAULT_SETTINGS, () => false);
    const firstCompletion = lap();

    return {
      files: corpus.files.length,
      chars: corpus.totalChars,
      phases: { readWorkspace, loadModel: loadWorking, train, loadTrained, firstCompletion },
      totalSeconds: clock() - started,
      swapped: job.decision.swap,
      stoppedBecause: job.stoppedBecause,
      firstCompletion: served?.completion.text ?? null,
    };
  } finally {
    if (temporary) fs.rmSync(outDir, { recursive: true, force: true });
  }
}
