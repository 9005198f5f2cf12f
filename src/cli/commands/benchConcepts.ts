import { resultProvenance } from '../../bench/resultProvenance';
import { benchConcepts } from '../../bench/conceptsBench';
import { num, parseArgs } from '../args';
import { formatCount, printJson } from '../output';

export const CONCEPTS_BENCH_USAGE = 'bench concepts [--min-ms N] [--json]';

/** Time of the concept labeller on ordinary code and on broken text (see src/bench/conceptsBench.ts). */
export async function conceptsBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { 'min-ms': 'int' }, switches: ['json'] });
  const rows = benchConcepts(num(a, 'min-ms', 500, 10, 60_000));
  if (a.flags.json) printJson({ rows, provenance: resultProvenance(null, null) });
  else for (const r of rows) process.stdout.write(`${r.text.padEnd(40)} ${formatCount(r.chars).padStart(9)} chars  ${r.ms.toFixed(1).padStart(7)} ms  ${formatCount(r.charsPerSecond)} chars/s\n`);
  return 0;
}
