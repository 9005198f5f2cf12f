import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import { CompletionService, DEFAULT_SETTINGS, SearchSettings, lineSuffixAllowsCompletion, lineSuffixAt } from '../core/completion';
import { typingViewAt } from '../core/completion/typingView';
import { Engine } from '../core/engine';
import { WasmOps, createFastestOps } from '../core/kernels/wasmOps';
import { loadModel } from '../core/model/modelFiles';
import { describeSpec } from '../core/modelSpec';
import { RESUME_AFTER_MS } from '../core/workspaceTraining/idleRetrain';
import { KeystrokePause } from '../core/workspaceTraining/keystrokePause';
import { PauseGate } from '../core/workspaceTraining/pauseGate';
import { TrainingJobRequest } from '../core/workspaceTraining/trainingJob';
import { workspaceTrainingRequest } from '../core/workspaceTraining/trainingRequest';
import { DEFAULT_TRAINING_SETTINGS } from '../core/workspaceTraining/trainingSettings';
import { runTrainingInWorker } from '../core/workspaceTraining/trainingWorkerClient';
import { WorkspaceCorpus } from '../core/workspaceTraining/workspaceCorpus';
import { DelayFigures, delayFigures } from './hostLag';
import { LatencySummary, summarizeLatencies } from './completionBench';

/**
 * What runs beside the typing: nothing; idle retraining as the editor runs
 * it; the same at normal priority; a run that never pauses.
 */
export type IdleTrainingCondition = 'none' | 'idle-training' | 'normal-priority-training' | 'unpaused-training';

export interface IdleTrainingBenchOptions {
  /** The working model: it completes, and idle retraining fine-tunes it. */
  modelDir: string;
  /** The workspace the background run trains on (the editor's corpus selection). */
  corpus: WorkspaceCorpus;
  /** The file typed, and where in it typing starts. */
  typingText: string;
  startOffset: number;
  /** Rounds of the conditions, alternated so that all see the same load on a shared machine. */
  rounds: number;
  /** Bursts of typing per condition and round, each after an idle gap. */
  bursts: number;
  burstChars: number;
  /** Between keystrokes in a burst (a typist's pace). */
  paceMs: number;
  /** Idle time before each burst: longer than RESUME_AFTER_MS, so that a paused run has resumed when typing starts. */
  gapMs: number;
  /** Also type while the run trains at the editor's thread's priority (what the low priority is for). */
  normalPriority: boolean;
  /** The idle-retraining run at low priority, as the editor runs it (default); false runs every condition at normal priority. */
  lowPriority?: boolean;
  /** How long to wait for a run's first training step before typing anyway (a low-priority run on a busy machine may not get there). */
  firstStepTimeoutMs: number;
  /** Also type while a run trains with no pause at all (what the pause gate is for). */
  unpaused: boolean;
  onNote?: (line: string) => void;
}

export interface IdleTrainingFigures {
  condition: IdleTrainingCondition;
  /** Every completion request (cache hits and searches), ms. */
  completion: LatencySummary;
  /** Requests answered by a search, ms. */
  searched: LatencySummary;
  /** The keystroke's state update (one model step), ms. */
  keystroke: LatencySummary;
  /** Event-loop delay over the whole condition (gaps and bursts), as the host-lag bench measures it. */
  eventLoop: DelayFigures;
  /** How late the keystroke timers fired: what a keystroke waits for before the host sees it. */
  keystrokeLateness: LatencySummary;
  /** Training steps the background run took while this condition ran (0 without one). */
  trainingSteps: number;
  /** Training characters per second the run last reported (0 without one). */
  trainingCharsPerSecond: number;
  /** Rounds in which the run had taken its first training step when typing began (it scores the working model first). */
  roundsTrainingBeforeTyping: number;
}

export interface IdleTrainingBenchResult {
  model: string;
  ops: string;
  corpus: { files: number; chars: number };
  typed: { burstsPerCondition: number; charsPerBurst: number; paceMs: number; gapMs: number; resumeAfterMs: number; rounds: number };
  conditions: IdleTrainingFigures[];
  /** p95 and event-loop p99 with idle training over without it (1 = the same). */
  ratios: { completionP95: number; searchedP95: number; eventLoopP99: number };
}

