import { CompletionService, DEFAULT_SETTINGS, DocumentStatesOptions, SearchSettings, lineSuffixAllowsCompletion, lineSuffixAt } from '../core/completion';
import { autoClosedSuffix, typingView } from '../core/completion/typingView';
import { Engine } from '../core/engine';
import { WasmOps, createFastestOps } from '../core/kernels/wasmOps';
import { loadModel } from '../core/model/modelFiles';
import { describeSpec } from '../core/modelSpec';
import { makeRng } from '../core/params';
import { Ops } from '../core/kernels/ops';
import { completionSettings } from './resultProvenance';

export interface SoakOptions {
  modelDir: string;
  /** The files the documents hold (one document per file, reused round-robin if there are fewer). */
  files: { name: string; text: string }[];
  /** Minutes of simulated typing. */
  minutes: number;
  /** Open documents typed into. */
  docs: number;
  /** Typing speed in the simulated clock. Default 5 chars/s. */
  charsPerSecond?: number;
  seed?: number;
  settings?: SearchSettings;
  stateOptions?: Partial<DocumentStatesOptions>;
  /** The kernels (default: the fastest here). */
  ops?: Ops;
  /** Called about every 10 s of simulated time. */
  onProgress?: (simulatedSeconds: number, requests: number) => void;
}

export interface Memory {
  rssBytes: number;
  heapUsedBytes: number;
  /** ArrayBuffers outside the JS heap: the model's weights, wasm memory and every stored state live here. */
  arrayBuffersBytes: number;
}

/** Latency in one tenth of the requests: all of them, and those that ran a search (the rest came from the cache). */
export interface TenthLatency {
  p50Ms: number;
  p95Ms: number;
  searched: number;
  searchedP95Ms: number;
}

export interface SoakResult {
  /** What the run was asked for: the typing, and the completion settings every request used (so a result file says what it measured). */
  run: { minutes: number; docs: number; files: number; charsPerSecond: number; seed: number; settings: SearchSettings };
  model: string;
  ops: string;
  /** Whether memory was read after a forced full collection (node --expose-gc). */
  forcedGc: boolean;
  docs: number;
  simulatedMinutes: number;
  realSeconds: number;
  keystrokes: number;
  /** Completion requests made (every keystroke after which the rest of the line allows one). */
  requests: number;
  /** Requests that showed a completion; accepted: those the typist took (the text goes on so). */
  shown: number;
  accepted: number;
  /** Request latency (ms, on this process's clock) in the first and the last tenth of the requests. */
  firstTenth: TenthLatency;
  lastTenth: TenthLatency;
  p95Ms: number;
  maxMs: number;
  /** Before loading the model: the bare process. */
  baseline: Memory;
  /** At the start of typing: the model loaded and `docs` documents open, each with its states at a cursor (the "extension host" figure). */
  start: Memory;
  end: Memory;
  /** At the end of each tenth of the simulated time: does memory level off? */
  byTenth: Memory[];
  /** Document states: the budgets, the most seen at any request, and at the end. */
  states: { documentBudgetBytes: number; memoryBudgetBytes: number; maxDocumentBytes: number; maxTotalBytes: number; endTotalBytes: number; endDocuments: number };
}

/**
 * A full collection before each memory reading, so the figures are live
 * data, not garbage: available when Node runs with --expose-gc (the bench
 * says whether it was). Not turned on from inside: that needs the vm
 * module, which the bundles' no-network review does not list.
 */
function collector(): (() => void) | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  return typeof gc === 'function' ? () => gc() : undefined;
}

function memory(gc: (() => void) | undefined): Memory {
  gc?.();
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed, arrayBuffersBytes: m.arrayBuffers };
}

