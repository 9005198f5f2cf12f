import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CompletionService, DEFAULT_SETTINGS, SearchSettings } from '../core/completion';
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
import { DelayFigures } from './hostLag';
import { LoopDelaySampler } from './loopDelaySampler';
import { LatencySummary, summarizeLatencies } from './completionBench';
import { requestAfterKeystroke, typeKeystroke } from './typedKeystroke';

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
  /** Bursts of typing per condition, each after an idle gap; the conditions take turns burst by burst. */
  bursts: number;
  burstChars: number;
  /** Between keystrokes in a burst (a typist's pace). */
  paceMs: number;
  /** Idle time before each burst: longer than RESUME_AFTER_MS, so that a paused run has resumed when typing starts. */
  gapMs: number;
  /** Also type while the run trains at the editor's thread's priority (what the low priority is for). */
  normalPriority: boolean;
  /** Also type while a run trains with no pause at all (what the pause gate is for). */
  unpaused: boolean;
  /** The idle-retraining run at low priority, as the editor runs it (default); false runs every condition at normal priority. */
  lowPriority?: boolean;
  /** How long to wait for the runs' first training steps before typing anyway (a low-priority run on a busy machine may not get there). */
  firstStepTimeoutMs: number;
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
  /** Event-loop delay over this condition's gaps and bursts, as the host-lag bench measures it. */
  eventLoop: DelayFigures;
  /** How late the keystroke timers fired: what a keystroke waits for before the host sees it. */
  keystrokeLateness: LatencySummary;
  /** Training steps the background run took during this condition's turns (0 without one). */
  trainingSteps: number;
  /** Training characters per second the run last reported (0 without one). */
  trainingCharsPerSecond: number;
  /** Whether the run had taken its first training step when typing began (it scores the working model first); false without one. */
  trainingBeforeTyping: boolean;
}

export interface IdleTrainingBenchResult {
  model: string;
  ops: string;
  corpus: { files: number; chars: number };
  typed: { burstsPerCondition: number; charsPerBurst: number; paceMs: number; gapMs: number; resumeAfterMs: number };
  conditions: IdleTrainingFigures[];
  /** p95 and event-loop p99 with idle training over without it (1 = the same). */
  ratios: { completionP95: number; searchedP95: number; eventLoopP99: number };
}

/** A background training run in its worker, with the editor's pause gate. */
interface BackgroundRun {
  gate: PauseGate;
  /** null: the run is never paused at keystrokes. */
  pause: KeystrokePause | null;
  /** The last step the worker reported, and the first (0 until training began). */
  step: number;
  firstStep: number;
  charsPerSecond: number;
  tookFirstStep: Promise<void>;
  finished: Promise<void>;
}

/** One condition's typing: its own document, and what was measured in its turns. */
interface Lane {
  condition: IdleTrainingCondition;
  run: BackgroundRun | null;
  service: CompletionService;
  docId: string;
  version: number;
  /** Where the next burst starts typing. */
  offset: number;
  loopDelay: LoopDelaySampler;
  requestMs: number[];
  searchMs: number[];
  keystrokeMs: number[];
  latenessMs: number[];
  steps: number;
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
 * Each condition types the same file, burst by burst: an idle gap (its run,
 * if any, trains), then `burstChars` keystrokes `paceMs` apart, each an
 * edit, a state update and a completion request as the editor would make
 * after the keystroke. The conditions take turns at every burst (in a
 * rotating order), so that on a shared machine they see the same load; a
 * run is held paused outside its condition's turns (a paused run only
 * polls its gate), so one worker per condition serves the whole bench.
 */
