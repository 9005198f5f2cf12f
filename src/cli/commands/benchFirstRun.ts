import * as fs from 'fs';
import * as os from 'os';
import { benchFirstRun } from '../../bench/firstRunBench';
import { resultProvenance } from '../../bench/resultProvenance';
import { FIRST_RUN_MINUTES } from '../../core/workspaceTraining/firstRun';
import { trainingThreads } from '../../core/workspaceTraining/trainingSettings';
import { UsageError, num, parseArgs, requireStr, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { note, printJson } from '../output';

export const FIRST_RUN_BENCH_USAGE = 'bench first-run --dir D [--minutes M] [--model DIR] [--threads N] [--json]';

/**
 * Seconds from the first-run offer's "Train now" to the first completion
 * from the trained model, phase by phase (firstRunBench.ts). The last line
 * on stdout is the JSON result.
 */
export async function firstRunBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { dir: 'string', minutes: 'number', model: 'string', threads: 'int' }, switches: ['json'] });
  if (a.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(a.positional[0])}`);
  const dir = requireStr(a, 'dir');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--dir ${JSON.stringify(dir)} is not a folder`);
  const modelDir = str(a, 'model') ?? bundledModelDir();
  const result = await benchFirstRun({
    dir,
    modelDir,
    minutes: num(a, 'minutes', FIRST_RUN_MINUTES, 0.01, 60),
    // As the first run in the editor: Train on Workspace's automatic threads (all cores but one).
    threads: num(a, 'threads', trainingThreads(0, os.availableParallelism?.() ?? os.cpus().length), 1, 64),
    onNote: note,
  });
  if (!a.flags.json) {
    const p = result.phases;
    process.stdout.write(
      `${result.files} files, ${result.chars} characters: ${result.totalSeconds.toFixed(1)} s to the first completion from the trained model ` +
        `(read ${p.readWorkspace.toFixed(1)} s, load ${p.loadModel.toFixed(1)} s, train job ${p.train.toFixed(1)} s, load trained ${p.loadTrained.toFixed(2)} s, first completion ${p.firstCompletion.toFixed(3)} s)\n`,
    );
  }
  printJson({ ...result, provenance: resultProvenance(null, modelDir) });
  return 0;
}
