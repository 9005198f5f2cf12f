import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { LstmInlineCompletionProvider } from './host/completionProvider';
import { ModelStore } from './host/modelStore';
import { SettingsReader } from './host/settings';
import { StatusBar } from './host/statusBar';

/**
 * Wires the extension together and returns at once: the model loads in the
 * background (ModelStore.start), and completions start when it is ready.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('LSTM Lens', { log: true });
  context.subscriptions.push(log);
  log.info(`LSTM Lens ${String(context.extension.packageJSON.version)} activated`);

  const settings = new SettingsReader(log);
  const store = new ModelStore(context.extensionUri, settings, log);
  const provider = new LstmInlineCompletionProvider(store, settings, log);
  const statusBar = new StatusBar(store, settings);
  context.subscriptions.push(
    settings,
    store,
    provider,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    statusBar,
    ...registerCommands({ store, settings, log }),
  );
  store.start();
}

export function deactivate(): void {}
