/**
 * Reference engines for the benchmarks: TensorFlow.js (wasm, cpu and, when
 * present, tfjs-node) and PyTorch (through bench/torch_lstm.py). Each one
 * runs the same char-LSTM shape as the project's own kernels so the figures
 * can sit side by side in one benchmark run.
 *
 * Every function resolves to plain JSON-able data and never rejects for a
 * missing engine: it answers `{ engine, skipped: reason }` instead.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as TfTypes from '@tensorflow/tfjs';

type Tf = typeof TfTypes;

export type TfjsBackendName = 'wasm' | 'cpu' | 'tensorflow';

/** The char-LSTM shape shared by all engines. */
export interface ReferenceModelShape {
  layers: number;
  hidden: number;
  embed: number;
  vocab: number;
}

export interface TfjsTrainOptions extends ReferenceModelShape {
  backend: TfjsBackendName;
  batch: number;
  seq: number;
  /** Keep timing until this many seconds have passed... */
  seconds: number;
  /** ...and at least this many steps are done. */
  minSteps: number;
  learningRate?: number;
}

export interface TfjsStepOptions extends ReferenceModelShape {
  backend: TfjsBackendName;
  /** Timed single-character steps per method. */
  steps: number;
  /** Which inference path to time; 'both' times both and reports the faster. */
  method?: TfjsStepMethod | 'both';
}

export type TfjsStepMethod = 'predict-stateful' | 'tidy-cell';

export interface TorchOptions extends ReferenceModelShape {
  batch: number;
  seq: number;
  seconds: number;
  /** torch.set_num_threads (intra-op OpenMP threads). */
  torchThreads: number;
  /** OPENBLAS_NUM_THREADS for the child; inherited from this process when left out. */
  blasThreads?: number;
  minSteps?: number;
  /** Timed batch-1 inference steps (default 2000). */
  stepIters?: number;
  /** Interpreters to try in order; the first with torch wins. */
  pythonCandidates?: string[];
  scriptPath?: string;
  timeoutMs?: number;
}

export interface SkippedResult {
  engine: string;
  skipped: string;
}

export interface TrainResult {
  engine: string;
  charsPerSecond: number;
  steps: number;
  seconds: number;
  /** Mean cross-entropy of the last step (about ln(vocab) on random data). */
  loss: number;
  note?: string;
}

export interface StepResult {
  engine: string;
  /** Microseconds per character for the chosen (faster) method. */
  stepUs: number;
  method: TfjsStepMethod;
  steps: number;
  predictStatefulUs?: number;
  tidyCellUs?: number;
  /** Largest logit difference between the two paths over a few steps (both must compute the same model). */
  maxAbsDiff?: number;
  note: string;
}

export interface TorchResult {
  engine: 'pytorch';
  charsPerSecond: number;
  /** Batch-1 µs per character; null when stepIters was 0. */
  stepUs: number | null;
  version: string;
  threads: number;
  /** Threads OpenBLAS reports inside the child; null when torch does not use OpenBLAS. */
  blasThreads: number | null;
  steps: number;
  seconds: number;
  loss: number;
  python: string;
}

export function isSkipped(result: object): result is SkippedResult {
  return typeof (result as Partial<SkippedResult>).skipped === 'string';
}

// ---------------------------------------------------------------------------
// Keeping stdout clean: the CLI prints JSON there, tfjs prints chatter.

const TFJS_NODE_NAG = /looks like you are running TensorFlow\.js in Node\.js/;
let quietDepth = 0;
let savedConsole: Pick<Console, 'log' | 'info' | 'debug' | 'warn'> | undefined;

function toStderr(...args: unknown[]): void {
  console.error(...args);
}

/**
 * Runs fn with console.log/info/debug sent to stderr and the "install
 * tfjs-node" banner dropped (we report tfjs-node's absence ourselves).
 * Emscripten binds console.log when the wasm module is created, so creating
 * it in here routes its prints to stderr for good.
 */