export async function benchIdleTraining(options: IdleTrainingBenchOptions): Promise<IdleTrainingBenchResult> {
  const note = options.onNote ?? (() => undefined);
  const text = options.typingText;
  const needed = options.startOffset + options.bursts * options.burstChars;
  if (needed > text.length) throw new Error(`the typed file has ${text.length} characters; ${options.bursts} bursts of ${options.burstChars} from offset ${options.startOffset} need ${needed}`);
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
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-idle-training-'));
  const kill = new AbortController();
  const lanes: Lane[] = [];
  try {
    for (const condition of conditions) {
      let run: BackgroundRun | null = null;
      if (condition !== 'none') {
        const editors = workspaceTrainingRequest({
          corpus: options.corpus,
          settings: { ...DEFAULT_TRAINING_SETTINGS },
          start: 'fine-tune',
          current: { spec: model.layout.spec, params: model.params, name: 'working model', dir: options.modelDir },
          threads: 1,
          background: true,
          outDir: path.join(tmp, `model-${condition}`),
          checkpointDir: path.join(tmp, `checkpoint-${condition}`),
          workspaceName: 'idle-training bench',
          folderNames: ['bench'],
          pauseBuffer: new PauseGate().buffer,
          initSeed: 1,
        });
        const normal = condition === 'normal-priority-training' || options.lowPriority === false;
        run = startRun(normal ? { ...editors, lowPriority: false } : editors, condition !== 'unpaused-training', kill.signal, (line) => note(`  ${condition}: ${line}`));
      }
      const docId = `bench:${condition}`;
      const service = new CompletionService(engine);
      service.states.stateAt(docId, 1, text, options.startOffset);
      lanes.push({ condition, run, service, docId, version: 1, offset: options.startOffset, loopDelay: new LoopDelaySampler(), requestMs: [], searchMs: [], keystrokeMs: [], latenessMs: [], steps: 0 });
    }
    const runs = lanes.flatMap((l) => (l.run ? [l.run] : []));
    // Scoring the working model on the held-out files comes first; typing starts once all runs take steps
    // (or after firstStepTimeoutMs: at low priority on a busy machine a run may get little CPU).
    if (runs.length > 0) {
      note(`waiting for ${runs.length} training run(s) to take their first step (at most ${options.firstStepTimeoutMs / 1000} s)`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(runs.map((r) => r.tookFirstStep)), new Promise<void>((resolve) => (timer = setTimeout(resolve, options.firstStepTimeoutMs)))]);
      clearTimeout(timer);
    }
    const trainingBeforeTyping = new Map(lanes.map((l) => [l.condition, l.run !== null && l.run.firstStep > 0]));
    for (const l of lanes) if (l.run && !trainingBeforeTyping.get(l.condition)) note(`  ${l.condition}: no training step yet (still scoring the working model); typing anyway`);
    // Outside its turns a run is held paused (scoring and validation are not, as in the editor).
    for (const r of runs) r.gate.pause();

    for (let burst = 0; burst < options.bursts; burst++) {
      if (burst % 4 === 0) note(`burst ${burst + 1}/${options.bursts} of each condition`);
      for (let k = 0; k < lanes.length; k++) await takeTurn(lanes[(burst + k) % lanes.length], options, settings, text);
    }

    const figures = lanes.map((l): IdleTrainingFigures => ({
      condition: l.condition,
      completion: summarizeLatencies(l.requestMs),
      searched: summarizeLatencies(l.searchMs),
      keystroke: summarizeLatencies(l.keystrokeMs),
      eventLoop: l.loopDelay.figures(),
      keystrokeLateness: summarizeLatencies(l.latenessMs),
      trainingSteps: l.steps,
      trainingCharsPerSecond: l.run?.charsPerSecond ?? 0,
      trainingBeforeTyping: trainingBeforeTyping.get(l.condition) ?? false,
    }));
    const none = figures[0];
    const idle = figures[1];
    const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
    return {
      model: `${model.manifest.name} (${describeSpec(model.layout.spec)})`,
      ops: ops.name,
      corpus: { files: options.corpus.files.length, chars: options.corpus.totalChars },
      typed: { burstsPerCondition: options.bursts, charsPerBurst: options.burstChars, paceMs: options.paceMs, gapMs: options.gapMs, resumeAfterMs: RESUME_AFTER_MS },
      conditions: figures,
      ratios: {
        completionP95: ratio(idle.completion.p95Ms, none.completion.p95Ms),
        searchedP95: ratio(idle.searched.p95Ms, none.searched.p95Ms),
        eventLoopP99: ratio(idle.eventLoop.p99Ms, none.eventLoop.p99Ms),
      },
    };
  } finally {
    kill.abort();
    for (const l of lanes) l.run?.pause?.dispose();
    await Promise.all(lanes.map((l) => l.run?.finished));
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

/** Starts a training run in its worker; `kill` ends the thread. */
function startRun(request: TrainingJobRequest, pauseAtKeystrokes: boolean, kill: AbortSignal, note: (line: string) => void): BackgroundRun {
  const gate = new PauseGate(request.pauseBuffer);
  let tookFirstStep!: () => void;
  const run: BackgroundRun = {
    gate,
    pause: pauseAtKeystrokes ? new KeystrokePause(gate) : null,
    step: 0,
    firstStep: 0,
    charsPerSecond: 0,
    tookFirstStep: new Promise<void>((resolve) => (tookFirstStep = resolve)),
    finished: Promise.resolve(),
  };
  run.finished = runTrainingInWorker(request, new AbortController().signal, (e) => {
    if (e.type !== 'progress' || e.progress.phase !== 'train') return;
    if (run.firstStep === 0) run.firstStep = e.progress.step;
    run.step = e.progress.step;
    run.charsPerSecond = e.progress.charsPerSecond;
    tookFirstStep();
  }, { kill }).then(
    (result) => {
      tookFirstStep();
      note(`the training run ended by itself (${result.stoppedBecause}) before the typing did`);
    },
    (err: Error) => {
      tookFirstStep();
      if (!kill.aborted) note(`the training run failed: ${err.message}`);
    },
  );
  return run;
}

/**
 * One turn of a condition: its run (if any) resumes, an idle gap, one burst
 * of keystrokes (each pausing the run as the editor does, unless it never
 * pauses), then the run is held paused again.
 */
async function takeTurn(lane: Lane, options: IdleTrainingBenchOptions, settings: SearchSettings, text: string): Promise<void> {
  const run = lane.run;
  const stepBefore = run?.step ?? 0;
  run?.pause?.resume();
  run?.gate.resume();
  lane.loopDelay.start();
  try {
    await sleep(options.gapMs);
    let due = performance.now();
    for (let k = 0; k < options.burstChars; k++) {
      // The keystroke arrives at `due`; a busy event loop makes it late.
      await sleep(due - performance.now());
      lane.latenessMs.push(performance.now() - due);
      run?.pause?.keystroke();
      const i = lane.offset++;
      const version = ++lane.version;
      lane.keystrokeMs.push(typeKeystroke(lane.service, lane.docId, version, text, i));
      const asked = await requestAfterKeystroke(lane.service, lane.docId, version, text, i + 1, settings);
      if (asked) {
        lane.requestMs.push(asked.ms);
        if (asked.served?.source === 'search') lane.searchMs.push(asked.ms);
      }
      due += options.paceMs;
    }
  } finally {
    lane.loopDelay.stop();
    run?.pause?.dispose();
    run?.gate.pause();
    if (run) lane.steps += Math.max(0, run.step - Math.max(stepBefore, run.firstStep));
  }
}
