import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { CellRef } from '../../core/cells/activations';
import { HEATMAP_WINDOW_CHARS, TextWindow, chooseWindow, windowHolds } from '../../core/cells/heatmapWindow';
import { StateCheckpoints, WindowActivations, recordWindow } from '../../core/cells/recordWindow';
import { randomEngineLike } from '../../core/cells/randomEngineLike';
import { searchMatches } from '../../core/cells/searchMatches';
import { Engine } from '../../core/engine';
import { ConceptLabels } from '../../core/concepts/conceptNames';
import { languageForFile } from '../../core/concepts/language';
import { SyntaxLabels, SyntaxParsers } from '../../core/syntax';
import { NamedCell, ModelManifest } from '../../core/model/manifest';
import { SparseDictionary } from '../../core/features/dictionary';
import { checkDictionaryFitsModel, loadDictionary, modelFingerprint } from '../../core/features/dictionaryFile';
import { dictionaryPathOf } from '../../core/features/dictionaryManifest';
import { runDictionaryInWorker } from '../../core/features/dictionaryWorkerClient';
import { FeatureFindings } from '../../core/features/labelFeatures';
import { MODEL_JSON } from '../../core/model/modelFiles';
import { initParams, paramLayout } from '../../core/params';
import { FEATURE_CANDIDATES, WindowFeatures, encodeWindowSliced, featureEntries, featureNames, rankFeaturesOnWindow } from './featureList';
import { LoadedModel, ModelStore } from '../modelStore';
import { exportHeatmapHtml } from './exportHtml';
import { MAX_HYPOTHESIS_CELLS, hypothesisInWindow } from './hypothesis';
import { CellEntry, FeatureEntry, HostMessage, ModelShape, TrackSpec, ViewState, WebviewMessage, defaultViewState, parseViewState, parseWebviewMessage } from './protocol';
import { applyIntent } from './viewChanges';
import { SYNTAX_PENDING, SyntaxList, syntaxListOnWindow } from './syntaxCells';
import { CONCEPT_CANDIDATES, ConceptErrors, ConceptRankings, conceptEntries, conceptErrorsOnWindow, labelFileConcepts, rankConceptsOnWindowSliced } from './conceptCells';
import { TrackFeatures, buildTracks, gateChart, selectionCells } from './viewModel';
import { webviewHtml } from './webviewHtml';

export const HEATMAP_VIEW_TYPE = 'lstmLens.heatmap';
/** The webview's script, bundled by webpack from src/webview/heatmap.ts. */
const WEBVIEW_BUNDLE = ['dist', 'webview', 'heatmap.js'] as const;
export const HEATMAP_COMMANDS = {
  show: 'lstmLens.showHeatmap',
  findCellsForSelection: 'lstmLens.findCellsForSelection',
  exportHtml: 'lstmLens.exportHeatmap',
} as const;

/** Waits after an edit or a cursor move out of the window before reading the file again. */
const RECORD_DEBOUNCE_MS = 400;
const SELECTION_DEBOUNCE_MS = 250;
/** Workspace hypothesis search: files read and characters per file. */
const WORKSPACE_MAX_FILES = 60;
const WORKSPACE_MAX_CHARS = 20_000;
const WORKSPACE_GLOB = '**/*.{ts,tsx,js,jsx,mjs,cjs,py,c,h,cc,cpp,hpp,java,cs,go,rs,kt,swift}';
const WORKSPACE_EXCLUDE = '**/{node_modules,.git,dist,out,build,.cache}/**';

/** The current file's recording. */
interface Recording {
  uri: string;
  version: number;
  text: string;
  /** The whole file's concept labels (tree-sitter where a grammar is shipped, see labelFileConcepts), and what made them. */
  conceptLabels: ConceptLabels;
  labelledBy: string;
  win: TextWindow;
  act: WindowActivations;
  model: LoadedModel;
  /** The window's concept rankings, and the list shown (rebuilt when the random control is measured). */
  rankings: ConceptRankings;
  /** Where each yes/no concept's best cell errs on the window. */
  errors: ConceptErrors;
  concepts: CellEntry[];
  /** The whole file's node-type labels (null without a tree), and the node-type list once ranked beside the control. */
  syntax: SyntaxLabels | null;
  syntaxList?: SyntaxList;
  /** The window read through the model's dictionary, when it has one. */
  features?: WindowFeatures & { findings: FeatureFindings; names: Map<number, string> };
  featureList: FeatureEntry[];
}

