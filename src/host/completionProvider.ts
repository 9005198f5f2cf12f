import * as vscode from 'vscode';
import { Engine } from '../core/engine';
import {
  Completion,
  CompletionRequest,
  CompletionService,
  ServedCompletion,
  TextSource,
  WorkspaceMatchIndex,
  WorkspaceNameIndex,
  lineSuffixAllowsCompletion,
  lineSuffixAt,
  mayGrow,
} from '../core/completion';
import { ModelStore } from './modelStore';
import { SettingsReader } from './settings';

/** Lines longer than this before the cursor get an insertion instead of a replacement from the line start. */
const MAX_REPLACED_PREFIX = 1000;

/**
 * A TextSource over a TextDocument that reads only the ranges asked for
 * (never the whole document). VS Code offsets count '\r\n' as two; a
 * position cannot point between them, so an offset there is read exactly
 * by trimming or padding the '\r'.
 */
export function documentTextSource(document: vscode.TextDocument): TextSource {
  const last = document.lineAt(document.lineCount - 1);
  const length = document.offsetAt(last.range.end);
  return {
    length,
    slice(start: number, end: number): string {
      if (end <= start) return '';
      const from = document.positionAt(start);
      const to = document.positionAt(end);
      let text = document.getText(new vscode.Range(from, to));
      const a = document.offsetAt(from);
      const b = document.offsetAt(to);
      if (start > a) text = text.slice(start - a);
      if (end > b) text += '\r'.repeat(end - b);
      return text;
    },
  };
}

function delay(ms: number, token: vscode.CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const sub = token.onCancellationRequested(done);
  });
}

/**
 * Inline completions from the LSTM, for every file whose language is on.
 *
 * Per request: settings and language check; the cache (exact or
 * typed-through: served at once, except that a typed-through answer cut
 * short is searched again at once, without the debounce, and served longer
 * if the search goes on past it: CompletionService.grow); the line-suffix
 * rule; the debounce (not for an explicit trigger); then
 * CompletionService.complete, which checks
 * `isCancelled` between slices of work. A newer request cancels an older
 * one, as does the token, closing the document, or a model change. The
 * suggest widget's selected item is completed after its text, on its range,
 * as VS Code requires for the preview to show.
 *
 * Items replace the line from its start to the cursor with the line prefix
 * plus the completion (VS Code then keeps showing it while the user deletes
 * typed text), and are plain InlineCompletionItems, so VS Code's partial
 * accept (next word, next line) works.
 */