async function withQuietConsole<T>(fn: () => Promise<T>): Promise<T> {
  if (quietDepth++ === 0) {
    savedConsole = { log: console.log, info: console.info, debug: console.debug, warn: console.warn };
    const originalWarn = console.warn;
    console.log = toStderr;
    console.info = toStderr;
    console.debug = toStderr;
    console.warn = (...args: unknown[]) => {
      if (args.some((a) => typeof a === 'string' && TFJS_NODE_NAG.test(a))) return;
      originalWarn(...args);
    };
  }
  try {
    return await fn();
  } finally {
    if (--quietDepth === 0 && savedConsole) {
      Object.assign(console, savedConsole);
      savedConsole = undefined;
    }
  }
}

// ---------------------------------------------------------------------------
// Loading tfjs and its backends lazily: the CLI should not pay for tfjs
// unless a reference benchmark actually runs.

// createRequire keeps bundlers from trying to pull the native tfjs-node in.
const optionalRequire = createRequire(__filename);

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}

/**
 * Loads tfjs the bundler-friendly way; when that fails because this file was
 * compiled outside the project tree (no node_modules above it), falls back to
 * the node_modules of the working directory. The backend packages must come
 * from the same place so they register on the same tfjs-core instance.
 */
async function importTfjs(): Promise<{ tf: Tf; importBackend: (name: string) => Promise<unknown> }> {
  try {
    const tf = await import('@tensorflow/tfjs');
    const importBackend = (name: string) =>
      name === '@tensorflow/tfjs-backend-wasm' ? import('@tensorflow/tfjs-backend-wasm') : Promise.resolve(optionalRequire(name));
    return { tf, importBackend };
  } catch (err) {
    const cwdRequire = createRequire(path.join(process.cwd(), 'package.json'));
    try {
      const tf = cwdRequire('@tensorflow/tfjs') as Tf;
      return { tf, importBackend: (name: string) => Promise.resolve(cwdRequire(name)) };
    } catch {
      throw err;
    }
  }
}

async function loadTfjs(backend: TfjsBackendName): Promise<{ tf: Tf } | { skipped: string }> {
  let loaded: Awaited<ReturnType<typeof importTfjs>>;
  try {
    loaded = await importTfjs();
  } catch (err) {
    return { skipped: `@tensorflow/tfjs is not loadable: ${firstLine(err)}` };
  }
  const { tf, importBackend } = loaded;
  const backendPackage = { wasm: '@tensorflow/tfjs-backend-wasm', tensorflow: '@tensorflow/tfjs-node', cpu: undefined }[backend];
  if (backendPackage) {
    try {
      await importBackend(backendPackage);
    } catch (err) {
      const optional = backend === 'tensorflow' ? ' (optional dependency)' : '';
      return { skipped: `${backendPackage}${optional} is not available: ${firstLine(err)}` };
    }
  }
  try {
    if (!(await tf.setBackend(backend))) return { skipped: `tfjs backend '${backend}' failed to initialise` };
    await tf.ready();
  } catch (err) {
    return { skipped: `tfjs backend '${backend}' failed to initialise: ${firstLine(err)}` };
  }
  return { tf };
}

async function wasmNote(tf: Tf): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `wasm ${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'multi-threaded' : 'single-threaded'}`;
}

// ---------------------------------------------------------------------------
// Model

interface BuildOptions {
  /** One-hot float input instead of an embedding layer. */
  oneHot: boolean;
  /** Full [batch, time] input shape; stateful layers need the batch fixed. */
  batchInputShape: [number, number];
  stateful: boolean;
}

