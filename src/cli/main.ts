import * as v8 from 'v8';
import { UsageError } from './args';
import { benchCommand, BENCH_USAGE } from './commands/bench';
import { ACTIVATION_BENCH_USAGE } from '../bench/activationBench';
import { CELL_TYPES_BENCH_USAGE } from '../bench/cellTypesBench';
import { FEATURES_BENCH_USAGE } from '../bench/featuresBench';
import { COMPLETION_BENCH_USAGE } from './commands/benchCompletion';
import { CONCEPTS_BENCH_USAGE } from './commands/benchConcepts';
import { CONCEPT_LABELS_BENCH_USAGE } from './commands/benchConceptLabels';
import { HOST_LAG_BENCH_USAGE } from './commands/benchHostLag';
import { KERNELS_BENCH_USAGE } from './commands/benchKernels';
import { SOAK_BENCH_USAGE } from './commands/benchSoak';
import { WORKSPACE_BENCH_USAGE } from './commands/benchWorkspace';
import { WORKSPACE_NAMES_BENCH_USAGE } from './commands/benchWorkspaceNames';
import { FIRST_RUN_BENCH_USAGE } from './commands/benchFirstRun';
import { IDLE_TRAINING_BENCH_USAGE } from './commands/benchIdleTraining';
import { cellsCommand, CELLS_USAGE } from './commands/cells';
import { compareCommand, COMPARE_USAGE } from './commands/compare';
import { completeCommand, COMPLETE_USAGE } from './commands/complete';
import { corpusCommand, CORPUS_USAGE } from './commands/corpus';
import { evalCommand, EVAL_USAGE } from './commands/evaluate';
import { exportCommand, EXPORT_USAGE } from './commands/exportModel';
import { featuresCommand, FEATURES_USAGE } from './commands/features';
import { trainCommand, TRAIN_USAGE } from './commands/train';

const USAGE = `usage: lstm-lens <command> ...
  ${TRAIN_USAGE}
  ${EVAL_USAGE}
  ${COMPLETE_USAGE}
  ${BENCH_USAGE}
  ${COMPLETION_BENCH_USAGE}
  ${HOST_LAG_BENCH_USAGE}
  ${SOAK_BENCH_USAGE}
  ${WORKSPACE_BENCH_USAGE}
  ${WORKSPACE_NAMES_BENCH_USAGE}
  ${FIRST_RUN_BENCH_USAGE}
  ${IDLE_TRAINING_BENCH_USAGE}
  ${ACTIVATION_BENCH_USAGE}
  ${CELL_TYPES_BENCH_USAGE}
  ${FEATURES_BENCH_USAGE}
  ${KERNELS_BENCH_USAGE}
  ${CONCEPTS_BENCH_USAGE}
  ${CONCEPT_LABELS_BENCH_USAGE}
  ${CELLS_USAGE}
  ${FEATURES_USAGE}
  ${COMPARE_USAGE}
  ${EXPORT_USAGE}
  ${CORPUS_USAGE}`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  train: trainCommand,
  eval: evalCommand,
  complete: completeCommand,
  bench: benchCommand,
  cells: cellsCommand,
  compare: compareCommand,
  features: featuresCommand,
  export: exportCommand,
  corpus: corpusCommand,
};

/**
 * Runs one CLI command. Every failure becomes one line on stderr and a
 * non-zero exit code (2 for a usage mistake, 1 otherwise); set
 * LSTM_LENS_DEBUG=1 to see stack traces.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)} (${Object.keys(COMMANDS).join(', ')})`);
    return await command(rest);
  } catch (err) {
    const e = err as Error;
    process.stderr.write(`lstm-lens ${name}: ${e.message ?? String(err)}\n`);
    if (process.env.LSTM_LENS_DEBUG) process.stderr.write(`${e.stack}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  // Node 20's V8 runs relaxed SIMD (fused multiply-add, 15-25% faster kernels)
  // only behind this flag; newer V8s (VS Code's) have it on. The flag is
  // process-wide, so training workers get it too. LSTM_LENS_PLAIN_SIMD=1 opts out.
  if (!process.env.LSTM_LENS_PLAIN_SIMD) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`lstm-lens: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
