import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { registerCompareCommand } from './host/compare/compareCellTypesCommand';
import { registerHeatmap } from './host/heatmap/heatmapPanel';
import { LstmInlineCompletionProvider } from './host/completionProvider';
import { DynamicEvaluationHost } from './host/dynamicEvaluation';
import { registerFeatureCommands } from './host/features/trainFeatures';
import { ModelStore } from './host/modelStore';
import { SettingsReader } from './host/settings';
import { StatusBar } from './host/statusBar';
import { TRAINING_VIEW_ID, TrainingView } from './host/workspaceTraining/trainingView';
import { FirstRunOffer } from './host/workspaceTraining/firstRunOffer';
import { IdleRetrainer } from './host/workspaceTraining/idleRetrainer';
import { TrainingController, registerTrainingCommands } from './host/workspaceTraining/trainOnWorkspace';
import { WorkspaceIndexHost } from './host/workspaceIndex';

/** What activate() returns: the pieces the integration tests (test/integration) drive through the real API. */
export interface LstmLensApi {
  readonly completionProvider: LstmInlineCompletionProvider;
  readonly modelStore: ModelStore;
}

/**
 * Wires the extension together and returns at once: the model loads in the
 * background (ModelStore.start), and completions start when it is ready.
 */
export function activate(context: vscode.ExtensionContext): LstmLensApi {
  const log = vscode.window.createOutputChannel('LSTM Lens', { log: true });
  context.subscriptions.push(log);
  log.info(`LSTM Lens ${String(context.extension.packageJSON.version)} activated`);

  const settings = new SettingsReader(log);
  const store = new ModelStore(context.extensionUri, settings, log);
  const dynamicEvaluation = new DynamicEvaluationHost(store, settings, log);
  const workspaceIndex = new WorkspaceIndexHost(settings, log, () => (store.status.kind === 'ready' ? store.status.loaded.source : undefined));
  const provider = new LstmInlineCompletionProvider(
    store,
    settings,
    log,
    () => dynamicEvaluation.engine,
    () => workspaceIndex.index(),
    () => workspaceIndex.matches(),
  );
  const statusBar = new StatusBar(store, settings);
  context.subscriptions.push(
    settings,
    store,
    dynamicEvaluation,
    workspaceIndex,
    provider,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    statusBar,
    ...registerCommands({ store, settings, log }),
  );
  const trainingView = new TrainingView(() => training.cancel());
  const training = new TrainingController(context, store, statusBar, trainingView, log);
  context.subscriptions.push(
    trainingView,
    training,
    vscode.window.registerWebviewViewProvider(TRAINING_VIEW_ID, trainingView, { webviewOptions: { retainContextWhenHidden: true } }),
    ...registerTrainingCommands(training),
  );
  context.subscriptions.push(...registerHeatmap(context.extensionUri, store, log, context.globalStorageUri));
  context.subscriptions.push(...registerCompareCommand(log));
  context.subscriptions.push(...registerFeatureCommands(context, store, log));
  store.start();
  workspaceIndex.start();
  const firstRun = new FirstRunOffer(context, training, log);
  context.subscriptions.push(firstRun, new IdleRetrainer(context, training, log));
  void training.restoreTrainedModel().then(() => firstRun.run());
  return { completionProvider: provider, modelStore: store };
}

export function deactivate(): void {}
