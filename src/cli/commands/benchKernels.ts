import { resultProvenance } from '../../bench/resultProvenance';
import { benchKernels } from '../../bench/kernelBench';
import { num, parseArgs } from '../args';
import { printJson } from '../output';

export const KERNELS_BENCH_USAGE = 'bench kernels [--min-ms N] [--json]';

/**
 * The kernel back ends on the 2×256 model's shapes (one thread): µs per call
 * and GFLOP/s per GEMM shape, TypeScript against plain and relaxed SIMD
 * WebAssembly. The table goes to stderr as it is measured.
 */
export async function kernelsBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { 'min-ms': 'int' }, switches: ['json'] });
  const report = benchKernels({ minMs: num(a, 'min-ms', 200, 10, 60_000) });
  if (a.flags.json) printJson({ ...report, provenance: resultProvenance(null, null) });
  return 0;
}