/** The dictionary of one loaded model: null with a note saying why there is none. */
interface ModelDictionary {
  model: LoadedModel;
  dict: SparseDictionary | null;
  note: string;
}

/** Characters of the random model's states its control dictionary is trained on (the open file's first ones). */
const CONTROL_DICTIONARY_CHARS = 12_000;

/** A place a match list entry leads to. */
interface MatchTarget {
  uri: vscode.Uri;
  start: number;
  end: number;
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The activation heatmap panel: one webview beside the editor that follows
 * the active text editor, records the model over the file (in slices, so the
 * extension host keeps running) and sends the webview plain data to draw.
 * The view state has one owner, this controller: the webview sends intents
 * (add a track, change a search input) and draws what comes back. The
 * webview mirrors the last state it was sent only for the panel serializer,
 * which hands it back here after a reload; hiding the panel drops the
 * webview, and the 'ready' it sends when shown again gets the host's view.
 */
export class HeatmapController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubs: vscode.Disposable[] = [];
  private readonly subs: vscode.Disposable[] = [];
  private view: ViewState = defaultViewState();
  private target: vscode.TextDocument | undefined;
  private rec: Recording | undefined;
  private readonly checkpoints = new StateCheckpoints();
  private checkpointsFor = '';
  private generation = 0;
  private searchGeneration = 0;
  private recordTimer: NodeJS.Timeout | undefined;
  private selectionTimer: NodeJS.Timeout | undefined;
  private matchTargets: MatchTarget[] = [];
  /** The random-init control of the loaded model (same shape, random weights), made once per model. */
  private control: { model: LoadedModel; engine: Engine } | undefined;
  /** The loaded model's dictionary (looked up again for each recording while there is none). */
  private dictionary: ModelDictionary | undefined;
  /** The control dictionary: one of the same size trained on the random model's states, once per model. */
  private controlDictionary: { model: LoadedModel; dict?: SparseDictionary; running?: Promise<void>; failed?: string } | undefined;
  /** Stops the control dictionary's worker when the controller goes. */
  private readonly controlAbort = new AbortController();
  /** Tree-sitter parsers for the concept labels, loaded on first use (from dist/tree-sitter) and kept while the panel lives. */
  private parsers: SyntaxParsers | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: ModelStore,
    private readonly log: vscode.LogOutputChannel,
    /** Where Train Feature Dictionary saves the bundled model's dictionary (its folder belongs to the extension). */
    private readonly storageUri?: vscode.Uri,
  ) {
    this.subs.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && isCodeDocument(e.document) && e.document !== this.target) {
          this.target = e.document;
          this.scheduleRecord(0);
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.target && e.contentChanges.length > 0) this.scheduleRecord(RECORD_DEBOUNCE_MS);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e.textEditor)),
      store.onDidChange((s) => {
        if (s.kind !== 'ready') return this.post({ type: 'status', busy: true, message: 'Loading the model…' });
        this.checkpoints.clear();
        this.view = parseViewState(this.view, shapeOf(s.loaded));
        this.scheduleRecord(0);
      }),
    );
  }

  // ------------------------------------------------------------ panel life

  show(): void {
    this.adoptActiveEditor();
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(HEATMAP_VIEW_TYPE, 'LSTM Heatmap', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
    this.attach(panel);
  }

  /** The serializer's entry: a panel VS Code restored after a reload, with the state its webview saved. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    this.view = parseViewState(state, this.shape());
    panel.webview.options = this.webviewOptions();
    this.adoptActiveEditor();
    this.attach(panel);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    // Only media/ and the webview bundle can be loaded; no retainContextWhenHidden: the webview is rebuilt from the host's data when shown again.
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, ...WEBVIEW_BUNDLE.slice(0, -1))],
      enableFindWidget: true,
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'heatmap-icon.svg');
    const media = (f: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', f)).toString();
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...WEBVIEW_BUNDLE)).toString();
    panel.webview.html = webviewHtml({ cspSource: panel.webview.cspSource, scriptUri: script, styleUri: media('heatmap.css') });
    this.panelSubs.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseWebviewMessage(raw, this.shape());
        if (!msg) return this.log.warn(`heatmap: ignored a malformed message from the webview`);
        void this.onMessage(msg).catch((err: unknown) => this.fail(err));
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.generation++;
        this.searchGeneration++;
        this.rec = undefined;
        this.checkpoints.clear();
        for (const s of this.panelSubs.splice(0)) s.dispose();
      }),
    );
    this.scheduleRecord(0);
  }

  private adoptActiveEditor(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor && isCodeDocument(editor.document)) this.target = editor.document;
    else if (!this.target) this.target = vscode.window.visibleTextEditors.find((e) => isCodeDocument(e.document))?.document;
  }

  // ------------------------------------------------------------ messages

  private async onMessage(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        if (this.rec && this.rec.version === this.target?.version && this.rec.uri === this.target.uri.toString()) this.sendAll();
        else this.scheduleRecord(0);
        return;
      case 'addTracks':
      case 'removeTrack':
        this.setView(applyIntent(this.view, msg));
        this.sendTracks();
        return;
      case 'searchOptions':
        this.setView(applyIntent(this.view, msg));
        return;
      case 'reveal':
        return this.revealInEditor(this.target, msg.offset, msg.offset);
      case 'openMatch': {
        const m = this.matchTargets[msg.index];
        if (!m) return;
        const doc = await vscode.workspace.openTextDocument(m.uri);
        return this.revealInEditor(doc, m.start, m.end);
      }
      case 'hypothesis':
        this.setView(applyIntent(this.view, msg));
        return this.hypothesis();
      case 'export':
        return this.exportHtml();
    }
  }

  private post(message: HostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  /** The one place the view state changes; the webview is told (its inputs show it, and it mirrors it for the serializer). */
  private setView(view: ViewState): void {
    this.view = parseViewState(view, this.shape());
    this.post({ type: 'view', view: this.view });
  }

  private fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.log.error(`heatmap: ${message}`);
    this.post({ type: 'status', busy: false, message: `Error: ${message}` });
  }

  // ------------------------------------------------------------ recording

  private scheduleRecord(delayMs: number): void {
    if (!this.panel) return;
    clearTimeout(this.recordTimer);
    this.recordTimer = setTimeout(() => void this.record().catch((err: unknown) => this.fail(err)), delayMs);
  }

  /** Reads the target document with the model (from the nearest checkpoint) and records the window around the cursor. */
  private async record(): Promise<void> {
    const generation = ++this.generation;
    const doc = this.target;
    const status = this.store.status;
    if (!doc) return this.post({ type: 'status', busy: false, message: 'Open a file in an editor to see its activations.' });
    if (status.kind !== 'ready') return this.post({ type: 'status', busy: status.kind === 'loading', message: status.kind === 'loading' ? 'Loading the model…' : status.message });
    const model = status.loaded;
    const uri = doc.uri.toString();
    if (this.checkpointsFor !== uri) {
      this.checkpoints.clear();
      this.checkpointsFor = uri;
    }
    const text = doc.getText();
    const version = doc.version;
    const editor = editorFor(doc);
    const focus = editor ? doc.offsetAt(editor.selection.active) : (this.rec?.uri === uri ? this.rec.win.start : 0);
    const win = chooseWindow(text, focus);
    this.post({ type: 'status', busy: true, message: `Reading ${path.basename(doc.fileName)} with the model…` });
    const t0 = performance.now();
    const act = await recordWindow(model.engine, text, { start: win.start, end: win.end, checkpoints: this.checkpoints, yieldNow, isCancelled: () => generation !== this.generation || !this.panel });
    if (!act) return;
    const ms = performance.now() - t0;
    this.log.info(`heatmap: ${path.basename(doc.fileName)}: recorded ${act.chars} of ${text.length} chars (${act.stepsBeforeWindow} read before the window) in ${ms.toFixed(0)} ms`);
    await yieldNow();
    if (generation !== this.generation) return;
    const languageKey = doc.languageId !== 'plaintext' ? doc.languageId : doc.fileName;
    const current = () => generation === this.generation && !!this.panel;
    this.parsers ??= new SyntaxParsers();
    const { labels: conceptLabels, labelledBy, syntax } = await labelFileConcepts(text, languageKey, languageForFile(languageKey), this.parsers);
    if (!current()) return;
    const rankings = await rankConceptsOnWindowSliced(act, conceptLabels, win.start, CONCEPT_CANDIDATES, { yieldNow, isCancelled: () => !current() });
    if (!rankings || !current()) return;
    const errors = conceptErrorsOnWindow(act, conceptLabels, win.start, rankings);
    const concepts = conceptEntries(model.model.manifest.cells, rankings, undefined, errors);
    const dictionary = await this.dictionaryFor(model);
    let features: Recording['features'];
    if (dictionary.dict) {
      const codes = await encodeWindowSliced(dictionary.dict, act, model.engine.spec, { yieldNow, isCancelled: () => !current() });
      if (!codes || !current()) return;
      const findings = rankFeaturesOnWindow(codes, conceptLabels, win.start, FEATURE_CANDIDATES);
      features = { ...codes, findings, names: featureNames(findings) };
    }
    const featureList = features ? featureEntries(features.findings) : [];
    const rec: Recording = { uri, version, text, conceptLabels, labelledBy, win, act, model, rankings, errors, concepts, syntax, features, featureList };
    this.rec = rec;
    this.setView(this.view.tracks.length === 0 ? { ...this.view, tracks: defaultTracks(concepts, model.model.manifest.cells) } : this.view);
    this.sendAll();
    // Not awaited: callers that need the recording (export, Find Cells for Selection) do not wait for the control.
    void this.measureControl(rec, generation).catch((err: unknown) => this.fail(err));
  }

  /**
   * The random-init control beside the concept list: a random model of the
   * same shape reads the same text (from the file's start, like the model)
   * and its best score per concept on the window is what a listed cell must
   * beat to stand out. Time-sliced like the recording; dropped when a newer
   * recording starts.
   */
  private async measureControl(rec: Recording, generation: number): Promise<void> {
    if (this.control?.model !== rec.model) this.control = { model: rec.model, engine: randomEngineLike(rec.model.engine, 1) };
    const t0 = performance.now();
    const live = () => generation === this.generation && this.rec === rec && !!this.panel;
    const act = await recordWindow(this.control.engine, rec.text, { start: rec.win.start, end: rec.win.end, yieldNow, isCancelled: () => !live() });
    if (!act) return;
    const random = await rankConceptsOnWindowSliced(act, rec.conceptLabels, rec.win.start, 1, { yieldNow, isCancelled: () => !live() });
    if (!random || !live()) return;
    rec.concepts = conceptEntries(rec.model.model.manifest.cells, rec.rankings, random, rec.errors);
    this.log.info(`heatmap: random-init control measured on ${act.chars} chars in ${(performance.now() - t0).toFixed(0)} ms`);
    this.post({ type: 'conceptCells', entries: rec.concepts, labelledBy: rec.labelledBy });
    const t1 = performance.now();
    const syntaxList = await syntaxListOnWindow(rec.act, act, rec.syntax, rec.win.start, { yieldNow, isCancelled: () => !live() }, rec.labelledBy);
    if (!syntaxList || !live()) return;
    rec.syntaxList = syntaxList;
    this.log.info(`heatmap: ${syntaxList.entries.length} node types listed, ranked in ${(performance.now() - t1).toFixed(0)} ms`);
    this.post({ type: 'syntaxCells', ...syntaxList });
    if (rec.features) await this.measureFeatureControl(rec, act, live);
  }

  /**
   * The features' control: a dictionary of the same size and sparsity
   * trained (in the features worker, once per model) on the random model's
   * states of the first file the panel reads with that model, and read over
   * each window the same way as the model's own dictionary. On that first
   * file it is trained on the very text it is scored on: a generous control.
   */
  private async measureFeatureControl(rec: Recording, randomAct: WindowActivations, live: () => boolean): Promise<void> {
    const real = rec.features;
    const dict = this.dictionary?.model === rec.model ? this.dictionary.dict : null;
    if (!real || !dict) return;
    if (this.controlDictionary?.model !== rec.model) this.controlDictionary = { model: rec.model };
    const control = this.controlDictionary;
    if (!control.dict && !control.failed) {
      control.running ??= this.trainControlDictionary(rec, dict).then(
        (d) => void (control.dict = d),
        (err: unknown) => void (control.failed = err instanceof Error ? err.message : String(err)),
      );
      await control.running;
    }
    if (!live()) return;
    if (!control.dict) {
      rec.featureList = featureEntries(real.findings, undefined, `no random-model control (${control.failed ?? 'cancelled'})`);
      return this.sendFeatureList(rec);
    }
    const codes = await encodeWindowSliced(control.dict, randomAct, rec.model.engine.spec, { yieldNow, isCancelled: () => !live() });
    if (!codes || !live()) return;
    const random = rankFeaturesOnWindow(codes, rec.conceptLabels, rec.win.start, 1);
    rec.featureList = featureEntries(real.findings, random);
    this.sendFeatureList(rec);
  }

  private async trainControlDictionary(rec: Recording, dict: SparseDictionary): Promise<SparseDictionary> {
    const spec = rec.model.engine.spec;
    // The same weights as randomEngineLike(engine, 1), which recorded the control's window.
    const params = initParams(paramLayout(spec), 1);
    const outFile = path.join(os.tmpdir(), `lstm-lens-control-${process.pid}-${modelFingerprint(params)}-${dict.features}x${dict.k}.dict`);
    const t0 = performance.now();
    this.log.info(`heatmap: training the random model's control dictionary (${dict.features} features, k ${dict.k}) on ${path.basename(rec.uri)}`);
    const result = await runDictionaryInWorker(
      { spec, params, modelName: 'random baseline', texts: [{ name: rec.uri, text: rec.text }], maxChars: CONTROL_DICTIONARY_CHARS, train: { features: dict.features, k: dict.k, epochs: 3 }, outFile },
      this.controlAbort.signal,
      () => undefined,
    );
    try {
      if (!result.savedTo) throw new Error('the control dictionary was not saved');
      const loaded = await loadDictionary(result.savedTo);
      this.log.info(`heatmap: control dictionary trained on ${result.rows} chars in ${((performance.now() - t0) / 1000).toFixed(1)} s (FVU ${result.metrics?.fvu.toFixed(3) ?? '?'})`);
      return loaded.dict;
    } finally {
      await fs.promises.rm(outFile, { force: true });
    }
  }

  /**
   * The model's dictionary: the file its manifest (model.json, read again
   * from disk, so one trained since the model loaded is found) lists beside
   * it, or for the bundled model the one Train Feature Dictionary saved in
   * the extension's storage. Checked against the model's weights.
   */
  private async dictionaryFor(model: LoadedModel): Promise<ModelDictionary> {
    if (this.dictionary?.model === model && this.dictionary.dict) return this.dictionary;
    const none = 'No feature dictionary for this model: run “LSTM Lens: Train Feature Dictionary” (or lstm-lens features train) to make one.';
    let found: ModelDictionary = { model, dict: null, note: none };
    try {
      const file = (await manifestDictionaryPath(model.dir)) ?? this.storedDictionaryPath(model);
      if (file) {
        const { dict, info } = await loadDictionary(file);
        checkDictionaryFitsModel(info, dict, model.engine.spec, model.model.params, path.basename(file));
        found = { model, dict, note: `${dict.features} features, ${dict.k} active per character at most (${path.basename(file)})` };
        this.log.info(`heatmap: feature dictionary ${file}: ${found.note}`);
      }
    } catch (err) {
      found = { model, dict: null, note: `The feature dictionary cannot be used: ${err instanceof Error ? err.message : String(err)}` };
      this.log.warn(`heatmap: ${found.note}`);
    }
    if (this.dictionary?.model !== model || this.dictionary.note !== found.note) {
      this.dictionary = found;
      // The shape changed (features known now): re-check the view's feature tracks against it.
      this.view = parseViewState(this.view, this.shape());
    }
    return found;
  }

  private storedDictionaryPath(model: LoadedModel): string | null {
    if (model.source !== 'bundled' || !this.storageUri) return null;
    const file = path.join(this.storageUri.fsPath, 'features', `${modelFingerprint(model.model.params)}.dict`);
    return fs.existsSync(file) ? file : null;
  }

  private sendFeatureList(rec: Recording): void {
    const dictionary = this.dictionary?.model === rec.model ? this.dictionary : undefined;
    this.post({ type: 'featureList', entries: rec.featureList, features: rec.features?.features ?? 0, note: dictionary?.note ?? '' });
  }

  private sendAll(): void {
    const rec = this.rec;
    if (!rec || !this.panel) return;
    const { win, text, model } = rec;
    const totalLines = lineCount(text);
    const windowLines = lineCount(text.slice(win.start, win.end));
    const note =
      win.start > 0 || win.end < text.length
        ? `Large file: showing lines ${win.startLine + 1}–${win.startLine + windowLines} of ${totalLines} (${win.end - win.start} of ${text.length} characters, at most ${HEATMAP_WINDOW_CHARS} at once). The model read the file from its start; move the cursor to move the window.`
        : '';
    this.panel.title = `LSTM Heatmap: ${path.basename(this.target?.fileName ?? 'file')}`;
    this.post({ type: 'model', name: model.name, shape: model.shape, hidden: [...model.engine.spec.hidden], hasMemoryCell: model.engine.cell === 'lstm' });
    this.post({ type: 'view', view: this.view });
    this.post({
      type: 'document',
      fileName: vscode.workspace.asRelativePath(vscode.Uri.parse(rec.uri)),
      text: text.slice(win.start, win.end),
      offset: win.start,
      startLine: win.startLine,
      totalChars: text.length,
      note,
    });
    this.sendTracks();
    this.post({ type: 'conceptCells', entries: rec.concepts, labelledBy: rec.labelledBy });
    this.post({ type: 'syntaxCells', ...(rec.syntaxList ?? { entries: [], note: SYNTAX_PENDING }) });
    this.sendFeatureList(rec);
    this.post({ type: 'saturation', layers: gateChart(rec.act) });
    const editor = this.target && editorFor(this.target);
    if (editor) this.sendSelection(editor);
    this.post({ type: 'status', busy: false, message: '' });
  }

  private sendTracks(): void {
    const rec = this.rec;
    if (!rec) return;
    const tracks = buildTracks(rec.act, this.view.tracks, rec.model.model.manifest.cells, trackFeatures(rec));
    this.post({ type: 'tracks', tracks });
  }

  // ------------------------------------------------------------ editor events

  private onSelection(editor: vscode.TextEditor): void {
    if (!this.panel || editor.document !== this.target) return;
    const rec = this.rec;
    const offset = editor.document.offsetAt(editor.selection.active);
    this.post({ type: 'cursor', offset });
    if (rec && rec.version === editor.document.version && !windowHolds(rec.win, offset, rec.text.length)) this.scheduleRecord(RECORD_DEBOUNCE_MS);
    clearTimeout(this.selectionTimer);
    this.selectionTimer = setTimeout(() => this.sendSelection(editor), SELECTION_DEBOUNCE_MS);
  }

  /** The top cells for the editor's selection (when it lies inside the recorded window). */
  private sendSelection(editor: vscode.TextEditor): void {
    const rec = this.rec;
    if (!rec || editor.document.version !== rec.version || editor.document.uri.toString() !== rec.uri) return;
    const start = editor.document.offsetAt(editor.selection.start);
    const end = editor.document.offsetAt(editor.selection.end);
    this.post({ type: 'cursor', offset: editor.document.offsetAt(editor.selection.active) });
    if (end <= start) return this.post({ type: 'selectionCells', entries: [], selection: null });
    if (start < rec.win.start || end > rec.win.end) return this.post({ type: 'selectionCells', entries: [], selection: { start, end }, note: 'The selection reaches outside the recorded window.' });
    this.post({ type: 'selectionCells', entries: selectionCells(rec.act, start - rec.win.start, end - rec.win.start), selection: { start, end } });
  }

  /** `Find Cells for Selection`: opens the panel and shows the selection's top cells as tracks. */
  async findCellsForSelection(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage('LSTM Lens: select some code first, then run Find Cells for Selection.');
      return;
    }
    // Revealing a panel that is already in view can move it to another group and reload its webview.
    if (!this.panel?.visible) this.show();
    this.target = editor.document;
    const rec = await this.recordingFor(editor.document);
    if (!rec) return;
    const start = editor.document.offsetAt(editor.selection.start) - rec.win.start;
    const end = editor.document.offsetAt(editor.selection.end) - rec.win.start;
    const entries = selectionCells(rec.act, start, end);
    this.log.info(`heatmap: find cells for selection ${start}–${end} of the window: ${entries.length} cells (${entries.slice(0, 3).map((e) => e.title).join(', ')})`);
    if (entries.length === 0) {
      void vscode.window.showInformationMessage('LSTM Lens: no cell stands out over the selection; select a longer span, or one outside the recorded window.');
      return;
    }
    this.setView({ ...this.view, tracks: entries.slice(0, 3).map((e) => ({ type: 'cell', ...e.ref })) });
    this.sendTracks();
    this.sendSelection(editor);
  }

  /** The recording of doc's current version (recording it now if needed); undefined when cancelled or impossible. */
  private async recordingFor(doc: vscode.TextDocument): Promise<Recording | undefined> {
    const current = () => (this.rec && this.rec.uri === doc.uri.toString() && this.rec.version === doc.version ? this.rec : undefined);
    if (current()) return current();
    clearTimeout(this.recordTimer);
    await this.record();
    return current();
  }

  // ------------------------------------------------------------ hypothesis search

  private async hypothesis(): Promise<void> {
    const doc = this.target;
    const editor = doc && editorFor(doc);
    if (!doc || !editor || editor.selection.isEmpty) {
      return this.post({ type: 'hypothesis', cells: [], features: [], matches: [], note: 'Select a span in the editor first: the cells on throughout it form the hypothesis.' });
    }
    const rec = await this.recordingFor(doc);
    if (!rec) return;
    const start = doc.offsetAt(editor.selection.start);
    const end = doc.offsetAt(editor.selection.end);
    if (start < rec.win.start || end > rec.win.end) return this.post({ type: 'hypothesis', cells: [], features: [], matches: [], note: 'The selection reaches outside the recorded window.' });
    const { threshold, offAround, scope } = this.view;
    const found = hypothesisInWindow(rec.act, start, end, threshold, offAround, rec.features);
    const refs: CellRef[] = found.cells.map((c) => c.ref).slice(0, MAX_HYPOTHESIS_CELLS);
    const featureText = rec.features ? ` and ${found.features.length} dictionary feature${found.features.length === 1 ? '' : 's'}` : '';
    const summary = `${found.cells.length} cell${found.cells.length === 1 ? '' : 's'}${featureText} above ${threshold} at every selected character${offAround ? ` and at most ${threshold} for ${offAround} characters around it` : ''}.`;
    if (refs.length === 0 || scope === 'file') {
      this.matchTargets = found.matches.map((m) => ({ uri: doc.uri, start: m.start, end: m.end }));
      const matches = found.matches.map((m, index) => ({ index, where: `line ${doc.positionAt(m.start).line + 1}`, preview: rec.text.slice(m.start, Math.min(m.end, m.start + 120)), overlap: m.overlap, chars: m.end - m.start }));
      return this.post({ type: 'hypothesis', cells: found.cells, features: found.features, matches, note: `${summary} ${matches.length} other place${matches.length === 1 ? '' : 's'} in the recorded window.` });
    }
    // Workspace matches are found by the cells alone: other files are read by the model without the dictionary.
    await this.searchWorkspace(rec, refs, threshold, found.cells, found.features, found.features.length ? `${summary} Workspace matches use the cells only.` : summary, { uri: doc.uri, start, end });
  }

  private async searchWorkspace(rec: Recording, refs: CellRef[], threshold: number, cells: CellEntry[], features: FeatureEntry[], summary: string, selection: MatchTarget): Promise<void> {
    const generation = ++this.searchGeneration;
    this.post({ type: 'status', busy: true, message: 'Searching the workspace…' });
    const uris = await vscode.workspace.findFiles(WORKSPACE_GLOB, WORKSPACE_EXCLUDE, WORKSPACE_MAX_FILES);
    const sources: { name: string; text: string; uri: vscode.Uri }[] = [];
    for (const uri of uris) {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.length > 4 * WORKSPACE_MAX_CHARS * 4) continue;
      sources.push({ name: uri.toString(), text: new TextDecoder().decode(bytes), uri });
    }
    const result = await searchMatches(rec.model.engine, sources, refs, threshold, {
      maxCharsPerFile: WORKSPACE_MAX_CHARS,
      yieldNow,
      isCancelled: () => generation !== this.searchGeneration || !this.panel,
    });
    if (!result) return;
    const selUri = selection.uri.toString();
    const kept = result.matches.filter((m) => !(m.name === selUri && m.start < selection.end && m.end > selection.start));
    this.matchTargets = kept.map((m) => ({ uri: vscode.Uri.parse(m.name), start: m.start, end: m.end }));
    const matches = kept.map((m, index) => {
      const text = sources.find((s) => s.name === m.name)?.text ?? '';
      return { index, where: `${vscode.workspace.asRelativePath(vscode.Uri.parse(m.name))}:${lineCount(text.slice(0, m.start))}`, preview: m.preview.slice(0, 120), overlap: m.overlap, chars: m.end - m.start };
    });
    this.post({ type: 'hypothesis', cells, features, matches, note: `${summary} ${matches.length} matches in ${result.filesSearched} workspace files (first ${WORKSPACE_MAX_CHARS} characters of each).` });
    this.post({ type: 'status', busy: false, message: '' });
  }

  // ------------------------------------------------------------ editor and export

  private async revealInEditor(doc: vscode.TextDocument | undefined, start: number, end: number): Promise<void> {
    if (!doc) return;
    const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
    const shown = editorFor(doc);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** `Export as HTML`: the window's text with the current tracks, as a self-contained file. Takes a target for automation. */
  async exportHtml(target?: vscode.Uri): Promise<void> {
    const doc = this.target;
    const rec = doc && (await this.recordingFor(doc));
    if (!doc || !rec) {
      void vscode.window.showInformationMessage('LSTM Lens: open the heatmap on a file first.');
      return;
    }
    const base = path.basename(doc.fileName);
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: 'Export Heatmap as HTML',
        defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(path.dirname(doc.fileName)), `${base}.heatmap.html`),
        filters: { HTML: ['html'] },
      }));
    if (!uri) return;
    const tracks = buildTracks(rec.act, this.view.tracks, rec.model.model.manifest.cells, trackFeatures(rec));
    const note = rec.win.start > 0 || rec.win.end < rec.text.length ? `Characters ${rec.win.start}–${rec.win.end} of ${rec.text.length}.` : undefined;
    const html = exportHeatmapHtml({ fileName: vscode.workspace.asRelativePath(doc.uri), text: rec.text.slice(rec.win.start, rec.win.end), tracks, modelName: `${rec.model.name} (${rec.model.shape})`, note });
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(html));
    this.log.info(`heatmap: exported ${uri.toString()}`);
    this.post({ type: 'status', busy: false, message: `Exported ${path.basename(uri.path)}` });
    if (!target) void vscode.window.showInformationMessage(`LSTM Lens: heatmap exported to ${uri.fsPath}`);
  }

  private shape(): ModelShape | undefined {
    const s = this.store.status;
    if (s.kind !== 'ready') return undefined;
    const known = this.dictionary?.model === s.loaded ? { features: this.dictionary.dict?.features ?? 0 } : {};
    return { ...shapeOf(s.loaded), ...known };
  }

  dispose(): void {
    this.controlAbort.abort();
    clearTimeout(this.recordTimer);
    clearTimeout(this.selectionTimer);
    this.generation++;
    this.searchGeneration++;
    this.panel?.dispose();
    for (const s of this.subs.splice(0)) s.dispose();
    for (const s of this.panelSubs.splice(0)) s.dispose();
    this.parsers?.dispose();
    this.parsers = undefined;
  }
}

