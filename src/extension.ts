import * as vscode from 'vscode';

/**
 * Wires the extension together. The editor features (completion, heatmap,
 * training) arrive in later versions; for now activation only opens the log.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('LSTM Lens', { log: true });
  context.subscriptions.push(log);
  log.info(`LSTM Lens ${String(context.extension.packageJSON.version)} activated`);
}

export function deactivate(): void {}
