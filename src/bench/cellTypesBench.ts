import * as os from 'os';
import { UsageError, num, parseArgs } from '../cli/args';
import { formatCount, note, printJson } from '../cli/output';
import { CELL_TYPES, CellType } from '../core/modelSpec';
import { benchFusedTrain } from './fusedEngineBench';
import { resultProvenance } from './resultProvenance';

export const CELL_TYPES_BENCH_USAGE = 'bench cells [--json] [--quick] [--layers N] [--hidden N] [--threads N] [--rounds N]';

/**
 * Training chars/s of the three cell types at the same shape (batch 32,
 * window 64, embedding 64), the fused engine on wasm: the targets are a GRU
 * at ≥ 1.0× the LSTM and a plain RNN at ≥ 2×. The cell types take turns,
 * round after round, and each one's median is reported, so that a busy
 * spell of a shared machine lands on all three rather than on one. Chars
 * per CPU second (this process's CPU time) are reported beside chars/s:
 * on a shared machine they move far less with the load.
 */
export async function cellTypesBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { layers: 'int', hidden: 'int', threads: 'int', rounds: 'int' }, switches: ['json', 'quick'] });
  if (a.positional.length > 0) throw new UsageError(`bench cells takes no paths (got ${JSON.stringify(a.positional[0])})`);
  const quick = Boolean(a.flags.quick);
  const shape = { layers: num(a, 'layers', 2, 1, 8), hidden: num(a, 'hidden', 256, 1, 4096), embed: 64 };
  const threads = num(a, 'threads', 1, 1, 64);
  const rounds = num(a, 'rounds', quick ? 1 : 5, 1, 100);
  const batch = 32;
  const seq = 64;
  const seconds = quick ? 1 : 4;
  note(`bench cells on ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}; ${shape.layers}x${shape.hidden}, batch ${batch}, window ${seq}, ${threads} thread(s), ${rounds} rounds of ${seconds}s`);
  const runs: Record<CellType, number[]> = { lstm: [], gru: [], rnn: [] };
  const cpuRuns: Record<CellType, number[]> = { lstm: [], gru: [], rnn: [] };
  let engine = '';
  for (let r = 0; r < rounds; r++) {
    for (const cell of CELL_TYPES) {
      const res = await benchFusedTrain({ ...shape, cell, batch, seq, threads, seconds, minSteps: 2 });
      engine = res.engine;
      runs[cell].push(res.charsPerSecond);
      cpuRuns[cell].push(res.charsPerCpuSecond);
      note(`  round ${r + 1} ${cell.padEnd(4)} ${formatCount(res.charsPerSecond)} chars/s, ${formatCount(res.charsPerCpuSecond)} chars per CPU second`);
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((p, q) => p - q);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const charsPerSecond = Object.fromEntries(CELL_TYPES.map((c) => [c, median(runs[c])])) as Record<CellType, number>;
  const charsPerCpuSecond = Object.fromEntries(CELL_TYPES.map((c) => [c, median(cpuRuns[c])])) as Record<CellType, number>;
  const ratios = {
    gruOverLstm: charsPerSecond.gru / charsPerSecond.lstm,
    rnnOverLstm: charsPerSecond.rnn / charsPerSecond.lstm,
    cpuGruOverLstm: charsPerCpuSecond.gru / charsPerCpuSecond.lstm,
    cpuRnnOverLstm: charsPerCpuSecond.rnn / charsPerCpuSecond.lstm,
  };
  const result = {
    machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
    engine,
    shape: `${shape.layers}x${shape.hidden}`,
    embed: shape.embed,
    batch,
    seq,
    threads,
    rounds,
    secondsPerRun: seconds,
    charsPerSecond,
    charsPerCpuSecond,
    runs,
    cpuRuns,
    ratios,
  };
  if (a.flags.json) printJson({ ...result, provenance: resultProvenance(null, null) });
  else {
    for (const c of CELL_TYPES) process.stdout.write(`${c.padEnd(5)} ${formatCount(charsPerSecond[c]).padStart(10)} chars/s ${formatCount(charsPerCpuSecond[c]).padStart(10)} chars/CPU-s\n`);
    process.stdout.write(`GRU / LSTM ${ratios.gruOverLstm.toFixed(2)}x (CPU time ${ratios.cpuGruOverLstm.toFixed(2)}x), RNN / LSTM ${ratios.rnnOverLstm.toFixed(2)}x (CPU time ${ratios.cpuRnnOverLstm.toFixed(2)}x)\n`);
  }
  return 0;
}
