import * as vscode from 'vscode';
import { runCompareInWorker } from '../../core/compare/compareWorkerClient';
import { formatSkipCounts, summarizeSkipped } from '../../core/corpus';
import { readTrainingSettings } from '../../core/workspaceTraining/trainingSettings';
import { selectWorkspaceCorpus } from '../../core/workspaceTraining/workspaceCorpus';
import { listWorkspaceFiles } from '../workspaceTraining/workspaceFiles';

export const COMPARE_COMMAND = 'lstmLens.compareCellTypes';

/**
 * "Compare Cell Types": what `lstm-lens compare` does, on the workspace's
 * source files (the Train on Workspace selection and size cap): trains an
 * LSTM, a GRU and a plain RNN for the same minutes each in a worker thread,
 * then shows the side-by-side report in an output channel. The model in
 * use is not touched.
 */
export function registerCompareCommand(log: vscode.LogOutputChannel): vscode.Disposable[] {
  const output = vscode.window.createOutputChannel('LSTM Lens: Cell Types');
  let running = false;
  const run = async () => {
    if (running) {
      void vscode.window.showInformationMessage('LSTM Lens: a cell type comparison is already running.');
      return;
    }
    if ((vscode.workspace.workspaceFolders ?? []).length === 0) {
      void vscode.window.showErrorMessage('LSTM Lens: open a folder first. Compare Cell Types trains on the source files of the open folders.');
      return;
    }
    const answer = await vscode.window.showInputBox({
      title: 'LSTM Lens: Compare Cell Types',
      prompt: 'Training minutes for each of LSTM, GRU and plain RNN (the whole run takes about three times this)',
      value: '2',
      validateInput: (v) => (Number(v) > 0 && Number(v) <= 240 ? undefined : 'a number of minutes, more than 0 and at most 240'),
    });
    if (answer === undefined) return;
    const minutes = Number(answer);
    running = true;
    try {
      const config = vscode.workspace.getConfiguration('lstmLens');
      const { settings } = readTrainingSettings((name) => config.get(name));
      const listed = await listWorkspaceFiles(log);
      const corpus = await selectWorkspaceCorpus(listed, { include: settings.include, exclude: settings.exclude, maxTotalBytes: settings.maxCorpusMB * 1024 * 1024 });
      log.info(`compare: ${corpus.files.length} files, ${corpus.totalChars} characters; ${formatSkipCounts(summarizeSkipped(corpus.skipped))}`);
      if (corpus.files.length === 0 || corpus.totalChars < 2) {
        void vscode.window.showWarningMessage('LSTM Lens: nothing to compare on: the workspace has no source files to train on (see the log).');
        return;
      }
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'LSTM Lens: comparing cell types', cancellable: true },
        async (progress, token) => {
          const cancel = new AbortController();
          const sub = token.onCancellationRequested(() => cancel.abort());
          try {
            return await runCompareInWorker({ sources: corpus.files.map((f) => ({ name: f.name, text: f.text })), options: { minutes } }, cancel.signal, (message) => progress.report({ message }));
          } finally {
            sub.dispose();
          }
        },
      );
      output.clear();
      output.appendLine(`${corpus.files.length} workspace files, ${corpus.totalChars} characters; ${minutes} min of training per cell type, measured while the editor ran.`);
      output.appendLine('');
      output.appendLine(report.text);
      output.show(true);
    } catch (err) {
      log.error(`compare failed: ${(err as Error).stack ?? String(err)}`);
      void vscode.window.showErrorMessage(`LSTM Lens: comparing cell types failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  return [output, vscode.commands.registerCommand(COMPARE_COMMAND, run)];
}
