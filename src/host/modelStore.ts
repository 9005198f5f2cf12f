import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { Engine } from '../core/engine';
import { WasmOps, createFastestOps } from '../core/kernels/wasmOps';
import { Model, loadModel } from '../core/model/modelFiles';
import { cellOf, describeSpec } from '../core/modelSpec';
import { SettingsReader } from './settings';

/** 'trained': made by Train on Workspace and swapped in by useTrained(). */
export type ModelSource = 'bundled' | 'custom' | 'trained';

/** A model loaded and ready to run. */
export interface LoadedModel {
  engine: Engine;
  model: Model;
  /** The folder it was loaded from. */
  dir: string;
  source: ModelSource;
  /** Short name for the status bar. */
  name: string;
  /** Shape, e.g. "2x256/256 emb64". */
  shape: string;
  loadMs: number;
}

export type ModelStatus =
  | { kind: 'loading'; dir: string; source: ModelSource }
  | { kind: 'ready'; loaded: LoadedModel; /** Set when a custom model failed and the bundled one stands in. */ fallbackReason?: string }
  | { kind: 'error'; message: string };

/**
 * Where the model comes from and the one Engine the extension runs: the
 * bundled model (`<extension>/models/default`) or the folder in
 * `lstmLens.modelPath`. Loading happens in the background after activation
 * and again whenever the setting changes; a custom model that fails to load
 * is reported once and the bundled one is used instead. The kernels are
 * warmed up right after loading, so the first completion is not the slow one.
 */
export class ModelStore implements vscode.Disposable {
  private current: ModelStatus;
  private generation = 0;
  private lastModelPath: string | undefined;
  private readonly changed = new vscode.EventEmitter<ModelStatus>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires whenever the status changes (loading, ready, error). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly settings: SettingsReader,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.current = { kind: 'loading', dir: this.bundledDir, source: 'bundled' };
    this.subscriptions.push(
      settings.onDidChange((e) => {
        if (!e.affectsConfiguration('lstmLens.modelPath')) return;
        const modelPath = this.settings.get().modelPath;
        if (modelPath !== this.lastModelPath) void this.reload();
      }),
    );
  }

  get bundledDir(): string {
    return vscode.Uri.joinPath(this.extensionUri, 'models', 'default').fsPath;
  }

  get status(): ModelStatus {
    return this.current;
  }

  /** The engine of the ready model, if any. */
  get engine(): Engine | undefined {
    return this.current.kind === 'ready' ? this.current.loaded.engine : undefined;
  }

  /** Starts loading in the background (activation does not wait). */
  start(): void {
    setTimeout(() => void this.reload(), 0);
  }

  /** Resolves once a load attempt has finished (ready or error). */
  whenSettled(): Promise<ModelStatus> {
    if (this.current.kind !== 'loading') return Promise.resolve(this.current);
    return new Promise((resolve) => {
      const sub = this.onDidChange((s) => {
        if (s.kind === 'loading') return;
        sub.dispose();
        resolve(s);
      });
    });
  }

  /** Loads the model the settings name (or the bundled one). Later calls win over earlier ones still running. */
  async reload(): Promise<void> {
    const generation = ++this.generation;
    const modelPath = this.settings.get().modelPath;
    this.lastModelPath = modelPath;
    const custom = modelPath ? resolveModelPath(modelPath) : undefined;
    const stale = () => generation !== this.generation;

    if (custom) {
      this.set({ kind: 'loading', dir: custom, source: 'custom' });
      try {
        const loaded = await this.load(custom, 'custom');
        if (stale()) return;
        this.set({ kind: 'ready', loaded });
        return;
      } catch (err) {
        if (stale()) return;
        const reason = (err as Error).message;
        this.log.error(`model at ${custom} failed to load: ${reason}; using the bundled model`);
        void vscode.window
          .showWarningMessage(`LSTM Lens: ${reason}. Using the bundled model instead.`, 'Load Model…', 'Show Log')
          .then((choice) => {
            if (choice === 'Load Model…') void vscode.commands.executeCommand('lstmLens.loadModel');
            if (choice === 'Show Log') this.log.show();
          });
        await this.loadBundled(stale, reason);
        return;
      }
    }
    await this.loadBundled(stale);
  }

  /**
   * Swaps in a model that Train on Workspace saved in `dir`, without a
   * reload. If loading fails, the error is thrown and the model in use stays.
   * A later lstmLens.modelPath change or Use Bundled Model wins over it.
   */
  async useTrained(dir: string): Promise<LoadedModel> {
    const loaded = await this.load(dir, 'trained');
    this.generation++;
    this.set({ kind: 'ready', loaded });
    return loaded;
  }

  private async loadBundled(stale: () => boolean, fallbackReason?: string): Promise<void> {
    this.set({ kind: 'loading', dir: this.bundledDir, source: 'bundled' });
    try {
      const loaded = await this.load(this.bundledDir, 'bundled');
      if (stale()) return;
      this.set({ kind: 'ready', loaded, fallbackReason });
    } catch (err) {
      if (stale()) return;
      const message = `the bundled model failed to load: ${(err as Error).message}`;
      this.log.error(message);
      this.set({ kind: 'error', message });
    }
  }

  private async load(dir: string, source: ModelSource): Promise<LoadedModel> {
    const t0 = performance.now();
    this.log.info(`loading ${source} model from ${dir}`);
    const model = await loadModel(dir);
    const ops = createFastestOps();
    const engine = new Engine(model, ops);
    if (ops instanceof WasmOps) ops.warmUp(3, cellOf(model.layout.spec));
    const loadMs = performance.now() - t0;
    const shape = describeSpec(model.layout.spec);
    const name = source === 'bundled' ? 'bundled' : model.manifest.name && model.manifest.name !== 'model' ? model.manifest.name : path.basename(dir);
    this.log.info(`model ready: ${name} (${shape}, ${ops.name} kernels) in ${loadMs.toFixed(0)} ms`);
    return { engine, model, dir, source, name, shape, loadMs };
  }

  private set(status: ModelStatus): void {
    this.current = status;
    this.changed.fire(status);
  }

  dispose(): void {
    this.generation++;
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** `~` is the home folder; a relative path is taken from the first workspace folder (or home). */
export function resolveModelPath(p: string): string {
  let expanded = p;
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) expanded = path.join(os.homedir(), expanded.slice(1));
  if (path.isAbsolute(expanded)) return path.normalize(expanded);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  return path.resolve(base, expanded);
}