/** The panel's commands and serializer. */
export function registerHeatmap(extensionUri: vscode.Uri, store: ModelStore, log: vscode.LogOutputChannel, storageUri?: vscode.Uri): vscode.Disposable[] {
  const controller = new HeatmapController(extensionUri, store, log, storageUri);
  return [
    controller,
    vscode.commands.registerCommand(HEATMAP_COMMANDS.show, () => controller.show()),
    vscode.commands.registerCommand(HEATMAP_COMMANDS.findCellsForSelection, () => controller.findCellsForSelection()),
    vscode.commands.registerCommand(HEATMAP_COMMANDS.exportHtml, (target?: unknown) => controller.exportHtml(target instanceof vscode.Uri ? target : undefined)),
    vscode.window.registerWebviewPanelSerializer(HEATMAP_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => controller.restore(panel, state),
    }),
  ];
}

/**
 * The starting view: one concept cell as every character's background, the
 * way the 2015 figures show a cell: the model's named string cell, else the
 * best string cell measured on this file, else the comment cell.
 */
function defaultTracks(concepts: CellEntry[], named: Record<string, NamedCell> | undefined): TrackSpec[] {
  for (const name of ['inString', 'inComment']) {
    const c = named?.[name];
    const ref = c ? { layer: c.layer, cell: c.cell, kind: c.kind } : concepts.find((e) => e.title.startsWith(`${name} ·`) && e.detail.startsWith('this file'))?.ref;
    if (ref) return [{ type: 'cell', ...ref }];
  }
  return [{ type: 'cell', layer: 0, cell: 0, kind: 'h' }];
}

