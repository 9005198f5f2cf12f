import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { SETTINGS_SECTION, completionEnabledFor } from '../core/completion';
import { loadModel } from '../core/model/modelFiles';
import { generateSample } from './generateSample';
import { ModelStore } from './modelStore';
import { SettingsReader } from './settings';
import { SHOW_MENU_COMMAND } from './statusBar';

export const COMMANDS = {
  toggleCompletions: 'lstmLens.toggleCompletions',
  toggleLanguage: 'lstmLens.toggleLanguageCompletions',
  triggerCompletion: 'lstmLens.triggerCompletion',
  useBundledModel: 'lstmLens.useBundledModel',
  loadModel: 'lstmLens.loadModel',
  generateSample: 'lstmLens.generateSample',
  showLog: 'lstmLens.showLog',
  showMenu: SHOW_MENU_COMMAND,
} as const;

export interface CommandDeps {
  store: ModelStore;
  settings: SettingsReader;
  log: vscode.LogOutputChannel;
}

/** The most specific scope where a setting has a value (so that an update there takes effect), else Global. */
function targetOf(key: string): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect(key);
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

async function toggleCompletions({ settings, log }: CommandDeps): Promise<void> {
  const enable = !settings.get().enable;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('enable', enable, targetOf('enable'));
  log.info(`inline completions ${enable ? 'on' : 'off'}`);
}

async function toggleLanguage({ settings, log }: CommandDeps): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) return;
  const language = document.languageId;
  const key = 'completion.languages';
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const target = targetOf(key);
  const inspected = config.inspect<Record<string, boolean>>(key);
  const current =
    target === vscode.ConfigurationTarget.WorkspaceFolder ? inspected?.workspaceFolderValue : target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  const on = !completionEnabledFor({ ...settings.get(document), enable: true }, language);
  await config.update(key, { ...(current ?? {}), [language]: on }, target);
  log.info(`inline completions ${on ? 'on' : 'off'} for ${language}`);
  if (on && !settings.get().enable) void vscode.window.showInformationMessage(`LSTM Lens: completions are on for ${language}, but off everywhere (lstmLens.enable).`);
}

async function useBundledModel({ store, log }: CommandDeps): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const inspected = config.inspect<string>('modelPath');
  const targets: [unknown, vscode.ConfigurationTarget][] = [
    [inspected?.workspaceFolderValue, vscode.ConfigurationTarget.WorkspaceFolder],
    [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
    [inspected?.globalValue, vscode.ConfigurationTarget.Global],
  ];
  let changed = false;
  for (const [value, target] of targets) {
    if (value === undefined) continue;
    await config.update('modelPath', undefined, target);
    changed = true;
  }
  log.info('using the bundled model');
  // An unchanged setting fires no change event: load explicitly (e.g. after a failed bundled load).
  if (!changed || store.status.kind !== 'ready' || store.status.loaded.source !== 'bundled') await store.reload();
}

async function chooseModel({ store, log }: CommandDeps): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    title: 'LSTM Lens: Load Model',
    openLabel: 'Use This Model',
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const folder = picked?.[0];
  if (!folder) return;
  const dir = folder.fsPath;
  if (!fs.existsSync(path.join(dir, 'model.json'))) {
    void vscode.window.showErrorMessage(`LSTM Lens: ${dir} has no model.json. Pick a folder with a model saved by LSTM Lens (or a TensorFlow.js Layers model).`);
    return;
  }
  try {
    // Check it before pointing the setting at it; the store loads it again (cheap next to a broken setting).
    await loadModel(dir);
  } catch (err) {
    void vscode.window.showErrorMessage(`LSTM Lens: ${(err as Error).message}`);
    return;
  }
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const target = targetOf('modelPath');
  const before = config.inspect<string>('modelPath');
  const same = [before?.globalValue, before?.workspaceValue, before?.workspaceFolderValue].includes(dir);
  await config.update('modelPath', dir, target);
  log.info(`model path set to ${dir}`);
  if (same) await store.reload();
}

async function showMenu(deps: CommandDeps): Promise<void> {
  const { settings, store } = deps;
  const document = vscode.window.activeTextEditor?.document;
  const general = settings.get();
  type Item = vscode.QuickPickItem & { command?: string };
  const status = store.status;
  const model =
    status.kind === 'ready' ? `${status.loaded.name} (${status.loaded.shape})` : status.kind === 'loading' ? 'loading…' : `error: ${status.message}`;
  const items: Item[] = [
    { label: general.enable ? '$(circle-slash) Turn Completions Off' : '$(check) Turn Completions On', detail: 'Inline completions in every language (lstmLens.enable)', command: COMMANDS.toggleCompletions },
  ];
  if (document) {
    const on = completionEnabledFor({ ...settings.get(document), enable: true }, document.languageId);
    items.push({ label: `${on ? '$(circle-slash) Turn Off' : '$(check) Turn On'} for ${document.languageId}`, command: COMMANDS.toggleLanguage });
    items.push({ label: '$(lightbulb-sparkle) Trigger Completion', description: 'Alt+\\', command: COMMANDS.triggerCompletion });
    items.push({ label: '$(wand) Generate Sample…', detail: 'Stream text sampled from the model into a new editor', command: COMMANDS.generateSample });
  }
  items.push(
    { label: 'Model', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(folder-opened) Load Model…', detail: `In use: ${model}`, command: COMMANDS.loadModel },
    { label: '$(package) Use Bundled Model', command: COMMANDS.useBundledModel },
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(output) Show Log', command: COMMANDS.showLog },
    { label: '$(settings-gear) Settings', command: 'workbench.action.openSettings' },
  );
  const picked = await vscode.window.showQuickPick(items, { title: 'LSTM Lens', placeHolder: `Model: ${model}` });
  if (!picked?.command) return;
  if (picked.command === 'workbench.action.openSettings') await vscode.commands.executeCommand(picked.command, SETTINGS_SECTION);
  else await vscode.commands.executeCommand(picked.command);
}

/** Registers every LSTM Lens command; returns their disposables. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const run = (name: string, fn: () => Thenable<unknown> | void) =>
    vscode.commands.registerCommand(name, async () => {
      try {
        await fn();
      } catch (err) {
        deps.log.error(`${name} failed: ${(err as Error).stack ?? String(err)}`);
        void vscode.window.showErrorMessage(`LSTM Lens: ${(err as Error).message}`);
      }
    });
  return [
    run(COMMANDS.toggleCompletions, () => toggleCompletions(deps)),
    run(COMMANDS.toggleLanguage, () => toggleLanguage(deps)),
    run(COMMANDS.triggerCompletion, () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger')),
    run(COMMANDS.useBundledModel, () => useBundledModel(deps)),
    run(COMMANDS.loadModel, () => chooseModel(deps)),
    run(COMMANDS.generateSample, () => generateSample(deps.store, deps.log)),
    run(COMMANDS.showLog, () => deps.log.show()),
    run(COMMANDS.showMenu, () => showMenu(deps)),
  ];
}
