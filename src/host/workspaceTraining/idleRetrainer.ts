import * as vscode from 'vscode';
import { readAutoTraining } from '../../core/workspaceTraining/firstRun';
import { DEFAULT_IDLE_RETRAIN_CHARS, SavedEditCounter, decideIdleRetrain } from '../../core/workspaceTraining/idleRetrain';
import { KeystrokePause } from '../../core/workspaceTraining/keystrokePause';
import { PauseGate } from '../../core/workspaceTraining/pauseGate';
import { readOnBattery } from './powerSource';
import { TrainingController } from './trainOnWorkspace';

/** workspaceState: characters of saved edits since the last run, kept across sessions. */
const SAVED_CHARS_KEY = 'lstmLens.training.idle.savedChars';
/** How often the idle rule is checked. */
const CHECK_EVERY_MS = 10_000;

/**
 * `lstmLens.training.auto: idle`: counts the characters of saved edits in
 * the workspace's files and, once there are enough and the user is idle,
 * retrains from the workspace's model in the background (one thread, small
 * steps), pausing the training thread at each keystroke or cursor move and
 * resuming a few seconds after the last. The run is Train on Workspace's
 * job, so it swaps the model only when it is better on held-out files.
 */
export class IdleRetrainer implements vscode.Disposable {
  private readonly gate = new PauseGate();
  private readonly pause = new KeystrokePause(this.gate);
  private readonly counter: SavedEditCounter;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly timer: NodeJS.Timeout;
  private lastActivity = Date.now();
  private lastWhy = '';
  /** The platform is being asked whether it runs on battery (a command on macOS and Windows). */
  private readingPower = false;
  private disposed = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly training: TrainingController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.counter = new SavedEditCounter(context.workspaceState.get<number>(SAVED_CHARS_KEY) ?? 0);
    const inWorkspace = (uri: vscode.Uri) => uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        // Pause first: this is the keystroke the training thread must yield to.
        this.activity();
        if (inWorkspace(e.document.uri)) this.counter.change(e.document.uri.toString(), e.contentChanges.reduce((n, c) => n + c.rangeLength + c.text.length, 0));
      }),
      vscode.window.onDidChangeTextEditorSelection(() => this.activity()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (!inWorkspace(d.uri)) return;
        this.counter.save(d.uri.toString());
        void context.workspaceState.update(SAVED_CHARS_KEY, this.counter.saved);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.counter.close(d.uri.toString())),
    );
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
  }

  private activity(): void {
    this.lastActivity = Date.now();
    if (this.training.isRunning) this.pause.keystroke();
  }

  private check(): void {
    const decision = this.decide(undefined);
    if (!decision) return;
    if (!decision.start) return this.waiting(decision.why);
    // It would start: only now ask whether the machine is on battery (on macOS and Windows that runs a command).
    if (this.readingPower) return;
    this.readingPower = true;
    void readOnBattery().then((onBattery) => {
      this.readingPower = false;
      if (this.disposed) return;
      const again = this.decide(onBattery);
      if (!again) return;
      if (!again.start) return this.waiting(again.why);
      this.start(again.why);
    });
  }

  /** The idle rule on the facts as they are now (undefined: lstmLens.training.auto is not idle). */
  private decide(onBattery: boolean | undefined): { start: boolean; why: string } | undefined {
    const config = vscode.workspace.getConfiguration('lstmLens');
    const auto = readAutoTraining(config.get('training.auto')).auto;
    if (auto !== 'idle') return undefined;
    const threshold = config.get<number>('training.idleRetrainChars');
    return decideIdleRetrain({
      auto,
      trusted: vscode.workspace.isTrusted,
      hasTrainedModel: this.training.hasTrainedModel(),
      savedChars: this.counter.saved,
      thresholdChars: typeof threshold === 'number' && threshold >= 1000 ? threshold : DEFAULT_IDLE_RETRAIN_CHARS,
      msSinceActivity: Date.now() - this.lastActivity,
      running: this.training.isRunning,
      onBattery,
    });
  }

  private waiting(why: string): void {
    if (why !== this.lastWhy) this.log.trace(`idle retraining: waiting (${why})`);
    this.lastWhy = why;
  }

  private start(why: string): void {
    this.log.info(`idle retraining: starting (${why})`);
    const saved = this.counter.saved;
    this.counter.reset();
    void this.context.workspaceState.update(SAVED_CHARS_KEY, 0);
    this.pause.resume();
    void this.training.train({ confirm: false, start: 'fine-tune', background: { pauseBuffer: this.gate.buffer } }).then(
      () => this.pause.resume(),
      (err: unknown) => {
        // Not run: the edits still count toward the next try.
        this.counter.change('(not trained)', saved);
        this.counter.save('(not trained)');
        this.log.warn(`idle retraining: ${(err as Error).message}`);
      },
    );
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    this.pause.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
