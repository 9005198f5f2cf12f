import { benchCompletion } from '../../bench/completionBench';
import { completionSettings, resultProvenance } from '../../bench/resultProvenance';
import { DEFAULT_SETTINGS } from '../../core/completion';
import { UsageError, num, parseArgs, requireStr, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { ProgressLine, formatCount, note, printJson } from '../output';

export const COMPLETION_BENCH_USAGE =
  'bench completion --file F [--model DIR] [--beam K] [--max-chars N] [--min-char-prob P] [--min-expected-saving E] [--no-document-match] [--no-word-memory] [--workspace DIR] [--dynamic-eval] [--multiline] [--max-lines N] [--start N] [--limit N] [--every N] [--no-cache] [--json]';

/**
 * Latency of inline completion as the editor would see it: replays typing
 * a file on the provider's code path and reports ms per completion request
 * (p50, p95, max) and µs per keystroke state update. --every N asks at every
 * N-th keystroke only (a quicker run over a long file). --workspace DIR
 * offers the names of DIR's other source files, as the editor does with
 * lstmLens.completion.workspaceNames in an open folder. --dynamic-eval
 * learns the typed text as lstmLens.completion.dynamicEvaluation does and
 * times each weight swap (the host's share; the steps run in a worker there).
 */
export async function completionBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    values: { model: 'string', file: 'string', workspace: 'string', beam: 'int', 'max-chars': 'int', 'min-char-prob': 'number', 'min-expected-saving': 'number', 'max-lines': 'int', start: 'int', limit: 'int', every: 'int' },
    switches: ['json', 'multiline', 'no-cache', 'no-document-match', 'no-word-memory', 'dynamic-eval'],
  });
  if (a.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(a.positional[0])}`);
  const file = requireStr(a, 'file');
  const progress = new ProgressLine();
  const modelDir = str(a, 'model') ?? bundledModelDir();
  const workspaceDir = str(a, 'workspace');
  const settings = completionSettings({
    beamWidth: num(a, 'beam', DEFAULT_SETTINGS.beamWidth, 1, 16),
    maxChars: num(a, 'max-chars', DEFAULT_SETTINGS.maxChars, 1, 500),
    minCharProb: num(a, 'min-char-prob', DEFAULT_SETTINGS.minCharProb, 0, 1),
    minExpectedSaving: num(a, 'min-expected-saving', DEFAULT_SETTINGS.minExpectedSaving, 0, 20),
    documentMatch: !a.flags['no-document-match'],
    wordMemory: !a.flags['no-word-memory'],
    workspaceNames: workspaceDir !== undefined,
    multiline: Boolean(a.flags.multiline),
    maxLines: num(a, 'max-lines', DEFAULT_SETTINGS.maxLines, 1, 50),
  });
  const result = await benchCompletion({
    modelDir,
    file,
    beam: settings.beamWidth,
    maxChars: settings.maxChars,
    minCharProb: settings.minCharProb,
    minExpectedSaving: settings.minExpectedSaving,
    documentMatch: settings.documentMatch,
    wordMemory: settings.wordMemory,
    workspaceDir,
    multiline: settings.multiline,
    maxLines: settings.maxLines,
    startOffset: num(a, 'start', 0, 0),
    limit: a.flags.limit === undefined ? undefined : num(a, 'limit', 0, 1),
    every: num(a, 'every', 1, 1),
    noCache: Boolean(a.flags['no-cache']),
    dynamicEval: Boolean(a.flags['dynamic-eval']),
    onProgress: (typed, total) => progress.update(`typed ${formatCount(typed)} / ${formatCount(total)} chars`),
  });
  progress.done();
  if (a.flags.json) {
    printJson({ ...result, provenance: resultProvenance(settings, modelDir) });
    return 0;
  }
  const f = (ms: number) => ms.toFixed(2);
  const out = (line: string) => process.stdout.write(line + '\n');
  note(`${result.file}: ${formatCount(result.typed)} chars typed, model ${result.model}, ${result.ops}`);
  out(`completion requests ${formatCount(result.requests)} (beam ${result.beam}, max ${result.maxChars} chars${result.multiline ? ', multi-line' : ''}): p50 ${f(result.p50Ms)} ms  p95 ${f(result.p95Ms)} ms  p99 ${f(result.p99Ms)} ms  max ${f(result.maxMs)} ms`);
  out(`  searched ${formatCount(result.searched.count)}: p50 ${f(result.searched.p50Ms)} ms  p95 ${f(result.searched.p95Ms)} ms  p99 ${f(result.searched.p99Ms)} ms  max ${f(result.searched.maxMs)} ms; typed-through from cache ${formatCount(result.typedThrough)}`);
  out(`  shown ${formatCount(result.shown)}; the file goes on exactly so: ${formatCount(result.exactMatches)} (${formatCount(result.matchedChars)} chars)`);
  if (result.weightSwaps) out(`dynamic evaluation: ${formatCount(result.weightSwaps.count)} weight swaps, each on the host thread: p50 ${f(result.weightSwaps.p50Ms)} ms  p95 ${f(result.weightSwaps.p95Ms)} ms  max ${f(result.weightSwaps.maxMs)} ms`);
  if (result.workspaceNames) out(`workspace names: ${formatCount(result.workspaceNames.names)} names from ${formatCount(result.workspaceNames.files)} files, index built in ${f(result.workspaceNames.buildMs)} ms`);
  if (result.workspaceMatch) out(`workspace text for the document cache: ${formatCount(result.workspaceMatch.chars)} chars, index built in ${f(result.workspaceMatch.buildMs)} ms`);
  out(`keystroke state update: p50 ${result.keystroke.p50Us.toFixed(1)} µs  p95 ${result.keystroke.p95Us.toFixed(1)} µs  p99 ${result.keystroke.p99Us.toFixed(1)} µs  max ${result.keystroke.maxUs.toFixed(1)} µs  (${result.keystroke.stepsPerKeystroke.toFixed(3)} steps each); first state ${f(result.firstStateMs)} ms`);
  return 0;
}
