import * as path from 'path';
import { CompletionService, DEFAULT_SETTINGS, SearchSettings } from '../core/completion';
import { WorkspaceNames } from '../core/completion/workspaceNames';
import { WorkspaceMatchIndex } from '../core/completion/workspaceMatch';
import { collectCorpus } from '../core/corpus';
import { DEFAULT_DYNAMIC_EVAL } from '../core/dynamicEval/dynamicEvaluator';
import { LocalDynamicEvaluation } from '../core/dynamicEval/localDynamicEvaluation';
import { Engine } from '../core/engine';
import { WasmOps, createFastestOps } from '../core/kernels/wasmOps';
import { loadModel } from '../core/model/modelFiles';
import { describeSpec } from '../core/modelSpec';
import { readSourceFile } from '../cli/readSourceFile';
import { requestAfterKeystroke, typeKeystroke } from './typedKeystroke';

export interface CompletionBenchOptions {
  modelDir: string;
  file: string;
  /** Beam width; 1 is greedy. */
  beam: number;
  maxChars: number;
  multiline?: boolean;
  maxLines?: number;
  minCharProb?: number;
  minExpectedSaving?: number;
  /** The document cache (documentMatch.ts); default on, as in the editor. */
  documentMatch?: boolean;
  /** The word memory (wordMemory.ts); default on, as in the editor. */
  wordMemory?: boolean;
  /**
   * A folder whose source files (read with the corpus rules, the typed file
   * left out) are the workspace whose names the word memory offers and
   * whose text the document cache matches, as the editor does with
   * `lstmLens.completion.workspaceNames` and `workspaceMatch`. Unset: no
   * workspace, as in a folder-less window.
   */
  workspaceDir?: string;
  /** Offset where typing starts (the state there is built first, timed separately). Default 0. */
  startOffset?: number;
  /** Most characters to type. Default: to the end of the file. */
  limit?: number;
  /** Ask for a completion at every n-th keystroke (1: every keystroke, like an editor without debounce). Default 1. */
  every?: number;
  /** Search at every request, never serving a typed-through completion from the cache. */
  noCache?: boolean;
  /**
   * Dynamic evaluation on, as `lstmLens.completion.dynamicEvaluation`: the
   * typed text is learned in windows and the adapted weights are swapped
   * into the completion engine. The editor runs the steps in a worker, so
   * only the swap (Engine.loadParams) is timed as the host's cost; the steps
   * run here between keystrokes, untimed.
   */
  dynamicEval?: boolean;
  /** Called about every 1,000 characters typed. */
  onProgress?: (typed: number, total: number) => void;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface CompletionBenchResult extends LatencySummary {
  file: string;
  model: string;
  ops: string;
  beam: number;
  maxChars: number;
  multiline: boolean;
  /** Characters typed. */
  typed: number;
  /** Completion requests made (every `every`-th keystroke where the rest of the line allows one). */
  requests: number;
  /** Requests answered by a search (the rest came from the cache). */
  searched: LatencySummary;
  /** Requests answered from the typed-through cache. */
  typedThrough: number;
  /** Requests that produced a completion. */
  shown: number;
  /** Completions that the file really continues with, exactly. */
  exactMatches: number;
  /** Characters of those completions (what accepting them would have saved). */
  matchedChars: number;
  /** ms to build the state at startOffset before typing. */
  firstStateMs: number;
  /** The workspace's names (with workspaceDir): files read, distinct names, ms to build the index once. */
  workspaceNames?: { files: number; names: number; buildMs: number };
  /** The workspace's text for the document cache (with workspaceDir): characters indexed, ms to build the index once. */
  workspaceMatch?: { chars: number; buildMs: number };
  /** With dynamicEval: the weight swaps made and what each cost the host thread. */
  weightSwaps?: LatencySummary;
  /** Per-keystroke state update: invalidate from the typed offset, step to the new cursor. */
  keystroke: { p50Us: number; p95Us: number; p99Us: number; maxUs: number; meanUs: number; stepsPerKeystroke: number };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Count, percentiles, max and mean of latencies in ms. */
export function summarizeLatencies(ms: number[]): LatencySummary {
  const sorted = [...ms].sort((a, b) => a - b);
  const sum = ms.reduce((a, b) => a + b, 0);
  return {
    count: ms.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : 0,
    meanMs: ms.length ? sum / ms.length : 0,
  };
}

/**
 * Replays typing a file, in process, on the provider's own code path
 * (CompletionService: DocumentStates, CompletionCache, completeAt), without
 * VS Code and without debouncing.
 *
 * The file is typed one character at a time, front to back, in an editor
 * that auto-closes brackets and quotes: while a line is typed, the document
 * holds the typed text, the closers of what the line opened, and the lines
 * after it. Each keystroke is an edit at its offset (states after it are
 * dropped) and a state update at the new cursor, which costs one step. At
 * every `every`-th keystroke where the rest of the line allows a completion
 * (it always does here: it is empty or closers), a completion is requested
 * and timed, as the editor would after a pause. A completion "matches" when
 * the file really goes on with exactly its text.
 */
export async function benchCompletion(options: CompletionBenchOptions): Promise<CompletionBenchResult> {
  const text = readSourceFile(options.file);
  const model = await loadModel(options.modelDir);
  const ops = createFastestOps();
  const engine = new Engine(model, ops);
  if (ops instanceof WasmOps) ops.warmUp();
  const settings: SearchSettings = {
    maxChars: options.maxChars,
    beamWidth: options.beam,
    multiline: options.multiline ?? false,
    maxLines: options.maxLines ?? DEFAULT_SETTINGS.maxLines,
    minCharProb: options.minCharProb ?? DEFAULT_SETTINGS.minCharProb,
    minExpectedSaving: options.minExpectedSaving ?? DEFAULT_SETTINGS.minExpectedSaving,
    documentMatch: options.documentMatch ?? DEFAULT_SETTINGS.documentMatch,
    wordMemory: options.wordMemory ?? DEFAULT_SETTINGS.wordMemory,
    workspaceNames: options.workspaceDir !== undefined,
    workspaceMatch: options.workspaceDir !== undefined,
  };
  const every = Math.max(1, Math.floor(options.every ?? 1));
  const service = new CompletionService(engine);
  const workspace = options.workspaceDir === undefined ? undefined : await workspaceOf(options.workspaceDir, options.file);
  if (workspace) {
    service.workspaceNames = () => workspace.names;
    service.workspaceMatches = () => workspace.matches;
  }
  const docId = 'bench:' + path.basename(options.file);
  const start = Math.min(options.startOffset ?? 0, text.length);
  const end = Math.min(text.length, start + (options.limit ?? text.length));
  let version = 1;

  // Dynamic evaluation: windows of typed text learned as they fill, each followed by a timed swap.
  const swapMs: number[] = [];
  const learner = options.dynamicEval ? new LocalDynamicEvaluation(engine, createFastestOps(), model.layout, model.params, DEFAULT_DYNAMIC_EVAL, (ms) => swapMs.push(ms)) : undefined;

  const t = performance.now();
  service.states.stateAt(docId, version, text, start);
  const firstStateMs = performance.now() - t;

  const requestMs: number[] = [];
  const searchMs: number[] = [];
  const keystrokeUs: number[] = [];
  let typedThrough = 0;
  let shown = 0;
  let exactMatches = 0;
  let matchedChars = 0;
  const stepsBefore = service.states.stepsTaken;

  for (let i = start; i < end; i++) {
    // Typing text[i]: the document changes at i, the cursor moves to i + 1.
    version++;
    keystrokeUs.push(typeKeystroke(service, docId, version, text, i) * 1000);
    const offset = i + 1;
    learner?.typed(docId, text, offset);
    if (options.onProgress && (i - start) % 1000 === 999) options.onProgress(i - start + 1, end - start);
    if ((i - start) % every !== every - 1) continue;
    const asked = await requestAfterKeystroke(service, docId, version, text, offset, settings, options.noCache);
    if (!asked) continue;
    const { ms, served: result } = asked;
    requestMs.push(ms);
    if (result?.source === 'search') searchMs.push(ms);
    if (result?.source === 'typed-through') typedThrough++;
    if (result) {
      shown++;
      if (text.startsWith(result.completion.text, offset)) {
        exactMatches++;
        matchedChars += result.completion.text.length;
      }
    }
  }

  const typed = end - start;
  const ks = summarizeLatencies(keystrokeUs.map((us) => us / 1000));
  return {
    file: options.file,
    model: `${model.manifest.name} (${describeSpec(model.layout.spec)})`,
    ops: ops.name,
    beam: options.beam,
    maxChars: options.maxChars,
    multiline: settings.multiline,
    typed,
    requests: requestMs.length,
    ...summarizeLatencies(requestMs),
    searched: summarizeLatencies(searchMs),
    typedThrough,
    shown,
    exactMatches,
    matchedChars,
    firstStateMs,
    ...(workspace ? { workspaceNames: workspace.namesFigures, workspaceMatch: workspace.matchFigures } : {}),
    ...(options.dynamicEval ? { weightSwaps: summarizeLatencies(swapMs) } : {}),
    keystroke: {
      p50Us: ks.p50Ms * 1000,
      p95Us: ks.p95Ms * 1000,
      p99Us: ks.p99Ms * 1000,
      maxUs: ks.maxMs * 1000,
      meanUs: ks.meanMs * 1000,
      // Searches step the model directly; the states count only the keystroke updates.
      stepsPerKeystroke: typed > 0 ? (service.states.stepsTaken - stepsBefore) / typed : 0,
    },
  };
}

/** The names and text of a folder's source files but `typedFile`, indexed once as the editor indexes its workspace. */
async function workspaceOf(dir: string, typedFile: string) {
  const corpus = await collectCorpus([dir]);
  const typed = path.resolve(typedFile);
  const names = new WorkspaceNames();
  const texts: string[] = [];
  for (const f of corpus.files) {
    if (path.resolve(f.path) === typed) continue;
    names.setFile(f.relPath, f.text);
    texts.push(f.text);
  }
  if (texts.length === 0) throw new Error(`${dir} has no source file besides ${typedFile} to take names from`);
  const t = performance.now();
  const offered = names.offered();
  const namesMs = performance.now() - t;
  const m = performance.now();
  const matches = WorkspaceMatchIndex.of(texts);
  const matchMs = performance.now() - m;
  return { names: offered, matches, namesFigures: { files: texts.length, names: names.nameCount, buildMs: namesMs }, matchFigures: { chars: matches.size, buildMs: matchMs } };
}
