import * as fs from 'fs';
import * as path from 'path';
import { IdleTrainingFigures, benchIdleTraining } from '../../bench/idleTrainingBench';
import { completionSettings, resultProvenance } from '../../bench/resultProvenance';
import { DEFAULT_SETTINGS } from '../../core/completion';
import { filesUnder } from '../../core/corpus/filesUnder';
import { RESUME_AFTER_MS } from '../../core/workspaceTraining/idleRetrain';
import { selectWorkspaceCorpus } from '../../core/workspaceTraining/workspaceCorpus';
import { UsageError, num, parseArgs, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { readSourceFile } from '../readSourceFile';
import { formatCount, note, printJson } from '../output';

export const IDLE_TRAINING_BENCH_USAGE =
  'bench idle-training [--dir D] [--file F] [--start N] [--model DIR] [--bursts N] [--burst-chars N] [--pace-ms MS] [--gap-ms MS] [--normal-priority] [--unpaused] [--first-step-timeout S] [--json]';

/**
 * Completion latency and host lag while idle retraining runs in the
 * background, against the same typing with nothing running, in one run
 * (idleTrainingBench.ts). The run trains on the workspace D (default: this
 * package's src/) and types F (default: D's longest hand-written file).
 * --normal-priority and --unpaused add the run at normal priority and the
 * run that never pauses. The last line on stdout is the JSON result;
 * --json prints only that line.
 */
export async function idleTrainingBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    values: { dir: 'string', file: 'string', start: 'int', model: 'string', bursts: 'int', 'burst-chars': 'int', 'pace-ms': 'number', 'gap-ms': 'number', 'first-step-timeout': 'number' },
    switches: ['normal-priority', 'unpaused', 'json'],
  });
  if (a.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(a.positional[0])}`);
  const dir = path.resolve(str(a, 'dir') ?? path.join(__dirname, '..', 'src'));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--dir ${JSON.stringify(dir)} is not a folder`);
  const corpus = await selectWorkspaceCorpus([{ name: path.basename(dir), root: dir, files: filesUnder(dir, ['.git']) }], {});
  if (corpus.files.length === 0) throw new UsageError(`${dir}: no source files to train on`);
  const file = str(a, 'file');
  const typed = file === undefined ? typedByDefault(corpus.files) : { name: file, text: readSourceFile(file) };
  const modelDir = str(a, 'model') ?? bundledModelDir();
  const options = {
    modelDir,
    corpus,
    typingText: typed.text,
    startOffset: num(a, 'start', 0, 0),
    bursts: num(a, 'bursts', 12, 1, 1000),
    burstChars: num(a, 'burst-chars', 25, 1, 10_000),
    paceMs: num(a, 'pace-ms', 120, 0, 10_000),
    // The run resumes RESUME_AFTER_MS after the last keystroke; a second more and it is training when typing starts.
    gapMs: num(a, 'gap-ms', RESUME_AFTER_MS + 1000, 0, 600_000),
    normalPriority: Boolean(a.flags['normal-priority']),
    unpaused: Boolean(a.flags.unpaused),
    firstStepTimeoutMs: num(a, 'first-step-timeout', 120, 0, 3600) * 1000,
  };
  note(`idle-training: training on ${corpus.files.length} files (${formatCount(corpus.totalChars)} chars) of ${dir}; typing ${typed.name}`);
  const result = await benchIdleTraining({ ...options, onNote: note });
  if (!a.flags.json) {
    const out = (line: string) => process.stdout.write(line + '\n');
    const f = (ms: number) => ms.toFixed(2);
    const row = (c: IdleTrainingFigures) =>
      `${c.condition.padEnd(24)} completion p50 ${f(c.completion.p50Ms)} p95 ${f(c.completion.p95Ms)} max ${f(c.completion.maxMs)} ms (${c.completion.count}); ` +
      `searched p95 ${f(c.searched.p95Ms)} ms (${c.searched.count}); keystroke late p95 ${f(c.keystrokeLateness.p95Ms)} ms; ` +
      `event loop p50 ${f(c.eventLoop.p50Ms)} p99 ${f(c.eventLoop.p99Ms)} max ${f(c.eventLoop.maxMs)} ms; training ${c.trainingSteps} steps${c.condition !== 'none' && !c.trainingBeforeTyping ? ' (no step before typing began)' : ''}`;
    out(`${result.model}, ${result.ops}; ${result.typed.burstsPerCondition} bursts of ${result.typed.charsPerBurst} keystrokes ${result.typed.paceMs} ms apart per condition, ${result.typed.gapMs} ms idle before each`);
    for (const c of result.conditions) out(row(c));
    out(`with idle training / without: completion p95 x${result.ratios.completionP95.toFixed(2)}, searched p95 x${result.ratios.searchedP95.toFixed(2)}, event loop p99 x${result.ratios.eventLoopP99.toFixed(2)}`);
  }
  printJson({ ...result, typedFile: typed.name, trainedOn: dir, provenance: resultProvenance(completionSettings(DEFAULT_SETTINGS), modelDir) });
  return 0;
}

/**
 * The file typed when none is named: the workspace's longest file that a
 * person would type, one whose head does not say it was generated and with
 * no line over 200 characters (not minified code or data), else the longest.
 */
function typedByDefault<F extends { name: string; text: string }>(files: readonly F[]): F {
  const longest = (all: readonly F[]) => all.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  const typable = files.filter((f) => !/generated|do not edit/i.test(f.text.slice(0, 300)) && f.text.split('\n').every((line) => line.length <= 200));
  return longest(typable.length > 0 ? typable : files);
}
