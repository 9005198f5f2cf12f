import * as path from 'path';
import { benchSoak } from '../../bench/soakBench';
import { completionSettings, resultProvenance } from '../../bench/resultProvenance';
import { DEFAULT_SETTINGS } from '../../core/completion';
import { collectCorpus } from '../../core/corpus';
import { UsageError, num, parseArgs, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { ProgressLine, formatCount, note, printJson } from '../output';

export const SOAK_BENCH_USAGE = 'bench soak [--minutes M] [--docs N] [--cps C] [--model DIR] [--seed N] [--json] [PATH...]';

/**
 * Load and soak of inline completion: M minutes of simulated typing (at C
 * chars/s, with pauses) across N open documents made from the source files
 * under PATH (default: this package's src/), on the provider's code path.
 * Reports requests served, p95 latency in the first and last tenth, heap and
 * RSS at start and end, and the document states against their budgets.
 */
export async function soakBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { minutes: 'number', docs: 'int', cps: 'number', model: 'string', seed: 'int' }, switches: ['json'] });
  const roots = a.positional.length > 0 ? a.positional : [path.join(__dirname, '..', 'src')];
  const corpus = await collectCorpus(roots).catch((err: Error) => {
    throw new UsageError(`${err.message} (name a folder of source files to type)`);
  });
  if (corpus.files.length === 0) throw new UsageError('no source files under the given paths');
  const minutes = num(a, 'minutes', 30, 0.1, 24 * 60);
  const docs = num(a, 'docs', 20, 1, 1000);
  // The largest files first: the states of long documents are what the budget is about.
  const files = [...corpus.files].sort((x, y) => y.text.length - x.text.length).map((f) => ({ name: f.relPath, text: f.text }));
  note(`soak: ${minutes} simulated minutes across ${docs} documents from ${corpus.files.length} files`);
  const progress = new ProgressLine();
  const modelDir = str(a, 'model') ?? bundledModelDir();
  const result = await benchSoak({
    modelDir,
    settings: DEFAULT_SETTINGS,
    files,
    minutes,
    docs,
    charsPerSecond: num(a, 'cps', 5, 0.1, 100),
    seed: num(a, 'seed', 1, 0),
    onProgress: (s, requests) => progress.update(`simulated ${(s / 60).toFixed(1)} / ${minutes} min, ${formatCount(requests)} requests`),
  });
  progress.done();
  if (a.flags.json) {
    printJson({ ...result, provenance: resultProvenance(completionSettings(DEFAULT_SETTINGS), modelDir) });
    return 0;
  }
  const mb = (b: number) => `${(b / (1 << 20)).toFixed(1)} MB`;
  const f = (ms: number) => ms.toFixed(2);
  const out = (line: string) => process.stdout.write(line + '\n');
  note(`model ${result.model}, ${result.ops}; ${result.simulatedMinutes.toFixed(1)} simulated minutes in ${result.realSeconds.toFixed(0)} s`);
  out(`requests ${formatCount(result.requests)} (${formatCount(result.keystrokes)} keystrokes, ${formatCount(result.shown)} shown, ${formatCount(result.accepted)} accepted) across ${result.docs} documents`);
  const [a1, a2] = [result.firstTenth, result.lastTenth];
  out(`latency p95: first tenth ${f(a1.p95Ms)} ms, last tenth ${f(a2.p95Ms)} ms (p50 ${f(a1.p50Ms)} → ${f(a2.p50Ms)} ms); all p95 ${f(result.p95Ms)} ms, max ${f(result.maxMs)} ms`);
  out(`  requests that ran a search: p95 first tenth ${f(a1.searchedP95Ms)} ms (${a1.searched}), last tenth ${f(a2.searchedP95Ms)} ms (${a2.searched}); the rest came from the cache`);
  out(`RSS: bare process ${mb(result.baseline.rssBytes)}, model + ${result.docs} open documents ${mb(result.start.rssBytes)}, end ${mb(result.end.rssBytes)}`);
  if (!result.forcedGc) note('memory read without a forced collection (run node with --expose-gc for live-data figures)');
  out(`heap used: start ${mb(result.start.heapUsedBytes)}, end ${mb(result.end.heapUsedBytes)}; array buffers (weights, wasm memory, states): start ${mb(result.start.arrayBuffersBytes)}, end ${mb(result.end.arrayBuffersBytes)}`);
  out(`  RSS at each tenth of the simulated time: ${result.byTenth.map((m) => mb(m.rssBytes).replace(' MB', '')).join(', ')} MB`);
  const s = result.states;
  out(`document states: end ${mb(s.endTotalBytes)} in ${s.endDocuments} documents; most at once ${mb(s.maxTotalBytes)} (budget ${mb(s.memoryBudgetBytes)}), one document at most ${mb(s.maxDocumentBytes)} (budget ${mb(s.documentBudgetBytes)})`);
  return 0;
}