function p(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function tenth(requests: { ms: number; searched: boolean }[]): TenthLatency {
  const sorted = requests.map((r) => r.ms).sort((a, b) => a - b);
  const searched = requests.filter((r) => r.searched).map((r) => r.ms).sort((a, b) => a - b);
  return { p50Ms: p(sorted, 0.5), p95Ms: p(sorted, 0.95), searched: searched.length, searchedP95Ms: p(searched, 0.95) };
}

/** One open document: its file, and where the typist is in it (typing the line [lineStart, lineEnd) again). */
interface Doc {
  id: string;
  file: string;
  version: number;
  lineStart: number;
  lineEnd: number;
  cursor: number;
}

/**
 * A soak test of inline completion: `docs` documents open at once, a
 * typist working through them for `minutes` of simulated time, every
 * request on the provider's code path (one CompletionService for all
 * documents: states, cache, completeAt), without VS Code.
 *
 * Time is simulated, not waited for: each keystroke advances the clock by
 * 1/charsPerSecond, each finished line by a pause of 1–4 s, each switch to
 * another document (every 30–90 s) by 2 s. The model work itself runs as
 * fast as it can, so 30 minutes of typing take as long as their requests
 * need. The typist re-types lines of the files: at a line, the document
 * holds everything else of the file and the closers the editor auto-inserts;
 * a completion that the line really goes on with is accepted (one
 * keystroke), and 2% of keystrokes are a typo and its backspace.
 * Every keystroke is an edit reported to the service and, where the rest of
 * the line allows it, a completion request (as if each keystroke outlasted
 * the editor's debounce).
 */
export async function benchSoak(options: SoakOptions): Promise<SoakResult> {
  if (options.files.length === 0) throw new Error('no files to type');
  const gc = collector();
  const baseline = memory(gc);
  const model = await loadModel(options.modelDir);
  const ops = options.ops ?? createFastestOps();
  const engine = new Engine(model, ops);
  if (ops instanceof WasmOps) ops.warmUp();
  // The editor's defaults (DEFAULT_SETTINGS holds every search setting among the others).
  const settings: SearchSettings = options.settings ?? DEFAULT_SETTINGS;
  const service = new CompletionService(engine, options.stateOptions);
  const seed = options.seed ?? 1;
  const rng = makeRng(seed);
  const cps = options.charsPerSecond ?? 5;
  const never = () => false;

  const docs: Doc[] = [];
  const goToLine = (d: Doc) => {
    // A random line with something on it.
    const lines = d.file.split('\n');
    let start = 0;
    const pick = Math.floor(rng() * lines.length);
    for (let i = 0; i < pick; i++) start += lines[i].length + 1;
    d.lineStart = start;
    d.lineEnd = start + lines[pick].length;
    d.cursor = start;
    // The line is cleared before it is typed again: one edit at its start.
    service.edit(d.id, ++d.version, start);
  };
  const view = (d: Doc) => typingView(d.file, d.cursor, autoClosedSuffix(d.file.slice(d.lineStart, d.cursor)), d.lineEnd);

  let maxDocumentBytes = 0;
  let maxTotalBytes = 0;
  const latencies: { ms: number; searched: boolean }[] = [];
  let shown = 0;
  let accepted = 0;
  let keystrokes = 0;
  const request = async (d: Doc): Promise<string> => {
    const text = view(d);
    if (!lineSuffixAllowsCompletion(lineSuffixAt(text, d.cursor))) return '';
    const t0 = performance.now();
    const served = await service.complete({ docId: d.id, version: d.version, text, offset: d.cursor }, settings, never);
    latencies.push({ ms: performance.now() - t0, searched: served?.source === 'search' });
    const stats = service.states.stats();
    maxTotalBytes = Math.max(maxTotalBytes, stats.bytes);
    const entries = stats.checkpoints + stats.recent;
    const stored = service.states.storedOffsets(d.id);
    if (stored && entries > 0) maxDocumentBytes = Math.max(maxDocumentBytes, ((stored.checkpoints.length + stored.recent.length) * stats.bytes) / entries);
    return served?.completion.text ?? '';
  };

  // Open the documents, each with its state at a line (the first request builds it).
  for (let i = 0; i < options.docs; i++) {
    const f = options.files[i % options.files.length];
    const d: Doc = { id: `soak:${i}:${f.name}`, file: f.text, version: 1, lineStart: 0, lineEnd: 0, cursor: 0 };
    docs.push(d);
    goToLine(d);
    await request(d);
  }
  latencies.length = 0;
  maxDocumentBytes = 0;
  maxTotalBytes = 0;
  const start = memory(gc);
  const t0 = performance.now();
  const endSeconds = options.minutes * 60;
  let clock = 0;
  let nextSwitch = 30 + rng() * 60;
  let nextProgress = 10;
  let d = docs[0];
  const byTenth: Memory[] = [];
  while (clock < endSeconds) {
    if (clock >= ((byTenth.length + 1) * endSeconds) / 10) byTenth.push(memory(gc));
    if (clock >= nextSwitch) {
      d = docs[Math.floor(rng() * docs.length)];
      goToLine(d);
      clock += 2;
      nextSwitch = clock + 30 + rng() * 60;
    }
    if (d.cursor >= d.lineEnd) {
      // Line done: the typist pauses, then takes the next line of the same file (or starts over).
      clock += 1 + rng() * 3;
      if (d.lineEnd >= d.file.length) goToLine(d);
      else {
        d.lineStart = d.lineEnd + 1;
        d.lineEnd = d.file.indexOf('\n', d.lineStart);
        if (d.lineEnd < 0) d.lineEnd = d.file.length;
        d.cursor = d.lineStart;
        service.edit(d.id, ++d.version, d.lineStart);
      }
    }
    if (rng() < 0.02) {
      // A typo and its backspace: two edits at the cursor (the states after it go; the text ends up as before).
      service.edit(d.id, ++d.version, d.cursor);
      service.edit(d.id, ++d.version, d.cursor);
      keystrokes += 2;
      clock += 2 / cps;
    }
    const suggestion = await request(d);
    if (suggestion) shown++;
    const rest = d.file.slice(d.cursor, d.lineEnd);
    let jump = 1;
    if (suggestion && rest.startsWith(suggestion)) {
      accepted++;
      jump = suggestion.length;
    }
    if (d.cursor < d.lineEnd) {
      service.edit(d.id, ++d.version, d.cursor);
      d.cursor = Math.min(d.lineEnd, d.cursor + jump);
    }
    keystrokes++;
    clock += 1 / cps;
    if (options.onProgress && clock >= nextProgress) {
      nextProgress += 10;
      options.onProgress(clock, latencies.length);
    }
  }
  const realSeconds = (performance.now() - t0) / 1000;
  const end = memory(gc);
  const tenthCount = Math.max(1, Math.floor(latencies.length / 10));
  const sorted = latencies.map((r) => r.ms).sort((a, b) => a - b);
  const endStats = service.states.stats();
  const o = service.states.options;
  return {
    run: { minutes: options.minutes, docs: options.docs, files: options.files.length, charsPerSecond: cps, seed, settings: completionSettings(settings) },
    model: `${model.manifest.name} (${describeSpec(model.layout.spec)})`,
    ops: ops.name,
    forcedGc: gc !== undefined,
    docs: options.docs,
    simulatedMinutes: clock / 60,
    realSeconds,
    keystrokes,
    requests: latencies.length,
    shown,
    accepted,
    firstTenth: tenth(latencies.slice(0, tenthCount)),
    lastTenth: tenth(latencies.slice(-tenthCount)),
    p95Ms: p(sorted, 0.95),
    maxMs: sorted.length ? sorted[sorted.length - 1] : 0,
    baseline,
    start,
    end,
    byTenth,
    states: {
      documentBudgetBytes: o.documentBudgetBytes,
      memoryBudgetBytes: o.memoryBudgetBytes,
      maxDocumentBytes: Math.round(maxDocumentBytes),
      maxTotalBytes,
      endTotalBytes: endStats.bytes,
      endDocuments: endStats.documents,
    },
  };
}
