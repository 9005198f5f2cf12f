import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Histogram, monitorEventLoopDelay } from 'perf_hooks';
import { ModelSpec } from '../core/modelSpec';
import { initParams, paramLayout } from '../core/params';
import { TrainingJobRequest } from '../core/workspaceTraining/trainingJob';
import { runTrainingInWorker } from '../core/workspaceTraining/trainingWorkerClient';
import { TrainOptions, trainModel } from '../core/trainer/trainer';
import { TextSource } from '../core/trainer/trainingData';

export interface HostLagOptions {
  sources: TextSource[];
  spec: ModelSpec;
  threads: number;
  seconds: number;
  /** Told what is running. */
  onPhase?: (text: string) => void;
}

export interface DelayFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface HostLagResult extends DelayFigures {
  /** Training chars/s in the worker (time in training steps). */
  charsPerSecond: number;
  /** The same training in-process, as `lstm-lens train` runs it. */
  cliCharsPerSecond: number;
  workerOverCli: number;
  /** Event-loop delay while training ran in-process (what the editor would feel without a worker). */
  inProcess: DelayFigures;
  /** Event-loop delay with nothing running, for the noise floor of this machine. */
  idle: DelayFigures;
  threads: number;
  seconds: number;
  corpusChars: number;
  machine: { cpu: string | undefined; cores: number; loadAverage: number[]; node: string };
}

/**
 * How the main thread fares while Train on Workspace trains: the event-loop
 * delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution) with the training
 * worker running, against the same training in-process (the CLI's way), and
 * the training speed in both. The main thread does what the extension host
 * does during a run: it receives the worker's progress messages.
 */
export async function benchHostLag(opts: HostLagOptions): Promise<HostLagResult> {
  const layout = paramLayout(opts.spec);
  const initial = initParams(layout, 1);
  const train: Pick<TrainOptions, 'minutes' | 'epochs' | 'valFraction' | 'patience' | 'threads' | 'seq' | 'batch' | 'learningRate' | 'evalEverySeconds' | 'checkpointEverySeconds' | 'seed'> = {
    minutes: opts.seconds / 60,
    epochs: Infinity,
    valFraction: 0.1,
    patience: 1000,
    threads: opts.threads,
    seq: 64,
    batch: 32,
    learningRate: 2e-3,
    evalEverySeconds: Infinity,
    checkpointEverySeconds: Infinity,
    seed: 1,
  };

  opts.onPhase?.('idle main thread (noise floor)');
  const idle = await measureDelay(() => new Promise((resolve) => setTimeout(resolve, Math.min(5000, opts.seconds * 250))));

  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-hostlag-'));
  let workerCharsPerSecond = 0;
  try {
    const req: TrainingJobRequest = {
      spec: opts.spec,
      initial,
      baseline: null,
      sources: opts.sources,
      train,
      outDir: path.join(tmp, 'model'),
      checkpointDir: path.join(tmp, 'checkpoint'),
      modelName: 'host-lag bench',
      startedFrom: 'scratch',
      corpus: { files: opts.sources.length, chars: opts.sources.reduce((n, s) => n + s.text.length, 0) },
      compareChars: 4096,
      cellChars: 0,
    };
    // Under a varying load (other processes on the cores), alternate the two
    // ways in short rounds so that both see the same conditions.
    const rounds = 2;
    const perRound = { ...train, minutes: train.minutes / rounds };
    const workerRates: number[] = [];
    const cliRates: number[] = [];
    const workerDelays: DelayFigures[] = [];
    const inProcessDelays: DelayFigures[] = [];
    for (let round = 0; round < rounds; round++) {
      opts.onPhase?.(`round ${round + 1}/${rounds}: training in a worker for ${opts.seconds / rounds} s`);
      workerDelays.push(
        await measureDelay(async () => {
          const result = await runTrainingInWorker({ ...req, train: perRound }, new AbortController().signal, () => undefined);
          workerRates.push(result.charsPerSecond);
        }),
      );
      opts.onPhase?.(`round ${round + 1}/${rounds}: training in-process for ${opts.seconds / rounds} s`);
      inProcessDelays.push(
        await measureDelay(async () => {
          const outcome = await trainModel(layout, initial, opts.sources, perRound);
          cliRates.push(outcome.charsPerSecond);
        }),
      );
    }
    const worker = worst(workerDelays);
    const inProcess = worst(inProcessDelays);
    workerCharsPerSecond = mean(workerRates);
    const cliCharsPerSecond = mean(cliRates);
    return {
      ...worker,
      charsPerSecond: workerCharsPerSecond,
      cliCharsPerSecond,
      workerOverCli: cliCharsPerSecond > 0 ? workerCharsPerSecond / cliCharsPerSecond : 0,
      inProcess,
      idle,
      threads: opts.threads,
      seconds: opts.seconds,
      corpusChars: req.corpus.chars,
      machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100), node: process.version },
    };
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** The worse of each figure over several measurements (a conservative summary). */
function worst(all: DelayFigures[]): DelayFigures {
  return { p50Ms: Math.max(...all.map((d) => d.p50Ms)), p99Ms: Math.max(...all.map((d) => d.p99Ms)), maxMs: Math.max(...all.map((d) => d.maxMs)) };
}

async function measureDelay(run: () => Promise<unknown>): Promise<DelayFigures> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    await run();
  } finally {
    histogram.disable();
  }
  return delayFigures(histogram);
}

/** p50, p99 and max of an event-loop delay histogram, in ms to 0.01. */
export function delayFigures(histogram: Histogram): DelayFigures {
  const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
  return { p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
}
