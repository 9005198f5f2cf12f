import * as vscode from 'vscode';
import { ModelStore } from './modelStore';
import { SettingsReader } from './settings';

export const SHOW_MENU_COMMAND = 'lstmLens.showMenu';

function shortName(name: string): string {
  return name.length > 24 ? name.slice(0, 23) + '…' : name;
}

/**
 * The status bar item: the model in use and its state (loading, ready,
 * off for this language, off, error). Clicking it opens the command menu.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Set while Train on Workspace runs (see setTraining). */
  private training: { text: string; detail: string; command?: string } | undefined;

  constructor(
    private readonly store: ModelStore,
    private readonly settings: SettingsReader,
  ) {
    this.item = vscode.window.createStatusBarItem('lstmLens.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'LSTM Lens';
    this.item.command = SHOW_MENU_COMMAND;
    this.subscriptions.push(
      store.onDidChange(() => this.update()),
      settings.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
    this.item.show();
  }

  update(): void {
    const status = this.store.status;
    const document = vscode.window.activeTextEditor?.document;
    const settings = this.settings.get(document);
    const tip = new vscode.MarkdownString('', true);
    tip.appendMarkdown('**LSTM Lens**\n\n');
    this.item.backgroundColor = undefined;
    this.item.command = SHOW_MENU_COMMAND;

    if (status.kind === 'loading') {
      this.item.text = '$(loading~spin) LSTM';
      tip.appendMarkdown(`Loading the ${status.source} model from \`${status.dir}\`…`);
    } else if (status.kind === 'error') {
      this.item.text = '$(error) LSTM';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      tip.appendText(`No model: ${status.message}`);
    } else {
      const { loaded } = status;
      const on = document ? this.settings.enabledFor(document) : settings.enable;
      this.item.text = `${on ? '$(sparkle)' : '$(circle-slash)'} LSTM: ${shortName(loaded.name)}`;
      tip.appendMarkdown(`Model: **${loaded.name}** (${loaded.shape}, ${loaded.source})\n\n`);
      tip.appendText(`Folder: ${loaded.dir}\n\n`);
      if (status.fallbackReason) {
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        tip.appendText(`The model in lstmLens.modelPath failed to load (${status.fallbackReason}); using the bundled one.\n\n`);
      }
      if (!settings.enable) tip.appendMarkdown('Inline completions are **off** (`lstmLens.enable`).');
      else if (document && !on) tip.appendMarkdown(`Inline completions are **off for ${document.languageId}** (\`lstmLens.completion.languages\`).`);
      else tip.appendMarkdown(`Inline completions are **on**${document ? ` for ${document.languageId}` : ''}.`);
    }
    if (this.training) {
      this.item.text = `$(sync~spin) LSTM: ${this.training.text}`;
      tip.appendText(`\n\nTraining on this workspace: ${this.training.detail}`);
    }
    if (this.training?.command) this.item.command = this.training.command;
    tip.appendMarkdown(this.training?.command ? '\n\nClick to cancel training.' : '\n\nClick for LSTM Lens commands.');
    this.item.tooltip = tip;
  }

  /** Shows that Train on Workspace is running (short text and a tooltip line); undefined when it is not. */
  setTraining(state: { text: string; detail: string; command?: string } | undefined): void {
    this.training = state;
    this.update();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