function buildCharLstm(tf: Tf, shape: ReferenceModelShape, build: BuildOptions): TfTypes.Sequential {
  const model = tf.sequential();
  if (!build.oneHot) {
    model.add(tf.layers.embedding({ inputDim: shape.vocab, outputDim: shape.embed, batchInputShape: build.batchInputShape }));
  }
  for (let l = 0; l < shape.layers; l++) {
    model.add(
      tf.layers.lstm({
        units: shape.hidden,
        returnSequences: true,
        stateful: build.stateful,
        recurrentActivation: 'sigmoid',
        // The default orthogonal initializer runs a QR that takes minutes at 256 units.
        recurrentInitializer: 'glorotUniform',
        ...(build.oneHot && l === 0 ? { batchInputShape: [...build.batchInputShape, shape.vocab] } : {}),
      }),
    );
  }
  model.add(tf.layers.dense({ units: shape.vocab }));
  return model;
}

function randomIds(count: number, vocab: number): number[] {
  return Array.from({ length: count }, () => Math.floor(Math.random() * vocab));
}

// ---------------------------------------------------------------------------
// Training throughput

/**
 * Characters per second of whole Adam training steps (forward, backward,
 * update) on a B×T batch of random ids, after one untimed warm-up step.
 */
export async function benchTfjsTrain(opts: TfjsTrainOptions): Promise<TrainResult | SkippedResult> {
  const engine = `tfjs-${opts.backend}`;
  return withQuietConsole(async () => {
    const loaded = await loadTfjs(opts.backend);
    if ('skipped' in loaded) return { engine, skipped: loaded.skipped };
    const { tf } = loaded;

    // The embedding's gradient needs UnsortedSegmentSum, which tfjs-backend-wasm lacks.
    const oneHot = opts.backend === 'wasm';
    const model = buildCharLstm(tf, opts, { oneHot, batchInputShape: [opts.batch, opts.seq], stateful: false });
    const optimizer = tf.train.adam(opts.learningRate ?? 2e-3);
    const inputIds = tf.tensor2d(randomIds(opts.batch * opts.seq, opts.vocab), [opts.batch, opts.seq], 'int32');
    const targets = tf.tidy(() =>
      tf.oneHot(tf.tensor2d(randomIds(opts.batch * opts.seq, opts.vocab), [opts.batch, opts.seq], 'int32'), opts.vocab),
    );

    const trainStep = (): number => {
      const cost = optimizer.minimize(() => {
        // One-hot is built inside the step, as a real input pipeline would per batch.
        const input = oneHot ? tf.oneHot(inputIds, opts.vocab) : inputIds;
        const logits = model.apply(input) as TfTypes.Tensor;
        return tf.losses.softmaxCrossEntropy(targets, logits) as TfTypes.Scalar;
      }, true);
      // Reading the loss back makes the step complete on any backend.
      const value = cost ? cost.dataSync()[0] : NaN;
      cost?.dispose();
      return value;
    };

    try {
      trainStep(); // warm-up: variable creation, Adam slots, kernel compilation
      let steps = 0;
      let loss = NaN;
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < opts.seconds * 1000 || steps < opts.minSteps) {
        loss = trainStep();
        steps++;
        elapsed = performance.now() - start;
      }
      const seconds = elapsed / 1000;
      const notes: string[] = [];
      if (oneHot) notes.push('one-hot input, no embedding layer (wasm lacks UnsortedSegmentSum for the embedding gradient)');
      if (opts.backend === 'wasm') notes.push(await wasmNote(tf));
      return {
        engine,
        charsPerSecond: (opts.batch * opts.seq * steps) / seconds,
        steps,
        seconds,
        loss,
        ...(notes.length ? { note: notes.join('; ') } : {}),
      };
    } finally {
      inputIds.dispose();
      targets.dispose();
      optimizer.dispose();
      model.dispose();
    }
  });
}

// ---------------------------------------------------------------------------
// Single-character inference latency

