import { resultProvenance } from '../../bench/resultProvenance';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchFusedCompletion, benchFusedStep, benchFusedTrain } from '../../bench/fusedEngineBench';
import { benchTfjsStep, benchTfjsTrain, benchTorch, isSkipped } from '../../bench/referenceEngines';
import { UsageError, parseArgs } from '../args';
import { activationBenchCommand } from '../../bench/activationBench';
import { cellTypesBenchCommand } from '../../bench/cellTypesBench';
import { featuresBenchCommand } from '../../bench/featuresBench';
import { completionBenchCommand } from './benchCompletion';
import { conceptsBenchCommand } from './benchConcepts';
import { firstRunBenchCommand } from './benchFirstRun';
import { conceptLabelsBenchCommand } from './benchConceptLabels';
import { hostLagBenchCommand } from './benchHostLag';
import { idleTrainingBenchCommand } from './benchIdleTraining';
import { kernelsBenchCommand } from './benchKernels';
import { soakBenchCommand } from './benchSoak';
import { workspaceBenchCommand } from './benchWorkspace';
import { workspaceNamesBenchCommand } from './benchWorkspaceNames';
import { formatCount, note, printJson } from '../output';

export const BENCH_USAGE = 'bench [--json] [--quick] [--no-reference]';

/** `lstm-lens bench NAME ...`: every benchmark besides the engine comparison below. */
const BENCH_SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  completion: completionBenchCommand,
  'host-lag': hostLagBenchCommand,
  soak: soakBenchCommand,
  activation: activationBenchCommand,
  kernels: kernelsBenchCommand,
  concepts: conceptsBenchCommand,
  'concept-labels': conceptLabelsBenchCommand,
  workspace: workspaceBenchCommand,
  'workspace-names': workspaceNamesBenchCommand,
  'first-run': firstRunBenchCommand,
  'idle-training': idleTrainingBenchCommand,
  cells: cellTypesBenchCommand,
  features: featuresBenchCommand,
};

interface Row {
  engine: string;
  model: string;
  threads: string;
  trainCharsPerSecond?: number;
  stepUs?: number;
  note?: string;
}

/** Where bench/torch_lstm.py is: beside dist/ in the repo, or in the tsc output tree. */
function torchScript(): string {
  const fromDist = path.join(__dirname, '..', 'bench', 'torch_lstm.py');
  const fromOut = path.join(__dirname, '..', '..', '..', '..', 'bench', 'torch_lstm.py');
  return fs.existsSync(fromDist) ? fromDist : fromOut;
}

/**
 * The engine benchmarks of the foundation, all in one run so the figures
 * compare: training chars/s for 1×128 and 2×256 (batch 32, window 64) with
 * the fused engine (one and two threads), tf.layers on the wasm and cpu
 * backends and PyTorch where installed; µs per inference step at batch 1;
 * ms for a 40-character greedy and beam-4 completion.
 */
