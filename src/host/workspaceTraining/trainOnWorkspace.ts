import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { formatSkipCounts, summarizeSkipped } from '../../core/corpus';
import { describeSpec } from '../../core/modelSpec';
import { progressMessage, progressPercent, shortCount, shortDuration } from '../../core/workspaceTraining/progressText';
import { TrainingBusyError, acquireRunLock } from '../../core/workspaceTraining/runLock';
import { TrainingJobResult } from '../../core/workspaceTraining/trainingJob';
import { workspaceTrainingRequest } from '../../core/workspaceTraining/trainingRequest';
import { TrainingSettings, TrainingStart, readTrainingSettings, trainingThreads } from '../../core/workspaceTraining/trainingSettings';
import { runTrainingInWorker } from '../../core/workspaceTraining/trainingWorkerClient';
import { WorkspaceCorpus, formatMegabytes, selectWorkspaceCorpus } from '../../core/workspaceTraining/workspaceCorpus';
import { conceptCellRows } from '../../core/workspaceTraining/conceptCellsText';
import { ModelStore, resolveModelPath } from '../modelStore';
import { StatusBar } from '../statusBar';
import { TrainingView } from './trainingView';
import { listWorkspaceFiles } from './workspaceFiles';

export const TRAIN_COMMAND = 'lstmLens.trainOnWorkspace';
export const CANCEL_TRAINING_COMMAND = 'lstmLens.cancelTraining';
/** workspaceState key: the folder of the trained model in use (cleared when the user goes back to another model). */
const TRAINED_MODEL_KEY = 'lstmLens.training.modelInUse';

/** Arguments a script (or a test) may pass to the command; a person gets the defaults. */
export interface TrainArgs {
  start?: TrainingStart;
  /** false: do not ask before starting. */
  confirm?: boolean;
  /** The run's budget instead of lstmLens.training.minutes (the first-run offer's minute). */
  minutes?: number;
  /** Idle retraining (never from the command): one thread, short steps that wait while the gate is paused, progress in the status bar only (click cancels). */
  background?: { pauseBuffer: SharedArrayBuffer };
}

/**
 * "LSTM Lens: Train on Workspace" and "Cancel Training": gathers the corpus
 * from the workspace, shows what will be used, trains in a worker thread
 * with a cancellable progress notification, the status bar and the loss
 * curve view, and swaps the new model in when it beats the working one on
 * the same held-out files. One run at a time per workspace.
 */
export class TrainingController implements vscode.Disposable {
  private running: { cancel: AbortController } | null = null;
  /** Aborted when the extension shuts down: the worker is ended at once. */
  private readonly shutdown = new AbortController();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: ModelStore,
    private readonly statusBar: StatusBar,
    private readonly view: TrainingView,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Whether a model was trained for this workspace (in use, or saved in its storage). */
  hasTrainedModel(): boolean {
    const storage = this.context.storageUri;
    return Boolean(this.context.workspaceState.get<string>(TRAINED_MODEL_KEY)) || (storage !== undefined && fs.existsSync(path.join(storage.fsPath, 'model', 'model.json')));
  }

  /** Characters of code Train on Workspace would learn from now (files listed and read as a run would). */
  async countWorkspaceChars(): Promise<number> {
    const { settings } = readTrainingSettings((name) => vscode.workspace.getConfiguration('lstmLens').get(name));
    const listed = await listWorkspaceFiles(this.log);
    const corpus = await selectWorkspaceCorpus(listed, { include: settings.include, exclude: settings.exclude, maxTotalBytes: settings.maxCorpusMB * 1024 * 1024 });
    return corpus.totalChars;
  }

  cancel(): void {
    if (!this.running) {
      void vscode.window.showInformationMessage('LSTM Lens: no training is running.');
      return;
    }
    this.log.info('training: cancel requested');
    this.running.cancel.abort();
  }

  /** After activation: put the model trained here last time back in use (unless the user chose another since). */
  async restoreTrainedModel(): Promise<void> {
    const dir = this.context.workspaceState.get<string>(TRAINED_MODEL_KEY);
    await this.store.whenSettled();
    const status = this.store.status;
    const onBundled = status.kind !== 'ready' || status.loaded.source === 'bundled';
    if (dir && onBundled && !vscode.workspace.getConfiguration('lstmLens').get<string>('modelPath') && fs.existsSync(path.join(dir, 'model.json'))) {
      try {
        await this.store.useTrained(dir);
        this.log.info(`training: using the model trained on this workspace (${dir})`);
      } catch (err) {
        this.log.warn(`training: the model trained on this workspace did not load (${(err as Error).message}); keeping the bundled one`);
      }
    }
    // From now on, a switch to another model (Use Bundled Model, Load Model…) means: stop restoring this one.
    this.subscriptions.push(
      this.store.onDidChange((s) => {
        if (s.kind === 'ready' && s.loaded.source !== 'trained') void this.context.workspaceState.update(TRAINED_MODEL_KEY, undefined);
      }),
    );
  }

