import { Engine } from '../core/engine';
import { createFastestOps } from '../core/kernels/wasmOps';
import { JsOps } from '../core/kernels/jsOps';
import { Ops } from '../core/kernels/ops';
import { newManifest } from '../core/model/manifest';
import { CellType, ModelSpec } from '../core/modelSpec';
import { initParams, makeRng, paramLayout } from '../core/params';
import { beamSearch, greedySearch } from '../core/search';
import { Adam, clipByGlobalNorm } from '../core/trainer/adam';
import { GradientSource, LocalGradientSource, ParallelGradientSource } from '../core/trainer/gradientSource';
import { NEWLINE_ID } from '../core/vocab';

export interface ShapeOptions {
  layers: number;
  hidden: number;
  embed: number;
  /** Default lstm. */
  cell?: CellType;
}

function specOf(s: ShapeOptions): ModelSpec {
  const spec: ModelSpec = { vocabSize: 98, embedDim: s.embed, hidden: Array.from({ length: s.layers }, () => s.hidden) };
  return s.cell && s.cell !== 'lstm' ? { ...spec, cell: s.cell } : spec;
}

/**
 * Whole training steps of the fused engine (forward, backward, clipping,
 * Adam) on random text, the way the trainer runs them: chars/s.
 */
export async function benchFusedTrain(opts: ShapeOptions & { batch: number; seq: number; threads: number; seconds: number; minSteps: number; backend?: 'wasm' | 'js' }) {
  const layout = paramLayout(specOf(opts));
  const params = initParams(layout, 1);
  const rng = makeRng(3);
  const windows = 8;
  const train = Uint8Array.from({ length: opts.batch * opts.seq * windows + 1 }, () => Math.floor(rng() * 98));
  const data = { train, val: new Uint8Array(0), B: opts.batch, T: opts.seq, valB: 0, valT: opts.seq };
  const makeOps = (): Ops => (opts.backend === 'js' ? new JsOps() : createFastestOps());
  const ops = makeOps();
  const source: GradientSource = opts.threads > 1 ? new ParallelGradientSource(ops, layout, data, opts.threads) : new LocalGradientSource(ops, layout, data);
  const adam = new Adam(layout.total, 1e-3);
  const step = async (w: number) => {
    await source.run(params, { dataset: 'train', window: w % windows, backward: true, dropout: 0, seed: w });
    const g = source.grads();
    clipByGlobalNorm(g, 5);
    adam.update(params, g);
  };
  try {
    await step(0); // warm-up: JIT, page faults
    let steps = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    while (steps < opts.minSteps || performance.now() - t0 < opts.seconds * 1000) await step(++steps);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      engine: `fused-${ops.name}`,
      threads: source.threads,
      charsPerSecond: (steps * opts.batch * opts.seq) / seconds,
      /** Characters per second of this process's CPU time (all its threads): steadier than wall time on a shared machine. */
      charsPerCpuSecond: (steps * opts.batch * opts.seq) / Math.max(cpuSeconds, 1e-6),
      steps,
      seconds,
    };
  } finally {
    await source.dispose();
  }
}

function benchEngine(s: ShapeOptions): Engine {
  const layout = paramLayout(specOf(s));
  return new Engine({ layout, params: initParams(layout, 2), manifest: newManifest(layout.spec) }, createFastestOps());
}

/** µs per single-character inference step at batch 1. */
export function benchFusedStep(s: ShapeOptions & { steps: number }) {
  const engine = benchEngine(s);
  const state = engine.newState();
  const logProbs = new Float32Array(engine.vocabSize);
  for (let i = 0; i < 200; i++) engine.step(state, i % 90, logProbs);
  const t0 = performance.now();
  for (let i = 0; i < s.steps; i++) engine.step(state, i % 90, logProbs);
  return { engine: `fused-${engine.ops.name}`, stepUs: ((performance.now() - t0) * 1000) / s.steps };
}

/** ms for a 40-character completion (greedy, and beam search of width 4), after a primed prefix. */
export function benchFusedCompletion(s: ShapeOptions & { repeats: number; chars: number }) {
  const engine = benchEngine(s);
  const rng = makeRng(5);
  const prefix = Array.from({ length: 200 }, () => Math.floor(rng() * 95));
  const start = engine.prime(prefix, NEWLINE_ID);
  // Random weights rarely predict a newline, so every run goes the full length.
  const rules = { maxChars: s.chars, stopAtNewline: false, minCharProb: 0 };
  const time = (f: () => void) => {
    f();
    const t0 = performance.now();
    for (let i = 0; i < s.repeats; i++) f();
    return (performance.now() - t0) / s.repeats;
  };
  return {
    greedyMs: time(() => greedySearch(engine, start, rules)),
    beam4Ms: time(() => beamSearch(engine, start, { ...rules, width: 4 })),
    chars: s.chars,
  };
}
