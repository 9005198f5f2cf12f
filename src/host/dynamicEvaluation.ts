import { Worker } from 'worker_threads';
import * as vscode from 'vscode';
import { DEFAULT_DYNAMIC_EVAL } from '../core/dynamicEval/dynamicEvaluator';
import { TypedTextTracker } from '../core/dynamicEval/typedTextTracker';
import { DynamicEvalWorkerInit, DynamicEvalWorkerReply, DynamicEvalWorkerRequest, dynamicEvalWorkerPath } from '../core/dynamicEval/workerProtocol';
import { Engine } from '../core/engine';
import { WasmOps, createFastestOps } from '../core/kernels/wasmOps';
import { cellOf } from '../core/modelSpec';
import { documentTextSource } from './completionProvider';
import { ModelStore } from './modelStore';
import { SettingsReader } from './settings';

/**
 * `lstmLens.completion.dynamicEvaluation`: completions come from a copy of
 * the model that learns the text typed in the editor. The gradient steps
 * run in a worker; the host only picks the typed text (TypedTextTracker)
 * and copies the adapted weights it gets back into its own engine
 * (Engine.loadParams: a copy and an input-table rebuild, no allocation), so
 * a completion never waits for a step (one running across a swap finishes
 * on the new weights: its states stay valid to continue from). The model
 * store's engine (heatmap, commands) is never touched. Turning it off or a
 * model change goes back to the trained weights.
 */
export class DynamicEvaluationHost implements vscode.Disposable {
  private worker: Worker | undefined;
  private adapted: Engine | undefined;
  private tracker: TypedTextTracker | undefined;
  private source: Engine | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: ModelStore,
    private readonly settings: SettingsReader,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      store.onDidChange(() => this.sync()),
      settings.onDidChange((e) => {
        if (e.affectsConfiguration('lstmLens.completion.dynamicEvaluation')) this.sync();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.changed(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.tracker?.forget(d.uri.toString())),
    );
    this.sync();
  }

  /** The engine completions should use while this is on (undefined: off or no model yet). */
  get engine(): Engine | undefined {
    this.sync();
    return this.adapted;
  }

  /** Starts or stops to match the setting and the model in use. */
  private sync(): void {
    const on = this.settings.get().dynamicEvaluation;
    const model = this.store.engine;
    if (on && model && model === this.source) return;
    this.stop();
    if (!on || !model || this.store.status.kind !== 'ready') return;
    const loaded = this.store.status.loaded;
    try {
      const init: DynamicEvalWorkerInit = { spec: loaded.model.layout.spec, params: Float32Array.from(loaded.model.params), settings: DEFAULT_DYNAMIC_EVAL };
      const worker = new Worker(dynamicEvalWorkerPath(), { workerData: init });
      const ops = createFastestOps();
      const adapted = new Engine(loaded.model, ops);
      // Warmed up like the store's engine, so the first completion on it is not the slow one.
      if (ops instanceof WasmOps) ops.warmUp(3, cellOf(loaded.model.layout.spec));
      worker.on('message', (reply: DynamicEvalWorkerReply) => {
        if (this.worker !== worker) return;
        if (reply.type === 'error') this.log.error(`dynamic evaluation step failed: ${reply.message}`);
        else adapted.loadParams(reply.params);
      });
      worker.on('error', (err) => {
        this.log.error(`dynamic evaluation worker failed: ${err.message}; completions use the trained weights`);
        if (this.worker === worker) this.stop();
      });
      this.worker = worker;
      this.adapted = adapted;
      this.source = model;
      this.tracker = new TypedTextTracker(DEFAULT_DYNAMIC_EVAL.windowChars, (chunk) => this.post({ type: 'adapt', ids: chunk.ids, fresh: chunk.fresh }));
      this.log.info(`dynamic evaluation on for ${loaded.name}: learning typed text in windows of ${DEFAULT_DYNAMIC_EVAL.windowChars} characters`);
    } catch (err) {
      this.log.error(`dynamic evaluation could not start: ${(err as Error).message}`);
      this.stop();
    }
  }

  private changed(e: vscode.TextDocumentChangeEvent): void {
    if (!this.tracker || e.contentChanges.length === 0 || !this.settings.enabledFor(e.document)) return;
    // Learn what is typed in the editor the user is in, up to where the last change ends.
    if (vscode.window.activeTextEditor?.document !== e.document) return;
    const last = e.contentChanges[e.contentChanges.length - 1];
    this.tracker.typed(e.document.uri.toString(), documentTextSource(e.document), last.rangeOffset + last.text.length);
  }

  private post(msg: DynamicEvalWorkerRequest): void {
    this.worker?.postMessage(msg);
  }

  private stop(): void {
    if (this.worker) void this.worker.terminate();
    this.worker = undefined;
    this.adapted = undefined;
    this.tracker = undefined;
    this.source = undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.stop();
  }
}