/**
 * Microseconds per character for batch-1 stateful inference (id in, logits
 * read back). Two ways to do it in tfjs are timed:
 *  - 'predict-stateful': model.predict on a [1,1] input with stateful LSTMs,
 *    the stock Layers API path;
 *  - 'tidy-cell': the same weights driven by hand inside tf.tidy, with each
 *    layer's input and recurrent kernels concatenated once so a step is one
 *    matMul per layer; this skips Layers' per-call bookkeeping.
 * stepUs is the faster of the two, so tfjs is shown at its best.
 */
export async function benchTfjsStep(opts: TfjsStepOptions): Promise<StepResult | SkippedResult> {
  const engine = `tfjs-${opts.backend}`;
  const method = opts.method ?? 'both';
  const timedSteps = Math.max(1, Math.floor(opts.steps));
  return withQuietConsole(async () => {
    const loaded = await loadTfjs(opts.backend);
    if ('skipped' in loaded) return { engine, skipped: loaded.skipped };
    const { tf } = loaded;

    // Inference needs only gather (registered on wasm), so every backend keeps the embedding.
    const model = buildCharLstm(tf, opts, { oneHot: false, batchInputShape: [1, 1], stateful: true });
    const cell = new ManualCell(tf, model, opts);
    const warmup = Math.min(20, timedSteps);
    const ids = randomIds(timedSteps, opts.vocab);

    const predictStep = (id: number): Float32Array | Int32Array | Uint8Array => {
      const logits = tf.tidy(() => model.predict(tf.tensor2d([id], [1, 1], 'int32')) as TfTypes.Tensor);
      const values = logits.dataSync();
      logits.dispose();
      return values;
    };
    const timeSteps = (step: (id: number) => unknown, reset: () => void): number => {
      reset();
      for (let i = 0; i < warmup; i++) step(ids[i]);
      reset();
      const start = performance.now();
      for (let i = 0; i < timedSteps; i++) step(ids[i]);
      return ((performance.now() - start) * 1000) / timedSteps;
    };

    try {
      // Both paths must compute the same model, else the comparison is moot.
      let maxAbsDiff = 0;
      model.resetStates();
      cell.reset();
      for (let i = 0; i < Math.min(5, ids.length); i++) {
        const a = predictStep(ids[i]);
        const b = cell.step(ids[i]);
        for (let k = 0; k < a.length; k++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a[k] - b[k]));
      }

      const predictStatefulUs = method === 'tidy-cell' ? undefined : timeSteps(predictStep, () => model.resetStates());
      const tidyCellUs = method === 'predict-stateful' ? undefined : timeSteps((id) => cell.step(id), () => cell.reset());
      const chosen: TfjsStepMethod =
        tidyCellUs !== undefined && (predictStatefulUs === undefined || tidyCellUs < predictStatefulUs) ? 'tidy-cell' : 'predict-stateful';
      const notes = [
        chosen === 'tidy-cell'
          ? 'stepUs from tf.tidy manual cell math on the layer weights (fused [x,h] kernel per layer)'
          : 'stepUs from model.predict on [1,1] input with stateful LSTMs',
        'embedding lookup + LSTM step + dense logits, logits read back each step',
      ];
      if (opts.backend === 'wasm') notes.push(await wasmNote(tf));
      return {
        engine,
        stepUs: (chosen === 'tidy-cell' ? tidyCellUs : predictStatefulUs) as number,
        method: chosen,
        steps: timedSteps,
        ...(predictStatefulUs !== undefined ? { predictStatefulUs } : {}),
        ...(tidyCellUs !== undefined ? { tidyCellUs } : {}),
        maxAbsDiff,
        note: notes.join('; '),
      };
    } finally {
      cell.dispose();
      disposeRecurrentStates(tf, model);
      model.dispose();
    }
  });
}

/** model.dispose() frees weights only; stateful RNN layers also hold their state tensors. */
function disposeRecurrentStates(tf: Tf, model: TfTypes.Sequential): void {
  for (const layer of model.layers) {
    const states = (layer as unknown as { states?: unknown }).states;
    if (Array.isArray(states)) tf.dispose(states as TfTypes.Tensor[]);
  }
}

