import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { ConceptCellRow } from '../../core/workspaceTraining/conceptCellsText';
import { ToLossCurve, lossCurveHtml, parseLossCurveMessage } from '../../core/workspaceTraining/lossCurveHtml';

export const TRAINING_VIEW_ID = 'lstmLens.trainingView';

/**
 * The "LSTM Lens Training" view in the panel: a live loss curve of the
 * current (or last) run. It keeps the run's points, so a view opened or
 * re-shown mid-run draws everything so far. Messages from the page are
 * validated; the only one acted on is Cancel.
 */
export class TrainingView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private history: ToLossCurve[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly onCancel: () => void) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [] };
    const nonce = randomBytes(18).toString('base64');
    view.webview.html = lossCurveHtml({ nonce, cspSource: view.webview.cspSource, title: 'Train on Workspace' });
    this.subscriptions.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseLossCurveMessage(raw);
        if (msg?.type === 'ready') for (const m of this.history) void view.webview.postMessage(m);
        else if (msg?.type === 'cancel') this.onCancel();
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  /** Starts a new curve. */
  reset(title: string): void {
    this.history = [];
    this.post({ type: 'reset', title });
  }

  point(chars: number, train: number, val: number | undefined): void {
    this.post({ type: 'point', chars, train, ...(val !== undefined ? { val } : {}) });
  }

  status(text: string, running: boolean): void {
    // Only the last status matters to a page that opens later.
    this.history = this.history.filter((m) => m.type !== 'status');
    this.post({ type: 'status', text, running });
  }

  /** The model's latest sample (only the latest is kept for a page that opens later). */
  sample(label: string, text: string): void {
    this.history = this.history.filter((m) => m.type !== 'sample');
    this.post({ type: 'sample', label, text });
  }

  /** The concept cells found at the latest validation (only the latest is kept for a page that opens later). */
  concepts(label: string, rows: ConceptCellRow[]): void {
    this.history = this.history.filter((m) => m.type !== 'concepts');
    this.post({ type: 'concepts', label, rows });
  }

  /** Opens the view without taking focus from the editor. */
  reveal(): void {
    if (this.view) {
      this.view.show(true);
      return;
    }
    // The view's focus command also moves the keyboard focus: hand it back to the editor.
    void vscode.commands.executeCommand(`${TRAINING_VIEW_ID}.focus`).then(
      () => vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup'),
      () => undefined,
    );
  }

  private post(msg: ToLossCurve): void {
    this.history.push(msg);
    if (this.history.length > 5000) this.history = this.history.filter((m, i) => m.type !== 'point' || i % 2 === 0);
    void this.view?.webview.postMessage(msg);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