export class LstmInlineCompletionProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  private service: CompletionService | undefined;
  private serviceEngine: Engine | undefined;
  private latestRequest = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: ModelStore,
    private readonly settings: SettingsReader,
    private readonly log: vscode.LogOutputChannel,
    /** The engine that learns typed text, when lstmLens.completion.dynamicEvaluation is on (DynamicEvaluationHost). */
    private readonly adaptedEngine: () => Engine | undefined = () => undefined,
    /** The workspace's names for the word memory (WorkspaceIndexHost), read at each search. */
    private readonly workspaceNames: () => WorkspaceNameIndex | undefined = () => undefined,
    /** The workspace's text for the document cache (WorkspaceIndexHost), read at each search. */
    private readonly workspaceMatches: () => WorkspaceMatchIndex | undefined = () => undefined,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!this.service || e.contentChanges.length === 0) return;
        let first = Infinity;
        for (const change of e.contentChanges) first = Math.min(first, change.rangeOffset);
        this.service.edit(e.document.uri.toString(), e.document.version, first);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.service?.close(document.uri.toString())),
      store.onDidChange(() => {
        // States belong to one model; a new model starts afresh.
        if (this.currentEngine() !== this.serviceEngine) {
          this.service = undefined;
          this.serviceEngine = undefined;
        }
      }),
    );
  }

  private currentEngine(): Engine | undefined {
    return this.store.engine ? (this.adaptedEngine() ?? this.store.engine) : undefined;
  }

  private currentService(): CompletionService | undefined {
    const engine = this.currentEngine();
    if (!engine) return undefined;
    if (engine !== this.serviceEngine) {
      this.service = new CompletionService(engine);
      this.service.workspaceNames = this.workspaceNames;
      this.service.workspaceMatches = this.workspaceMatches;
      this.serviceEngine = engine;
    }
    return this.service;
  }

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = this.settings.get(document);
    const where = `${position.line + 1}:${position.character + 1}`;
    if (!this.settings.enabledFor(document)) {
      this.log.trace(`completion off for ${document.languageId} at ${where}`);
      return undefined;
    }
    if (token.isCancellationRequested) return undefined;
    const service = this.currentService();
    if (!service) return undefined;
    const id = ++this.latestRequest;
    const text = documentTextSource(document);
    const docId = document.uri.toString();
    const info = context.selectedCompletionInfo;
    let request: CompletionRequest;
    if (info) {
      // Complete after the selected suggestion, on its range (one line only).
      if (!info.range.isSingleLine || info.text.includes('\n') || !info.range.contains(position)) return undefined;
      request = { docId, version: document.version, text, offset: document.offsetAt(info.range.end), selected: { start: document.offsetAt(info.range.start), text: info.text } };
    } else {
      request = { docId, version: document.version, text, offset: document.offsetAt(position) };
    }

    const isCancelled = () =>
      token.isCancellationRequested || id !== this.latestRequest || document.isClosed || document.version !== request.version || this.service !== service;
    const cached = service.lookup(request, settings);
    if (cached && !mayGrow(cached)) return this.items(document, position, info, cached, 0);
    // A typed-through answer that may grow is searched again at once: the user is typing what was shown.
    if (!cached) {
      if (!lineSuffixAllowsCompletion(lineSuffixAt(text, request.offset))) return undefined;
      if (context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic && settings.debounceMs > 0) {
        await delay(settings.debounceMs, token);
      }
      if (isCancelled()) return undefined;
    }

    const t0 = performance.now();
    let served: ServedCompletion | undefined;
    try {
      served = cached ? await service.grow(request, settings, cached, isCancelled) : await service.complete(request, settings, isCancelled);
    } catch (err) {
      this.log.error(`completion failed in ${document.uri.fsPath || docId}: ${(err as Error).stack ?? String(err)}`);
      if (!cached) return undefined;
      // The rest of what was shown still stands.
      served = cached;
    } finally {
      // Closed while we worked: whatever the request stored goes too.
      if (document.isClosed) service.close(docId);
    }
    if (!served) {
      this.log.trace(`completion none at ${where}${isCancelled() ? ' (cancelled)' : ''}`);
      return undefined;
    }
    return this.items(document, position, info, served, served === cached ? 0 : performance.now() - t0);
  }

  private items(
    document: vscode.TextDocument,
    position: vscode.Position,
    info: vscode.SelectedCompletionInfo | undefined,
    served: ServedCompletion,
    ms: number,
  ): vscode.InlineCompletionItem[] {
    const completion: Completion = served.completion;
    let insert = completion.text;
    if (document.eol === vscode.EndOfLine.CRLF) insert = insert.replace(/\n/g, '\r\n');
    this.log.trace(`completion ${served.source} ${ms.toFixed(1)} ms at ${position.line + 1}:${position.character + 1} (${completion.stop}): ${JSON.stringify(completion.text)}`);
    if (info) return [new vscode.InlineCompletionItem(info.text + insert, info.range)];
    if (position.character <= MAX_REPLACED_PREFIX) {
      const prefix = document.lineAt(position.line).text.slice(0, position.character);
      return [new vscode.InlineCompletionItem(prefix + insert, new vscode.Range(position.line, 0, position.line, position.character))];
    }
    return [new vscode.InlineCompletionItem(insert, new vscode.Range(position, position))];
  }

  /** Diagnostics for the log and tests: the states and cache of the current model. */
  stats(): { documents: number; stateBytes: number; steps: number; cacheEntries: number } | undefined {
    if (!this.service) return undefined;
    const s = this.service.states.stats();
    return { documents: s.documents, stateBytes: s.bytes, steps: s.steps, cacheEntries: this.service.cache.size };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.service = undefined;
    this.serviceEngine = undefined;
  }
}