/** Batch-1 LSTM stack driven op by op with weights taken from a Layers model. */
class ManualCell {
  private readonly embedding: TfTypes.Tensor2D;
  /** Per layer: [input kernel; recurrent kernel] stacked along rows, [in+H, 4H]. */
  private readonly fusedKernels: TfTypes.Tensor2D[];
  private readonly biases: TfTypes.Tensor1D[];
  private readonly headKernel: TfTypes.Tensor2D;
  private readonly headBias: TfTypes.Tensor1D;
  private h: TfTypes.Tensor2D[] = [];
  private c: TfTypes.Tensor2D[] = [];

  constructor(
    private readonly tf: Tf,
    model: TfTypes.Sequential,
    private readonly shape: ReferenceModelShape,
  ) {
    const [embedLayer, ...rest] = model.layers;
    const lstmLayers = rest.slice(0, shape.layers);
    const headLayer = rest[shape.layers];
    this.embedding = embedLayer.getWeights()[0] as TfTypes.Tensor2D;
    this.fusedKernels = [];
    this.biases = [];
    for (const layer of lstmLayers) {
      // tfjs LSTM weights: kernel [in, 4H], recurrent kernel [H, 4H], bias [4H]; gates i, f, c, o.
      const [kernel, recurrent, bias] = layer.getWeights();
      this.fusedKernels.push(tf.concat([kernel as TfTypes.Tensor2D, recurrent as TfTypes.Tensor2D], 0));
      this.biases.push(bias as TfTypes.Tensor1D);
    }
    const [headKernel, headBias] = headLayer.getWeights();
    this.headKernel = headKernel as TfTypes.Tensor2D;
    this.headBias = headBias as TfTypes.Tensor1D;
    this.reset();
  }

  reset(): void {
    this.disposeState();
    for (let l = 0; l < this.shape.layers; l++) {
      this.h.push(this.tf.zeros([1, this.shape.hidden]));
      this.c.push(this.tf.zeros([1, this.shape.hidden]));
    }
  }

  /** Advances the state by one character and returns its logits. */
  step(id: number): Float32Array | Int32Array | Uint8Array {
    const tf = this.tf;
    const layers = this.shape.layers;
    const out = tf.tidy(() => {
      let x = tf.gather(this.embedding, tf.tensor1d([id], 'int32'));
      const nextH: TfTypes.Tensor2D[] = [];
      const nextC: TfTypes.Tensor2D[] = [];
      for (let l = 0; l < layers; l++) {
        const z = tf.add(tf.matMul(tf.concat([x, this.h[l]], 1), this.fusedKernels[l]), this.biases[l]) as TfTypes.Tensor2D;
        const [zi, zf, zg, zo] = tf.split(z, 4, 1);
        const c = tf.add(tf.mul(tf.sigmoid(zf), this.c[l]), tf.mul(tf.sigmoid(zi), tf.tanh(zg))) as TfTypes.Tensor2D;
        const h = tf.mul(tf.sigmoid(zo), tf.tanh(c)) as TfTypes.Tensor2D;
        nextH.push(h);
        nextC.push(c);
        x = h;
      }
      const logits = tf.add(tf.matMul(x, this.headKernel), this.headBias) as TfTypes.Tensor2D;
      return [logits, ...nextH, ...nextC];
    });
    const [logits, ...states] = out;
    this.disposeState();
    this.h = states.slice(0, layers);
    this.c = states.slice(layers);
    const values = logits.dataSync();
    logits.dispose();
    return values;
  }

  private disposeState(): void {
    for (const t of [...this.h, ...this.c]) t.dispose();
    this.h = [];
    this.c = [];
  }

  dispose(): void {
    this.disposeState();
    // The embedding, biases and head tensors are the model's own variables; the model disposes them.
    for (const t of this.fusedKernels) t.dispose();
  }
}