  async train(args: TrainArgs = {}): Promise<void> {
    if (this.running) {
      const choice = await vscode.window.showInformationMessage('LSTM Lens: a training run is already going on for this workspace.', 'Show Curve', 'Cancel Training');
      if (choice === 'Show Curve') this.view.reveal();
      if (choice === 'Cancel Training') this.cancel();
      return;
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    const storage = this.context.storageUri;
    if (folders.length === 0 || !storage) {
      void vscode.window.showErrorMessage('LSTM Lens: open a folder first. Train on Workspace learns from the source files of the open folders.');
      return;
    }
    const cancel = new AbortController();
    this.running = { cancel };
    const storageDir = storage.fsPath;
    let lock: { release(): Promise<void> } | undefined;
    try {
      lock = await acquireRunLock(storageDir);
      const config = vscode.workspace.getConfiguration('lstmLens');
      const read = readTrainingSettings((name) => config.get(name));
      for (const p of read.problems) this.log.warn(`setting ${p}`);
      const settings = args.minutes !== undefined ? { ...read.settings, minutes: args.minutes } : read.settings;

      const corpus = await this.gatherCorpus(settings, cancel.signal);
      if (!corpus) return;
      const start = await this.confirm(corpus, settings, args);
      if (!start) {
        this.log.info('training: not started');
        return;
      }
      await this.runTraining(corpus, settings, start, storageDir, cancel, args.background);
    } catch (err) {
      if (err instanceof TrainingBusyError) {
        void vscode.window.showInformationMessage(`LSTM Lens: ${err.message}.`);
      } else if (this.shutdown.signal.aborted) {
        // The editor is closing and ended the worker: nothing for the user to read.
        this.log.info(`training: stopped, the extension is shutting down (${(err as Error).message})`);
      } else {
        this.log.error(`training failed: ${(err as Error).stack ?? String(err)}`);
        void vscode.window.showErrorMessage(`LSTM Lens: training failed: ${(err as Error).message}. The working model is unchanged.`, 'Show Log').then((c) => c && this.log.show());
        this.view.status(`Failed: ${(err as Error).message}`, false);
      }
    } finally {
      this.running = null;
      this.statusBar.setTraining(undefined);
      await lock?.release().catch(() => undefined);
    }
  }

  /** Lists and reads the corpus; logs what was skipped. Undefined (after telling the user) when there is nothing to learn from. */
  private async gatherCorpus(settings: TrainingSettings, signal: AbortSignal): Promise<WorkspaceCorpus | undefined> {
    this.statusBar.setTraining({ text: 'reading files', detail: 'reading the workspace' });
    const corpus = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'LSTM Lens: reading the workspace' }, async () => {
      const listed = await listWorkspaceFiles(this.log);
      return selectWorkspaceCorpus(listed, { include: settings.include, exclude: settings.exclude, maxTotalBytes: settings.maxCorpusMB * 1024 * 1024 }, signal);
    });
    const counts = formatSkipCounts(summarizeSkipped(corpus.skipped));
    this.log.info(`training corpus: ${corpus.files.length} files, ${corpus.totalChars} characters (${formatMegabytes(corpus.totalBytes)}); ${counts}`);
    for (const s of corpus.skipped.slice(0, 500)) this.log.info(`  skipped ${s.reason}: ${s.path} (${s.detail})`);
    if (corpus.skipped.length > 500) this.log.info(`  … and ${corpus.skipped.length - 500} more`);
    if (corpus.capNote) this.log.warn(`training: ${corpus.capNote}`);
    if (corpus.files.length === 0 || corpus.totalChars < 2) {
      const why = corpus.skipped.length > 0 ? ` Every file was left out (${counts}); the log lists each one and why.` : ' The workspace has no files with a source extension.';
      void vscode.window.showWarningMessage(`LSTM Lens: nothing to train on.${why} Nothing was trained.`, 'Show Log').then((c) => c && this.log.show());
      return undefined;
    }
    return corpus;
  }

  /** Shows files and characters before anything is trained; returns how to start, or undefined when the user declines. */
  private async confirm(corpus: WorkspaceCorpus, settings: TrainingSettings, args: TrainArgs): Promise<TrainingStart | undefined> {
    const start = args.start ?? settings.start;
    const summary =
      `${corpus.files.length} file${corpus.files.length === 1 ? '' : 's'}, ${shortCount(corpus.totalChars)} characters` +
      `${corpus.skipped.length ? ` (${corpus.skipped.length} skipped, see log)` : ''}, up to ${shortDuration(settings.minutes * 60)}.`;
    this.statusBar.setTraining(undefined);
    if (args.confirm === false) {
      this.log.info(`training: ${summary}`);
      return start;
    }
    const fineTune = 'Fine-Tune Current Model';
    const scratch = 'Train From Scratch';
    const buttons = start === 'scratch' ? [scratch, fineTune] : [fineTune, scratch];
    const choice = await vscode.window.showInformationMessage(`LSTM Lens: train on ${summary}${corpus.capNote ? ` ${corpus.capNote}` : ''}`, ...buttons, 'Show Log');
    if (choice === 'Show Log') this.log.show();
    return choice === fineTune ? 'fine-tune' : choice === scratch ? 'scratch' : undefined;
  }

  private async runTraining(corpus: WorkspaceCorpus, settings: TrainingSettings, start: TrainingStart, storageDir: string, cancel: AbortController, background?: TrainArgs['background']): Promise<void> {
    let status = this.store.status;
    if (status.kind === 'loading') status = await this.store.whenSettled();
    const current = status.kind === 'ready' ? status.loaded : undefined;

    const modelPath = vscode.workspace.getConfiguration('lstmLens').get<string>('modelPath');
    const folderNames = (vscode.workspace.workspaceFolders ?? []).map((f) => f.name);
    // In the background, one thread (and half-size steps: see workspaceTrainingRequest).
    const threads = background ? 1 : trainingThreads(settings.threads, os.availableParallelism?.() ?? os.cpus().length);
    const request = workspaceTrainingRequest({
      corpus,
      settings,
      start,
      current: current ? { spec: current.model.layout.spec, params: current.model.params, name: current.name, dir: current.dir } : undefined,
      threads,
      background: Boolean(background),
      outDir: modelPath ? resolveModelPath(modelPath) : path.join(storageDir, 'model'),
      checkpointDir: path.join(storageDir, 'checkpoint'),
      workspaceName: vscode.workspace.name ?? folderNames[0] ?? 'workspace',
      folderNames,
      initSeed: (Date.now() % 100_000) + 1,
      ...(background ? { pauseBuffer: background.pauseBuffer } : {}),
    });
    const spec = request.spec;
    const outDir = request.outDir;
    const how = start === 'fine-tune' ? `fine-tuning ${current?.name ?? 'the model'}` : `from scratch (${describeSpec(spec)})`;
    this.log.info(`training: ${how}, ${threads} thread${threads > 1 ? 's' : ''}, up to ${settings.minutes} min; writes ${outDir} only if the new model is better`);

    this.view.reset(`Train on Workspace: ${how}`);
    this.view.status(`Starting: ${corpus.files.length} files, ${shortCount(corpus.totalChars)} characters`, true);
    if (!background) this.view.reveal();
    const command = background ? CANCEL_TRAINING_COMMAND : undefined;
    this.statusBar.setTraining({ text: 'training', detail: `${how}; starting`, command });

    const result = await vscode.window.withProgress(
      background
        ? { location: vscode.ProgressLocation.Window, title: 'LSTM Lens: retraining while idle' }
        : { location: vscode.ProgressLocation.Notification, title: 'LSTM Lens: Train on Workspace', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => cancel.abort());
        let reported = 0;
        return runTrainingInWorker(
          request,
          cancel.signal,
          (e) => {
            if (e.type === 'status') {
              progress.report({ message: e.text });
              this.view.status(e.text, true);
              this.log.info(`training: ${e.text}`);
            } else if (e.type === 'baseline') {
              if (e.bitsPerChar !== null) this.log.info(`training: working model scores ${e.bitsPerChar.toFixed(3)} bits/char on the held-out files`);
            } else if (e.type === 'sample') {
              this.view.sample(`What the model writes at step ${e.step} (validation ${e.valBitsPerChar.toFixed(3)} bits/char):`, e.text);
            } else if (e.type === 'concepts') {
              this.view.concepts(`Concept cells at step ${e.step}, on ${e.chars} held-out characters labelled by ${e.labelledBy} (best cell per concept; random: a random network of the same shape):`, conceptCellRows(e.cells, e.random));
            } else if (e.type === 'checkpoint') {
              this.log.info(`training: checkpoint (validation ${e.valBitsPerChar?.toFixed(3) ?? '–'} bits/char) saved in ${e.dir}`);
            } else {
              const p = e.progress;
              const message = progressMessage(p);
              const percent = progressPercent(p);
              progress.report({ message, increment: Math.max(0, percent - reported) });
              reported = Math.max(reported, percent);
              this.view.point(p.charsSeen, p.trainBitsPerChar, p.valBitsPerChar);
              this.view.status(message, true);
              this.statusBar.setTraining({ text: `training ${Math.round(percent)}%`, detail: message, command });
            }
          },
          { kill: this.shutdown.signal },
        );
      },
    );
    await this.finish(result, outDir, background !== undefined);
  }

  private async finish(result: TrainingJobResult, outDir: string, background = false): Promise<void> {
    const before = result.baseline?.bitsPerChar;
    const after = result.candidate?.bitsPerChar;
    this.log.info(
      `training stopped (${result.stoppedBecause}) after ${result.steps} steps, ${shortDuration(result.seconds)}, ${shortCount(result.charsPerSecond)} chars/s on ${result.threads} thread(s); ` +
        `held-out (${result.heldOutBy}) bits/char before ${before?.toFixed(3) ?? '–'}, after ${after?.toFixed(3) ?? '–'}: ${result.decision.reason}`,
    );
    if (result.paused) this.log.info(`training: paused for typing ${result.paused.times} time(s), ${shortDuration(result.paused.seconds)} in all (not counted against its minutes)`);
    if (!result.decision.swap || !result.savedTo) {
      const text = result.stoppedBecause === 'cancelled' ? 'Training cancelled. The working model is unchanged.' : `Kept the working model: ${result.decision.reason}.`;
      this.view.status(text, false);
      // A background run that changed nothing is not worth a notification.
      if (!background) void vscode.window.showInformationMessage(`LSTM Lens: ${text}`);
      return;
    }
    const loaded = await this.store.useTrained(outDir);
    await this.context.workspaceState.update(TRAINED_MODEL_KEY, outDir);
    const bits = before !== undefined && after !== undefined ? `held-out bits/char ${before.toFixed(3)} → ${after.toFixed(3)} (${(((after - before) / before) * 100).toFixed(1)}%)` : `held-out bits/char ${after?.toFixed(3) ?? '–'}`;
    const k = result.keystrokes;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const keys = k ? `, keystrokes saved ${k.before !== null ? `${pct(k.before)} → ` : ''}${pct(k.after)} (on ${shortCount(k.chars)} held-out characters)` : '';
    if (k) this.log.info(`training: keystrokes saved typing ${k.chars} held-out characters: before ${k.before !== null ? pct(k.before) : '–'}, after ${pct(k.after)}`);
    const change = bits + keys;
    this.view.status(`Now in use: ${loaded.name}. ${change}.`, false);
    void vscode.window
      .showInformationMessage(`LSTM Lens: now using the model trained on this workspace: ${change}${result.namedCells.length ? `; ${result.namedCells.length} named cells re-found` : ''}.`, 'Use Bundled Model')
      .then((c) => c && vscode.commands.executeCommand('lstmLens.useBundledModel'));
  }

  dispose(): void {
    // The editor is closing: end the worker now. Saves are atomic, so nothing is left half-written.
    this.running?.cancel.abort();
    this.shutdown.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Registers the two training commands. */
export function registerTrainingCommands(controller: TrainingController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(TRAIN_COMMAND, (args?: TrainArgs) => controller.train(sanitizeArgs(args))),
    vscode.commands.registerCommand(CANCEL_TRAINING_COMMAND, () => controller.cancel()),
  ];
}

/** Command arguments come from anywhere (keybindings, other extensions): keep only what is understood. */
function sanitizeArgs(args: unknown): TrainArgs {
  if (typeof args !== 'object' || args === null) return {};
  const a = args as Record<string, unknown>;
  return {
    ...(a.start === 'fine-tune' || a.start === 'scratch' ? { start: a.start } : {}),
    ...(a.confirm === false ? { confirm: false } : {}),
    ...(typeof a.minutes === 'number' && Number.isFinite(a.minutes) && a.minutes >= 0.05 && a.minutes <= 1440 ? { minutes: a.minutes } : {}),
  };
}
