import * as fs from 'fs';
import * as os from 'os';
import { benchWorkspace } from '../../bench/workspaceBench';
import { trainingThreads } from '../../core/workspaceTraining/trainingSettings';
import { UsageError, num, parseArgs, requireStr, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { ProgressLine, note } from '../output';

export const WORKSPACE_BENCH_USAGE = 'bench workspace --dir D [--minutes M] [--epochs N] [--model DIR] [--keystroke-chars N] [--threads N] [--lr X] [--batch N] [--anneal SHARE] [--patience N] [--no-workspace-names] [--no-workspace-match] [--after-with-names] [--json]';

/**
 * The whole path a user meets on their own project: held-out bits/char and
 * keystrokes saved with the starting model, M minutes (or N passes) of
 * training on the other files, the same figures again (workspaceBench.ts). The last line on
 * stdout is always the JSON {"before", "after", "trainSeconds"}; --json
 * prints only that line.
 */
export async function workspaceBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { dir: 'string', minutes: 'number', epochs: 'int', model: 'string', 'keystroke-chars': 'int', threads: 'int', lr: 'number', batch: 'int', anneal: 'number', patience: 'int' }, switches: ['json', 'no-workspace-names', 'no-workspace-match', 'after-with-names'] });
  if (a.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(a.positional[0])}`);
  const dir = requireStr(a, 'dir');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--dir ${JSON.stringify(dir)} is not a folder`);
  const progress = new ProgressLine();
  const result = await benchWorkspace({
    dir,
    modelDir: str(a, 'model') ?? bundledModelDir(),
    // --epochs alone bounds the training by passes, not by the clock.
    minutes: a.flags.epochs !== undefined && a.flags.minutes === undefined ? Infinity : num(a, 'minutes', 1, 0.01, 24 * 60),
    epochs: a.flags.epochs !== undefined ? num(a, 'epochs', 1, 1, 1_000_000) : undefined,
    keystrokeChars: num(a, 'keystroke-chars', 20_000, 0),
    learningRate: a.flags.lr !== undefined ? num(a, 'lr', 1e-3, 1e-6, 1) : undefined,
    batch: a.flags.batch !== undefined ? num(a, 'batch', 32, 1, 1024) : undefined,
    anneal: a.flags.anneal !== undefined ? num(a, 'anneal', 0, 0, 1) : undefined,
    patience: a.flags.patience !== undefined ? num(a, 'patience', 3, 1, 1_000_000) : undefined,
    workspaceNames: !a.flags['no-workspace-names'],
    workspaceMatch: !a.flags['no-workspace-match'],
    afterWithNames: Boolean(a.flags['after-with-names']),
    // As Train on Workspace on automatic: all cores but one.
    threads: num(a, 'threads', trainingThreads(0, os.availableParallelism?.() ?? os.cpus().length), 1, 64),
    onNote: (line) => {
      progress.done();
      note(line);
    },
    onProgress: (p) => progress.update(`training: step ${p.step}, train ${p.trainBitsPerChar.toFixed(3)} bits/char${p.valBitsPerChar !== undefined ? `, val ${p.valBitsPerChar.toFixed(3)}` : ''}`),
  });
  progress.done();
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  if (!a.flags.json) {
    process.stdout.write(
      `held-out ${result.files.heldOut} files: bits/char ${result.before.bitsPerChar.toFixed(3)} -> ${result.after.bitsPerChar.toFixed(3)} (with the document cache ${result.before.cachedBitsPerChar.toFixed(3)} -> ${result.after.cachedBitsPerChar.toFixed(3)}), keystrokes saved ${pct(result.before.keystrokesSaved)} -> ${pct(result.after.keystrokesSaved)} (typed ${result.chars.typed} chars)\n`,
    );
    process.stdout.write(`trained ${result.trainSeconds.toFixed(1)} s on ${result.files.train} files (${result.stoppedBecause})\n`);
  }
  const extra = result.afterWithNames ? { afterWithNames: result.afterWithNames } : {};
  process.stdout.write(JSON.stringify({ before: result.before, after: result.after, ...extra, trainSeconds: result.trainSeconds }) + '\n');
  return 0;
}
