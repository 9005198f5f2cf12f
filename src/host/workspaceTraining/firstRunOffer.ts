import * as vscode from 'vscode';
import { FIRST_RUN_MINUTES, FirstRunChoice, applyFirstRunChoice, decideFirstRun, readAutoTraining } from '../../core/workspaceTraining/firstRun';
import { TrainingController } from './trainOnWorkspace';

/** workspaceState: the user chose "never" here; the offer was made here. globalState: "always" for new workspaces. */
const NEVER_HERE_KEY = 'lstmLens.training.firstRun.never';
const OFFERED_HERE_KEY = 'lstmLens.training.firstRun.offered';
const ALWAYS_KEY = 'lstmLens.training.firstRun.always';

const TRAIN_NOW = 'Train Now';
const ALWAYS = 'Always for New Workspaces';
const NEVER = 'Never Here';

/**
 * At startup in a workspace with no model of its own: offer once to train
 * on it (core/workspaceTraining/firstRun decides when), and run the choice through
 * the Train on Workspace command's job, for about a minute, without its
 * confirmation.
 */
export class FirstRunOffer implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private running = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly training: TrainingController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // A workspace trusted later gets its offer then.
    this.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.run()));
  }

  async run(): Promise<void> {
    if (this.running || this.training.isRunning) return;
    this.running = true;
    try {
      const config = vscode.workspace.getConfiguration('lstmLens');
      const { auto, problem } = readAutoTraining(config.get('training.auto'));
      if (problem) this.log.warn(`setting ${problem}`);
      const facts = {
        auto,
        trusted: vscode.workspace.isTrusted,
        hasTrainedModel: this.training.hasTrainedModel(),
        modelPathSet: Boolean(config.get<string>('modelPath')),
        neverHere: this.context.workspaceState.get<boolean>(NEVER_HERE_KEY) === true,
        offeredHere: this.context.workspaceState.get<boolean>(OFFERED_HERE_KEY) === true,
        alwaysEverywhere: this.context.globalState.get<boolean>(ALWAYS_KEY) === true,
        workspaceChars: undefined,
      };
      let action = decideFirstRun(facts);
      if (action.kind === 'count') action = decideFirstRun({ ...facts, workspaceChars: await this.training.countWorkspaceChars() });
      if (action.kind === 'nothing') {
        this.log.info(`first run: no training offered (${action.why})`);
        return;
      }
      if (action.kind === 'train') {
        this.log.info('first run: training on this workspace without asking (lstmLens.training.auto or "always")');
        void this.training.train({ confirm: false, start: 'fine-tune', minutes: FIRST_RUN_MINUTES });
        return;
      }
      const answer = await vscode.window.showInformationMessage(
        'LSTM Lens can learn this workspace’s code so that completions know its names and style: about a minute of training in the background, on this machine.',
        TRAIN_NOW,
        ALWAYS,
        NEVER,
      );
      const choice: FirstRunChoice = answer === TRAIN_NOW ? 'train' : answer === ALWAYS ? 'always' : answer === NEVER ? 'never' : undefined;
      const outcome = applyFirstRunChoice(choice);
      this.log.info(`first run: the user chose ${choice ?? 'nothing (closed the offer)'}`);
      await this.context.workspaceState.update(OFFERED_HERE_KEY, true);
      if (outcome.rememberHere.never) await this.context.workspaceState.update(NEVER_HERE_KEY, true);
      if (outcome.rememberAlways) await this.context.globalState.update(ALWAYS_KEY, true);
      if (outcome.train) void this.training.train({ confirm: false, start: 'fine-tune', minutes: FIRST_RUN_MINUTES });
    } catch (err) {
      this.log.warn(`first run: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
