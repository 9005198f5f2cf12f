import { resultProvenance } from '../../bench/resultProvenance';
import * as path from 'path';
import { benchHostLag } from '../../bench/hostLag';
import { collectCorpus } from '../../core/corpus';
import { VOCAB_SIZE } from '../../core/vocab';
import { UsageError, num, parseArgs } from '../args';
import { formatCount, note, printJson } from '../output';

export const HOST_LAG_BENCH_USAGE = 'bench host-lag [--seconds S] [--threads N] [--layers N] [--hidden N] [--json] [PATH...]';

/**
 * Main-thread event-loop delay while Train on Workspace's worker trains, and
 * training chars/s in the worker against in-process (the CLI). Trains on the
 * source files under PATH (default: this package's src/).
 */
export async function hostLagBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { seconds: 'number', threads: 'int', layers: 'int', hidden: 'int' }, switches: ['json'] });
  const roots = a.positional.length > 0 ? a.positional : [path.join(__dirname, '..', 'src')];
  const corpus = await collectCorpus(roots).catch((err: Error) => {
    throw new UsageError(`${err.message} (name a folder of source files to train on)`);
  });
  if (corpus.files.length === 0) throw new UsageError('no source files under the given paths');
  const layers = num(a, 'layers', 2, 1, 8);
  const hidden = num(a, 'hidden', 256, 1, 4096);
  const seconds = num(a, 'seconds', 20, 1, 3600);
  const threads = num(a, 'threads', 1, 1, 64);
  note(`host-lag: ${layers}x${hidden}, ${threads} thread(s), ${seconds} s per phase, corpus ${corpus.files.length} files, ${formatCount(corpus.totalChars)} chars`);
  const result = await benchHostLag({
    sources: corpus.files.map((f) => ({ name: f.relPath, text: f.text })),
    spec: { vocabSize: VOCAB_SIZE, embedDim: 64, hidden: Array.from({ length: layers }, () => hidden) },
    threads,
    seconds,
    onPhase: (t) => note(`  ${t}`),
  });
  if (a.flags.json) printJson({ ...result, provenance: resultProvenance(null, null) });
  else {
    const out = (line: string) => process.stdout.write(line + '\n');
    out(`event-loop delay, worker training: p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  max ${result.maxMs} ms`);
    out(`event-loop delay, in-process training: p50 ${result.inProcess.p50Ms} ms  p99 ${result.inProcess.p99Ms} ms  max ${result.inProcess.maxMs} ms`);
    out(`event-loop delay, idle: p50 ${result.idle.p50Ms} ms  p99 ${result.idle.p99Ms} ms  max ${result.idle.maxMs} ms`);
    out(`training chars/s: worker ${formatCount(result.charsPerSecond)}, in-process (CLI) ${formatCount(result.cliCharsPerSecond)}, ratio ${result.workerOverCli.toFixed(3)}`);
    out(`load average ${result.machine.loadAverage.join(' ')} on ${result.machine.cores} cores`);
  }
  return 0;
}
