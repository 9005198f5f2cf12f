import * as vscode from 'vscode';
import { WorkspaceMatchIndex, WorkspaceNameIndex, WorkspaceNames, WorkspaceTexts } from '../core/completion';
import { DEFAULT_CONTENT_RULES } from '../core/corpus/contentCheck';
import { readTrainingSettings } from '../core/workspaceTraining/trainingSettings';
import { selectWorkspaceCorpus } from '../core/workspaceTraining/workspaceCorpus';
import { ModelSource } from './modelStore';
import { SettingsReader } from './settings';
import { listWorkspaceFiles } from './workspaceTraining/workspaceFiles';

/** Characters of names counted between two yields to the event loop while the index is built. */
const SLICE_CHARS = 64 * 1024;

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Keeps what completions read from the workspace's other files: their names
 * for the word memory (core/completion/workspaceNames.ts) and their text for
 * the document cache (core/completion/workspaceMatch.ts). The files are the
 * workspace's source files as Train on Workspace selects them (its
 * include/exclude and size cap), read once when either setting is on,
 * counted file by file with a yield every SLICE_CHARS so typing never waits;
 * a saved file is read again; other open documents count while open. The
 * workspace's files are read only in a trusted workspace (like the automatic
 * training, not the command; open documents count either way), and again
 * when trust is granted.
 */
export class WorkspaceIndexHost implements vscode.Disposable {
  private readonly names = new WorkspaceNames();
  private readonly texts = new WorkspaceTexts();
  /** Ids (document URIs) of the workspace files counted. */
  private readonly corpusFiles = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readState: 'no' | 'reading' | 'read' = 'no';
  private indexTimer: ReturnType<typeof setTimeout> | undefined;
  /** The indexes as last built: a search reads these, so that no search waits for a build (a sort of every name, a hash of every character). */
  private built: WorkspaceNameIndex | undefined;
  private builtMatches: WorkspaceMatchIndex | undefined;
  /** The build running (at most one), and whether a change since it started asks for another after it. */
  private building: Promise<void> | undefined;
  private buildAgain = false;

  constructor(
    private readonly settings: SettingsReader,
    private readonly log: vscode.LogOutputChannel,
    /** Where the completion model in use came from (undefined while none is ready). */
    private readonly modelSource: () => ModelSource | undefined = () => undefined,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.countOpen(d)),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (!this.corpusFiles.has(d.uri.toString())) return this.countOpen(d);
        this.setFile(d.uri.toString(), d.getText());
        this.rebuildSoon();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        // A workspace file keeps its counts (the text as last saved or opened); other documents go.
        if (this.corpusFiles.has(d.uri.toString()) || !this.names.has(d.uri.toString())) return;
        this.names.deleteFile(d.uri.toString());
        this.texts.deleteFile(d.uri.toString());
        this.rebuildSoon();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.start()),
      settings.onDidChange(() => this.start()),
    );
  }

  /**
   * The index the completion service reads at each search (undefined while
   * the setting is off, before the first build, and while the model in use
   * was trained on this workspace: it has learned the names, and offering
   * them too cost keystrokes on every project measured, README "The names
   * the workspace uses").
   */
  index(): WorkspaceNameIndex | undefined {
    return this.wantNames() && this.modelSource() !== 'trained' ? this.built : undefined;
  }

  /** The other files' text for the document cache (undefined while the setting is off, and before the first build). */
  matches(): WorkspaceMatchIndex | undefined {
    return this.wantMatches() ? this.builtMatches : undefined;
  }

  /** Counts the open documents, and reads the workspace's files when the setting is on and the workspace trusted (once). */
  start(): void {
    if (!this.wanted()) return;
    for (const d of vscode.workspace.textDocuments) this.countOpen(d);
    if (this.readState !== 'no' || !vscode.workspace.isTrusted) return;
    this.readState = 'reading';
    this.read().then(
      () => (this.readState = 'read'),
      (err: unknown) => {
        this.readState = 'no';
        this.log.warn(`workspace index: reading the workspace failed: ${(err as Error).message}`);
      },
    );
  }

  private wantNames(): boolean {
    const s = this.settings.get();
    return s.wordMemory && s.workspaceNames === true;
  }

  private wantMatches(): boolean {
    const s = this.settings.get();
    return s.documentMatch && s.workspaceMatch === true;
  }

  private wanted(): boolean {
    return this.wantNames() || this.wantMatches();
  }

  private setFile(id: string, text: string): void {
    this.names.setFile(id, text);
    this.texts.setFile(id, text);
  }

  /**
   * Builds both indexes; the text's in slices between which typing goes on
   * (the completion bench builds 4 MB in one go in under 200 ms, README
   * "Latency"). One build at a time: asked while one runs, it builds once
   * more after it, with every change made meanwhile, and the promise
   * returned settles when the indexes hold them.
   */
  private build(): Promise<void> {
    if (this.building) {
      this.buildAgain = true;
      return this.building;
    }
    const run = async (): Promise<void> => {
      try {
        do {
          this.buildAgain = false;
          if (this.wantNames()) this.built = this.names.offered();
          if (this.wantMatches()) this.builtMatches = await this.texts.indexInSlices(nextMacrotask);
        } while (this.buildAgain);
      } finally {
        this.building = undefined;
      }
    };
    this.building = run();
    return this.building;
  }

  /** Another open document (a file or an unsaved one, not an output panel or a git view), within the corpus' size limit. */
  private countOpen(d: vscode.TextDocument): void {
    if (!this.wanted() || (d.uri.scheme !== 'file' && d.uri.scheme !== 'untitled')) return;
    const text = d.getText();
    if (text.length > DEFAULT_CONTENT_RULES.maxFileBytes) return;
    this.setFile(d.uri.toString(), text);
    this.rebuildSoon();
  }

  /** Builds the capped index after a burst of changes, off the completion path; searches keep the previous one until then. */
  private rebuildSoon(): void {
    if (this.indexTimer) clearTimeout(this.indexTimer);
    this.indexTimer = setTimeout(() => {
      this.indexTimer = undefined;
      this.build().catch((err: unknown) => this.log.warn(`workspace index: building it failed: ${(err as Error).message}`));
    }, 300);
  }

  private async read(): Promise<void> {
    const started = Date.now();
    const { settings } = readTrainingSettings((name) => vscode.workspace.getConfiguration('lstmLens').get(name));
    const listed = await listWorkspaceFiles(this.log);
    const corpus = await selectWorkspaceCorpus(listed, { include: settings.include, exclude: settings.exclude, maxTotalBytes: settings.maxCorpusMB * 1024 * 1024 });
    let sinceYield = 0;
    for (const file of corpus.files) {
      const id = vscode.Uri.file(file.path).toString();
      this.corpusFiles.add(id);
      // An open document's own text (maybe unsaved) was counted already and stays.
      if (!this.names.has(id)) this.setFile(id, file.text);
      sinceYield += file.text.length;
      if (sinceYield >= SLICE_CHARS) {
        sinceYield = 0;
        await nextMacrotask();
      }
    }
    await nextMacrotask();
    await this.build();
    this.log.info(
      `workspace index: ${corpus.files.length} files, ${this.names.nameCount} names (${this.built?.index.size ?? 0} in the index), ${this.builtMatches?.size ?? 0} characters of text to match, in ${Date.now() - started} ms`,
    );
  }

  dispose(): void {
    if (this.indexTimer) clearTimeout(this.indexTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