export async function benchCommand(argv: string[]): Promise<number> {
  if (Object.hasOwn(BENCH_SUBCOMMANDS, argv[0] ?? '')) return BENCH_SUBCOMMANDS[argv[0]](argv.slice(1));
  const a = parseArgs(argv, { values: {}, switches: ['json', 'quick', 'no-reference'] });
  if (a.positional.length > 0) {
    const known = ['bench', ...Object.keys(BENCH_SUBCOMMANDS).map((name) => `bench ${name}`)];
    throw new UsageError(`unknown bench ${JSON.stringify(a.positional[0])} (${known.join(', ')})`);
  }
  const quick = Boolean(a.flags.quick);
  const withReference = !a.flags['no-reference'];
  const secs = quick ? 2 : 6;
  const shapes = [
    { name: '1x128', layers: 1, hidden: 128, embed: 64 },
    { name: '2x256', layers: 2, hidden: 256, embed: 64 },
  ];
  const batch = 32;
  const seq = 64;
  const rows: Row[] = [];
  const log = (r: Row) => {
    rows.push(r);
    note(`  ${r.engine.padEnd(16)} ${r.model.padEnd(6)} threads ${r.threads.padEnd(10)} ${r.trainCharsPerSecond !== undefined ? formatCount(r.trainCharsPerSecond) + ' chars/s' : ''}${r.stepUs !== undefined ? ` ${r.stepUs.toFixed(1)} µs/step` : ''}${r.note ? `  (${r.note})` : ''}`);
  };

  note(`bench on ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}; batch ${batch}, window ${seq}, embedding 64`);
  for (const s of shapes) {
    for (const threads of [1, 2]) {
      const r = await benchFusedTrain({ ...s, batch, seq, threads, seconds: secs, minSteps: 2 });
      log({ engine: r.engine, model: s.name, threads: String(r.threads), trainCharsPerSecond: r.charsPerSecond });
    }
    const step = benchFusedStep({ ...s, steps: quick ? 2000 : 10000 });
    log({ engine: step.engine, model: s.name, threads: '1 (batch 1)', stepUs: step.stepUs });
  }
  const big = shapes[1];
  const completion = benchFusedCompletion({ ...big, repeats: quick ? 20 : 100, chars: 40 });
  note(`  completion 2x256, 40 chars: greedy ${completion.greedyMs.toFixed(2)} ms, beam-4 ${completion.beam4Ms.toFixed(2)} ms`);

  if (withReference) {
    for (const s of shapes) {
      const ref = { layers: s.layers, hidden: s.hidden, embed: s.embed, vocab: 98 };
      for (const backend of ['wasm', 'cpu'] as const) {
        if (quick && backend === 'cpu' && s.hidden > 128) continue;
        const r = await benchTfjsTrain({ ...ref, backend, batch, seq, seconds: backend === 'cpu' ? 1 : secs / 2, minSteps: 1 });
        log(isSkipped(r) ? { engine: r.engine, model: s.name, threads: '-', note: r.skipped } : { engine: r.engine, model: s.name, threads: '1', trainCharsPerSecond: r.charsPerSecond, note: r.note });
        const st = await benchTfjsStep({ ...ref, backend, steps: backend === 'cpu' ? 30 : 300 });
        if (!isSkipped(st)) log({ engine: st.engine, model: s.name, threads: '1 (batch 1)', stepUs: st.stepUs, note: st.method });
      }
      const t = await benchTorch({ ...ref, batch, seq, seconds: secs, torchThreads: 1, blasThreads: 2, scriptPath: torchScript() });
      log(isSkipped(t) ? { engine: 'pytorch', model: s.name, threads: '-', note: t.skipped } : { engine: `pytorch ${t.version}`, model: s.name, threads: 'torch 1, BLAS 2', trainCharsPerSecond: t.charsPerSecond, stepUs: t.stepUs ?? undefined });
    }
  }

  const fused = (model: string, threads: string) => rows.find((r) => r.engine.startsWith('fused') && r.model === model && r.threads === threads);
  const torch = (model: string) => rows.find((r) => r.engine.startsWith('pytorch ') && r.model === model);
  const ratios: Record<string, number | null> = {};
  for (const s of shapes) {
    const f = fused(s.name, '2');
    const t = torch(s.name);
    ratios[`train${s.name}FusedOverTorch`] = f?.trainCharsPerSecond && t?.trainCharsPerSecond ? f.trainCharsPerSecond / t.trainCharsPerSecond : null;
  }
  const f1 = fused('2x256', '1 (batch 1)');
  const t1 = torch('2x256');
  ratios.step2x256TorchOverFused = f1?.stepUs && t1?.stepUs ? t1.stepUs / f1.stepUs : null;
  for (const [k, v] of Object.entries(ratios)) note(`  ${k}: ${v === null ? 'n/a (PyTorch not installed)' : v.toFixed(2)}`);

  const result = { machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version }, batch, seq, rows, completion2x256: completion, ratios };
  if (a.flags.json) printJson({ ...result, provenance: resultProvenance(null, null) });
  else {
    process.stdout.write('engine           model  threads          train chars/s  step µs\n');
    for (const r of rows) {
      process.stdout.write(`${r.engine.padEnd(16)} ${r.model.padEnd(6)} ${r.threads.padEnd(16)} ${(r.trainCharsPerSecond ? formatCount(r.trainCharsPerSecond) : '-').padStart(13)}  ${r.stepUs ? r.stepUs.toFixed(1) : '-'}${r.note ? `  ${r.note}` : ''}\n`);
    }
    process.stdout.write(`completion 2x256 40 chars: greedy ${completion.greedyMs.toFixed(2)} ms, beam-4 ${completion.beam4Ms.toFixed(2)} ms\n`);
  }
  return 0;
}