/** One condition's raw samples, gathered over the rounds. */
interface Samples {
  requestMs: number[];
  searchMs: number[];
  keystrokeMs: number[];
  latenessMs: number[];
  delays: DelayFigures[];
  steps: number;
  charsPerSecond: number;
  roundsTrainingBeforeTyping: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Typing while idle retraining runs, against typing with nothing running, in
 * the same process set-up as the editor: completions on this thread on the
 * provider's code path (CompletionService, default settings), the training
 * run in a worker thread (runTrainingInWorker) with the request the editor
 * builds for idle retraining (workspaceTrainingRequest: fine-tune, one
 * thread at low priority, half-size steps, the pause gate), paused at each
 * keystroke and resumed RESUME_AFTER_MS after the last one (KeystrokePause,
 * as the editor).
 *
 * Each condition types the same bursts of the same file: an idle gap (the
 * run trains), then `burstChars` keystrokes `paceMs` apart, each an edit,
 * a state update and a completion request as the editor would make after
 * the keystroke. The conditions alternate round by round.
 */
export async function benchIdleTraining(options: IdleTrainingBenchOptions): Promise<IdleTrainingBenchResult> {
  const note = options.onNote ?? (() => undefined);
  const text = options.typingText;
  const perRound = options.bursts * options.burstChars;
  const needed = options.startOffset + options.rounds * perRound;
  if (needed > text.length) throw new Error(`the typed file has ${text.length} characters; ${options.rounds} rounds of ${options.bursts} bursts of ${options.burstChars} from offset ${options.startOffset} need ${needed}`);
  const model = await loadModel(options.modelDir);
  const ops = createFastestOps();
  if (ops instanceof WasmOps) ops.warmUp();
  const engine = new Engine(model, ops);
  const settings: SearchSettings = DEFAULT_SETTINGS;
  const conditions: IdleTrainingCondition[] = [
    'none',
    'idle-training',
    ...(options.normalPriority ? (['normal-priority-training'] as const) : []),
    ...(options.unpaused ? (['unpaused-training'] as const) : []),
  ];
  const samples = new Map<IdleTrainingCondition, Samples>(conditions.map((c) => [c, { requestMs: [], searchMs: [], keystrokeMs: [], latenessMs: [], delays: [], steps: 0, charsPerSecond: 0, roundsTrainingBeforeTyping: 0 }]));
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-idle-training-'));

  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const condition of conditions) {
        const from = options.startOffset + round * perRound;
        note(`round ${round + 1}/${options.rounds}: ${condition}, ${options.bursts} bursts of ${options.burstChars} characters`);
        const s = samples.get(condition)!;
        const editors =
          condition === 'none'
            ? null
            : workspaceTrainingRequest({
                corpus: options.corpus,
                settings: { ...DEFAULT_TRAINING_SETTINGS },
                start: 'fine-tune',
                current: { spec: model.layout.spec, params: model.params, name: 'working model', dir: options.modelDir },
                threads: 1,
                background: true,
                outDir: path.join(tmp, `model-${round}`),
                checkpointDir: path.join(tmp, `checkpoint-${round}`),
                workspaceName: 'idle-training bench',
                folderNames: ['bench'],
                pauseBuffer: new PauseGate().buffer,
                initSeed: 1,
              });
        const request = editors && (condition === 'normal-priority-training' || options.lowPriority === false) ? { ...editors, lowPriority: false } : editors;
        await typeWithTraining(engine, settings, text, from, options, request, condition !== 'unpaused-training', s, note);
      }
    }
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }

  const figures = conditions.map((condition): IdleTrainingFigures => {
    const s = samples.get(condition)!;
    return {
      condition,
      completion: summarizeLatencies(s.requestMs),
      searched: summarizeLatencies(s.searchMs),
      keystroke: summarizeLatencies(s.keystrokeMs),
      eventLoop: worstDelay(s.delays),
      keystrokeLateness: summarizeLatencies(s.latenessMs),
      trainingSteps: s.steps,
      trainingCharsPerSecond: s.charsPerSecond,
      roundsTrainingBeforeTyping: s.roundsTrainingBeforeTyping,
    };
  });
  const none = figures[0];
  const idle = figures[1];
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    model: `${model.manifest.name} (${describeSpec(model.layout.spec)})`,
    ops: ops.name,
    corpus: { files: options.corpus.files.length, chars: options.corpus.totalChars },
    typed: { burstsPerCondition: options.bursts * options.rounds, charsPerBurst: options.burstChars, paceMs: options.paceMs, gapMs: options.gapMs, resumeAfterMs: RESUME_AFTER_MS, rounds: options.rounds },
    conditions: figures,
    ratios: {
      completionP95: ratio(idle.completion.p95Ms, none.completion.p95Ms),
      searchedP95: ratio(idle.searched.p95Ms, none.searched.p95Ms),
      eventLoopP99: ratio(idle.eventLoop.p99Ms, none.eventLoop.p99Ms),
    },
  };
}