function trackFeatures(rec: Recording): TrackFeatures | undefined {
  return rec.features && { codes: rec.features.codes, names: rec.features.names };
}

/** The dictionary file the model's manifest lists, read from model.json on disk; null when it lists none or cannot be read. */
async function manifestDictionaryPath(dir: string): Promise<string | null> {
  let manifest: ModelManifest | undefined;
  try {
    const json = JSON.parse(await fs.promises.readFile(path.join(dir, MODEL_JSON), 'utf8')) as { userDefinedMetadata?: { lstmLens?: ModelManifest } };
    manifest = json.userDefinedMetadata?.lstmLens;
  } catch {
    return null;
  }
  return manifest ? dictionaryPathOf(dir, manifest) : null;
}

function shapeOf(loaded: LoadedModel): ModelShape {
  return { hidden: loaded.engine.spec.hidden, hasMemoryCell: loaded.engine.cell === 'lstm' };
}

/** Editors' documents, not output channels, logs or the like. */
function isCodeDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme !== 'output' && doc.uri.scheme !== 'debug' && !doc.uri.scheme.startsWith('vscode-') && doc.uri.scheme !== 'git';
}

function editorFor(doc: vscode.TextDocument): vscode.TextEditor | undefined {
  return vscode.window.visibleTextEditors.find((e) => e.document === doc);
}

function lineCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
