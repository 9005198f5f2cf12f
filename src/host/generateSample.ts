import * as vscode from 'vscode';
import { feedText, startAfter } from '../core/completion';
import { SearchStart } from '../core/stepModel';
import { sampleStream } from '../core/search';
import { ModelStore } from './modelStore';

/** Most characters of primer taken before the cursor (a char-LSTM remembers far less). */
const MAX_PRIMER_CHARS = 4096;
const MAX_SAMPLE_CHARS = 100_000;
const PRIME_SLICE_CHARS = 256;

function parseTemperature(value: string): number | undefined {
  const t = Number(value.trim());
  return value.trim() !== '' && Number.isFinite(t) && t > 0 && t <= 10 ? t : undefined;
}

function parseLength(value: string): number | undefined {
  const n = Number(value.trim());
  return Number.isInteger(n) && n >= 1 && n <= MAX_SAMPLE_CHARS ? n : undefined;
}

/**
 * `LSTM Lens: Generate Sample`: asks for a temperature and a length, primes
 * the model with the selection (or the text before the cursor), and streams
 * the sampled text into a new untitled editor beside it, under a progress
 * notification that can cancel it. Closing the new editor stops it too.
 */
export async function generateSample(store: ModelStore, log: vscode.LogOutputChannel): Promise<void> {
  const engine = store.engine;
  if (!engine) {
    const status = store.status;
    void vscode.window.showWarningMessage(
      status.kind === 'error' ? `LSTM Lens has no model: ${status.message}` : 'LSTM Lens is still loading its model; try again in a moment.',
    );
    return;
  }
  const temperatureText = await vscode.window.showInputBox({
    title: 'LSTM Lens: Generate Sample (1/2)',
    prompt: 'Temperature: below 1 is more conservative, above 1 more surprising',
    value: '0.8',
    validateInput: (v) => (parseTemperature(v) === undefined ? 'A number above 0 and at most 10, e.g. 0.8' : undefined),
  });
  const temperature = temperatureText === undefined ? undefined : parseTemperature(temperatureText);
  if (temperature === undefined) return;
  const lengthText = await vscode.window.showInputBox({
    title: 'LSTM Lens: Generate Sample (2/2)',
    prompt: 'How many characters to generate',
    value: '1000',
    validateInput: (v) => (parseLength(v) === undefined ? `A whole number from 1 to ${MAX_SAMPLE_CHARS}` : undefined),
  });
  const maxChars = lengthText === undefined ? undefined : parseLength(lengthText);
  if (maxChars === undefined) return;

  const editor = vscode.window.activeTextEditor;
  let primer = '';
  if (editor) {
    const { document, selection } = editor;
    if (!selection.isEmpty) primer = document.getText(selection);
    else {
      const end = document.offsetAt(selection.active);
      primer = document.getText(new vscode.Range(document.positionAt(Math.max(0, end - MAX_PRIMER_CHARS)), selection.active));
    }
  }
  if (primer.length > MAX_PRIMER_CHARS) primer = primer.slice(-MAX_PRIMER_CHARS);

  const output = await vscode.workspace.openTextDocument({ language: editor?.document.languageId ?? 'plaintext', content: '' });
  await vscode.window.showTextDocument(output, { viewColumn: vscode.ViewColumn.Beside, preview: false });

  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'LSTM Lens: generating a sample', cancellable: true },
    async (progress, token) => {
      // Prime in slices so the extension host stays responsive (and Cancel works) on a long primer.
      let start: SearchStart = startAfter(engine, '');
      if (primer.replace(/\r/g, '') !== '') {
        start = { state: engine.newState(), logProbs: new Float32Array(engine.vocabSize) };
        for (let i = 0; i < primer.length; i += PRIME_SLICE_CHARS) {
          if (token.isCancellationRequested) return;
          start = feedText(engine, start, primer.slice(i, i + PRIME_SLICE_CHARS));
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const signal = { get aborted() { return token.isCancellationRequested || output.isClosed || store.engine !== engine; } };
      const stream = sampleStream(engine, start, { temperature, maxChars, rng: Math.random, signal, chunkChars: 64 });
      let written = 0;
      for await (const chunk of stream) {
        if (signal.aborted) break;
        const edit = new vscode.WorkspaceEdit();
        edit.insert(output.uri, output.lineAt(output.lineCount - 1).range.end, chunk);
        if (!(await vscode.workspace.applyEdit(edit))) break;
        written += chunk.length;
        progress.report({ increment: (100 * chunk.length) / maxChars, message: `${written} / ${maxChars} characters` });
      }
      log.info(`sample: ${written} characters at temperature ${temperature}${token.isCancellationRequested ? ' (cancelled)' : ''}`);
    },
  );
}