/**
 * One condition of one round: starts the training worker (when `request`)
 * and waits for its first training step, types the bursts, then ends the
 * worker. With `pauseAtKeystrokes`, every keystroke pauses the run as the
 * editor's idle retrainer does.
 */
async function typeWithTraining(
  engine: Engine,
  settings: SearchSettings,
  text: string,
  from: number,
  options: IdleTrainingBenchOptions,
  request: TrainingJobRequest | null,
  pauseAtKeystrokes: boolean,
  s: Samples,
  note: (line: string) => void,
): Promise<void> {
  const kill = new AbortController();
  let steps = 0;
  let firstStep = 0;
  let running: Promise<unknown> = Promise.resolve();
  let ended = false;
  const pause = request?.pauseBuffer && pauseAtKeystrokes ? new KeystrokePause(new PauseGate(request.pauseBuffer)) : null;
  if (request) {
    let started!: () => void;
    const training = new Promise<void>((resolve) => (started = resolve));
    running = runTrainingInWorker(request, new AbortController().signal, (e) => {
      if (e.type !== 'progress' || e.progress.phase !== 'train') return;
      if (firstStep === 0) firstStep = e.progress.step;
      steps = e.progress.step;
      s.charsPerSecond = e.progress.charsPerSecond;
      started();
    }, { kill: kill.signal }).then(
      (result) => {
        ended = true;
        started();
        note(`  the training run ended by itself (${result.stoppedBecause}) before the typing did`);
      },
      (err: Error) => {
        ended = true;
        started();
        if (!kill.signal.aborted) throw err;
      },
    );
    // Scoring the working model on the held-out files comes first; typing starts once steps are being taken
    // (or after firstStepTimeoutMs: at low priority on a busy machine the run may get little CPU).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([training, new Promise<void>((resolve) => (timer = setTimeout(resolve, options.firstStepTimeoutMs)))]);
    clearTimeout(timer);
    if (ended) await running;
    if (firstStep > 0) s.roundsTrainingBeforeTyping++;
    else note(`  no training step within ${options.firstStepTimeoutMs / 1000} s (still scoring the working model); typing anyway`);
  }

  const service = new CompletionService(engine);
  const docId = `bench:${from}`;
  let version = 1;
  service.states.stateAt(docId, version, text, from);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    let i = from;
    for (let burst = 0; burst < options.bursts; burst++) {
      await sleep(options.gapMs);
      let due = performance.now();
      for (let k = 0; k < options.burstChars; k++, i++) {
        // The keystroke arrives at `due`; a busy event loop makes it late.
        await sleep(due - performance.now());
        s.latenessMs.push(performance.now() - due);
        pause?.keystroke();
        version++;
        let t = performance.now();
        service.edit(docId, version, i);
        service.states.stateAt(docId, version, text, i + 1);
        s.keystrokeMs.push(performance.now() - t);
        const offset = i + 1;
        const view = typingViewAt(text, offset);
        if (lineSuffixAllowsCompletion(lineSuffixAt(view, offset))) {
          const req = { docId, version, text: view, offset };
          t = performance.now();
          const served = service.lookup(req, settings) ?? (await service.complete(req, settings, () => false));
          const ms = performance.now() - t;
          s.requestMs.push(ms);
          if (served?.source === 'search') s.searchMs.push(ms);
        }
        due += options.paceMs;
      }
    }
  } finally {
    histogram.disable();
    pause?.dispose();
    kill.abort();
    await running;
  }
  s.delays.push(delayFigures(histogram));
  s.steps += Math.max(0, steps - firstStep);
}

function worstDelay(all: DelayFigures[]): DelayFigures {
  if (all.length === 0) return { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  return { p50Ms: Math.max(...all.map((d) => d.p50Ms)), p99Ms: Math.max(...all.map((d) => d.p99Ms)), maxMs: Math.max(...all.map((d) => d.maxMs)) };
}
