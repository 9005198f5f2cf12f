import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { DictionaryJobEvent } from '../../core/features/dictionaryJob';
import { modelFingerprint } from '../../core/features/dictionaryFile';
import { runDictionaryInWorker } from '../../core/features/dictionaryWorkerClient';
import { selectWorkspaceCorpus } from '../../core/workspaceTraining/workspaceCorpus';
import { ModelStore } from '../modelStore';
import { listWorkspaceFiles } from '../workspaceTraining/workspaceFiles';

export const TRAIN_FEATURES_COMMAND = 'lstmLens.trainFeatures';

/** Characters of states the dictionary is trained on (about 400 MiB of states for a 1×256 model). */
const MAX_STATE_CHARS = 200_000;

/**
 * "Train Feature Dictionary": records the working model's states on the
 * workspace's code and trains a sparse dictionary on them in a worker
 * thread, with a cancellable progress notification. The file goes beside a
 * model the user loaded or trained (and its manifest lists it); for the
 * bundled model, whose folder belongs to the extension, into the
 * extension's storage.
 */
export function registerFeatureCommands(context: vscode.ExtensionContext, store: ModelStore, log: vscode.LogOutputChannel): vscode.Disposable[] {
  let running: AbortController | null = null;
  const train = async (): Promise<void> => {
    if (running) {
      void vscode.window.showInformationMessage('LSTM Lens: a feature dictionary is already being trained.');
      return;
    }
    const status = store.status;
    if (status.kind !== 'ready') {
      void vscode.window.showWarningMessage('LSTM Lens: the model is not loaded yet; try again in a moment.');
      return;
    }
    const { model, dir, source, name } = status.loaded;
    const cancel = new AbortController();
    running = cancel;
    try {
      const corpus = await selectWorkspaceCorpus(await listWorkspaceFiles(log), {}, cancel.signal);
      if (corpus.files.length === 0) {
        void vscode.window.showWarningMessage('LSTM Lens: the workspace has no source files to record the model on; nothing was trained.');
        return;
      }
      const bundled = source === 'bundled';
      const outFile = bundled ? path.join(context.globalStorageUri.fsPath, 'features', `${modelFingerprint(model.params)}.dict`) : path.join(dir, 'features.dict');
      await fs.promises.mkdir(path.dirname(outFile), { recursive: true });
      log.info(`features: ${corpus.files.length} files, ${corpus.totalChars} characters; dictionary to ${outFile}`);
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'LSTM Lens: Train Feature Dictionary', cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => cancel.abort());
        return runDictionaryInWorker(
          {
            spec: model.layout.spec,
            params: model.params,
            modelName: name,
            texts: corpus.files.map((f) => ({ name: f.name, text: f.text })),
            maxChars: MAX_STATE_CHARS,
            train: { epochs: 2 },
            outFile,
            ...(bundled ? {} : { modelDir: dir }),
          },
          cancel.signal,
          (e) => progress.report({ message: progressText(e) }),
        );
      });
      if (result.stoppedBecause === 'cancelled' || !result.metrics) {
        void vscode.window.showInformationMessage('LSTM Lens: feature dictionary cancelled; nothing was saved.');
        return;
      }
      const m = result.metrics;
      const text = `${result.features} features on ${result.rows.toLocaleString('en-US')} characters: FVU ${m.fvu.toFixed(3)}, ${m.deadFeatures} dead, ${m.meanActive.toFixed(1)} active per character`;
      log.info(`features: ${text}; saved to ${outFile}${result.listedInManifest ? ' and listed in the model manifest' : ''}`);
      void vscode.window.showInformationMessage(`LSTM Lens: feature dictionary trained (${text}).`);
    } catch (err) {
      log.error(`features: ${(err as Error).message}`);
      void vscode.window.showErrorMessage(`LSTM Lens: ${(err as Error).message}`);
    } finally {
      running = null;
    }
  };
  return [vscode.commands.registerCommand(TRAIN_FEATURES_COMMAND, train), { dispose: () => running?.abort() }];
}

/** One line of the progress notification. */
function progressText(e: DictionaryJobEvent): string {
  if (e.type === 'status') return e.text;
  const p = e.progress;
  const done = Math.floor((100 * p.rowsSeen) / Math.max(1, p.totalRows));
  return `epoch ${p.epoch}/${p.epochs}, ${done}%: FVU ${p.fvu.toFixed(3)}, ${p.dead} dead`;
}