// ---------------------------------------------------------------------------
// PyTorch

const TORCH_SCRIPT = path.join('bench', 'torch_lstm.py');

/** Looks for bench/torch_lstm.py above this file (source, out/ or dist/) and above the cwd. */
function findTorchScript(): string | undefined {
  for (const start of [__dirname, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      const candidate = path.join(dir, TORCH_SCRIPT);
      if (fs.existsSync(candidate)) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

interface ChildOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  spawnError?: NodeJS.ErrnoException;
  timedOut: boolean;
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => (spawnError = err));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, spawnError, timedOut });
    });
  });
}

function lastJsonLine(text: string): Record<string, unknown> | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]) as Record<string, unknown>;
    } catch {
      // not JSON after all; keep looking upward
    }
  }
  return undefined;
}

function tail(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

/**
 * Runs bench/torch_lstm.py (training throughput and batch-1 step latency).
 * Tries /usr/bin/python3 first because `python3` on PATH may be a pyenv
 * interpreter without torch. Never rejects.
 */
export async function benchTorch(opts: TorchOptions): Promise<TorchResult | SkippedResult> {
  const engine = 'pytorch';
  // A given path that does not exist (say, guessed for another build layout) falls back to the search.
  const script = [opts.scriptPath, findTorchScript()].find((p): p is string => !!p && fs.existsSync(p));
  if (!script) return { engine, skipped: `${TORCH_SCRIPT} not found` };

  const args = [
    script,
    `--layers=${opts.layers}`,
    `--hidden=${opts.hidden}`,
    `--embed=${opts.embed}`,
    `--vocab=${opts.vocab}`,
    `--batch=${opts.batch}`,
    `--seq=${opts.seq}`,
    `--seconds=${opts.seconds}`,
    `--min-steps=${opts.minSteps ?? 1}`,
    `--step-iters=${opts.stepIters ?? 2000}`,
    `--threads=${opts.torchThreads}`,
  ];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (opts.blasThreads !== undefined) env.OPENBLAS_NUM_THREADS = String(opts.blasThreads);
  // Room for importing torch, the warm-up step and the inference timing.
  const timeoutMs = opts.timeoutMs ?? opts.seconds * 1000 + 120_000;

  const reasons: string[] = [];
  for (const python of opts.pythonCandidates ?? ['/usr/bin/python3', 'python3']) {
    const outcome = await runChild(python, args, env, timeoutMs);
    if (outcome.spawnError) {
      reasons.push(`${python}: ${outcome.spawnError.code ?? outcome.spawnError.message}`);
      continue;
    }
    if (outcome.timedOut) return { engine, skipped: `${python} ${TORCH_SCRIPT} timed out after ${timeoutMs} ms` };
    const parsed = lastJsonLine(outcome.stdout);
    if (outcome.code === 2 && parsed && typeof parsed.skipped === 'string') {
      reasons.push(parsed.skipped); // this interpreter lacks torch; try the next one
      continue;
    }
    if (outcome.code !== 0 || !parsed || typeof parsed.charsPerSecond !== 'number') {
      return { engine, skipped: `${python} ${TORCH_SCRIPT} failed (exit ${outcome.code}): ${tail(outcome.stderr) || 'no JSON output'}` };
    }
    return {
      engine,
      charsPerSecond: parsed.charsPerSecond,
      stepUs: typeof parsed.stepUs === 'number' ? parsed.stepUs : null,
      version: String(parsed.version),
      threads: Number(parsed.threads),
      blasThreads: typeof parsed.blasThreads === 'number' ? parsed.blasThreads : null,
      steps: Number(parsed.steps),
      seconds: Number(parsed.seconds),
      loss: Number(parsed.loss),
      python: String(parsed.python ?? python),
    };
  }
  return { engine, skipped: `no python with torch: ${reasons.join('; ')}` };
}
