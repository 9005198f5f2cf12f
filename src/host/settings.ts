import * as vscode from 'vscode';
import { LstmLensSettings, SETTINGS_SECTION, completionEnabledFor, validateSettings } from '../core/completion';

/**
 * The one place that reads `lstmLens.*`. Values are validated by the core's
 * validateSettings; each problem is logged once (not on every read). The
 * completion settings are language-overridable, so they are read per
 * (language, workspace folder) and cached until the configuration changes.
 */
export class SettingsReader implements vscode.Disposable {
  private readonly cache = new Map<string, LstmLensSettings>();
  private readonly warned = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.ConfigurationChangeEvent>();
  private readonly subscription: vscode.Disposable;
  /** Fires after any `lstmLens.*` setting changed; read again with get(). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
      this.cache.clear();
      this.changed.fire(e);
    });
  }

  /** Settings for a document (its language and folder overrides apply), or the general ones. */
  get(document?: Pick<vscode.TextDocument, 'languageId' | 'uri'>): LstmLensSettings {
    const folder = document ? (vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString() ?? '') : '';
    const key = `${document?.languageId ?? ''}\u0000${folder}`;
    let settings = this.cache.get(key);
    if (!settings) {
      const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, document ? { languageId: document.languageId, uri: document.uri } : undefined);
      const validated = validateSettings((name) => config.get(name));
      for (const problem of validated.problems) {
        if (this.warned.has(problem)) continue;
        this.warned.add(problem);
        this.log.warn(`setting ${problem}`);
      }
      settings = validated.settings;
      this.cache.set(key, settings);
    }
    return settings;
  }

  /** Whether inline completions are on for this document's language. */
  enabledFor(document: Pick<vscode.TextDocument, 'languageId' | 'uri'>): boolean {
    return completionEnabledFor(this.get(document), document.languageId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
