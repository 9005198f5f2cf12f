/// <reference lib="dom" />
// (The page.evaluate() callbacks below run in the browser and use DOM types.)
/**
 * End-to-end harness: runs the packaged extension in a real VS Code (code-server
 * 4.100.3 = VS Code 1.100.3, installed by scripts/install-e2e-deps.sh into
 * .cache/code-server/) and drives its web workbench with headless Debian
 * Chromium through playwright-core.
 *
 *   const session = await VsCodeSession.start({ settings: { ... } });
 *   try {
 *     await session.waitForExtensionLog(/LSTM Lens .* activated/);
 *     await session.openFile('src/greet.ts');
 *     ...
 *   } finally {
 *     await session.close();
 *   }
 *
 * Everything binds to 127.0.0.1; every wait has a time limit; close() kills
 * Chromium and code-server's whole process group and removes the temp folder.
 * Why it is built this way, and what the page looks like to a test: docs/E2E.md.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Browser, BrowserContext, BrowserServer, chromium, Frame, Page } from 'playwright-core';

// ---------------------------------------------------------------- locations

/** The repository root: the nearest folder above this file whose package.json is named lstm-lens. */
export const REPO_ROOT: string = findRepoRoot(__dirname);

/** The fixture workspace shipped with the tests (copied to a temp folder per session). */
export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures', 'workspace');

/** Where code-server lives (scripts/install-e2e-deps.sh); override with E2E_CODE_SERVER_DIR. */
export const CODE_SERVER_DIR = process.env.E2E_CODE_SERVER_DIR ?? path.join(REPO_ROOT, '.cache', 'code-server');

/** Chromium binary; override with E2E_CHROMIUM. */
export const CHROMIUM_PATH = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** Default folder for screenshots: $E2E_SCREENSHOTS, else .tmp/e2e-screenshots in the repo. */
export const DEFAULT_SCREENSHOTS_DIR = path.resolve(REPO_ROOT, process.env.E2E_SCREENSHOTS ?? path.join('.tmp', 'e2e-screenshots'));

/** The extension's output channel name (its log file is "<name>.log"). */
export const EXTENSION_LOG_CHANNEL = 'LSTM Lens';

/** Chromium flags verified on this machine kind (docs/E2E.md), plus /dev/shm safety for containers. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** User settings for a clean, deterministic first screen. Callers' settings are merged over these. */
export const BASE_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'files.autoSave': 'off',
  'explorer.compactFolders': false,
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.accessibilitySupport': 'off',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
};

// ---------------------------------------------------------------- options

export interface SessionOptions {
  /** Folder copied as the workspace (default: the fixture workspace). The original is never touched. */
  workspace?: string;
  /** A .vsix to install; by default the repo is packaged once per process (dist/ must be compiled). */
  vsix?: string;
  /** Settings merged over BASE_SETTINGS into the user settings.json. */
  settings?: Record<string, unknown>;
  /** Folder for screenshot(); default DEFAULT_SCREENSHOTS_DIR. */
  screenshotsDir?: string;
  /** Browser viewport (default 1280x800). */
  viewport?: { width: number; height: number };
  /** Limit for the whole start (install, server, browser, workbench); default 120 s. */
  startTimeoutMs?: number;
  /** Default limit for the helpers' waits; default 30 s. */
  actionTimeoutMs?: number;
  /** Keep the temp folder after close() (also E2E_KEEP_TMP=1), for debugging. */
  keepTemp?: boolean;
  /** code-server's log level (--log); 'trace' also turns on the extension's trace lines. Default: code-server's (info). */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

export interface OpenFileOptions {
  timeoutMs?: number;
}

export interface RunCommandOptions {
  /** Wait for the palette to close after Enter (default true). */
  waitForClose?: boolean;
  timeoutMs?: number;
}

/** Whole lines per log file at some moment (VsCodeSession.logMark). */
export type LogMark = Map<string, number>;

export interface LogMatch {
  /** The first line that matched. */
  line: string;
  /** The regex match on that line. */
  match: RegExpMatchArray;
  /** The file it was found in. */
  file: string;
}

// ---------------------------------------------------------------- session

const liveSessions = new Set<VsCodeSession>();
let exitHookInstalled = false;
let packagedVsix: Promise<string> | undefined;

export class VsCodeSession {
  /** The Playwright page showing the workbench. */
  page!: Page;
  /** Port code-server listens on (127.0.0.1). */
  port = 0;
  /** http://127.0.0.1:PORT/?folder=... */
  url = '';
  /** Absolute path of the workspace copy opened in the workbench. */
  readonly workspaceDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly screenshotsDir: string;
  readonly actionTimeoutMs: number;
  /** code-server's own stdout/stderr are written here. */
  readonly serverLogFile: string;

  private server: ChildProcess | undefined;
  private serverExited: Promise<void> | undefined;
  private serverOutputTail = '';
  private browserServer: BrowserServer | undefined;
  private browser: Browser | undefined;
  private context: BrowserContext | undefined;
  private closed = false;
  private readonly keepTemp: boolean;

  private constructor(
    readonly tmpDir: string,
    private readonly options: SessionOptions,
  ) {
    this.workspaceDir = path.join(tmpDir, 'workspace');
    this.userDataDir = path.join(tmpDir, 'user-data');
    this.extensionsDir = path.join(tmpDir, 'extensions');
    this.serverLogFile = path.join(tmpDir, 'code-server.log');
    this.screenshotsDir = path.resolve(options.screenshotsDir ?? DEFAULT_SCREENSHOTS_DIR);
    this.actionTimeoutMs = options.actionTimeoutMs ?? 30_000;
    this.keepTemp = options.keepTemp ?? process.env.E2E_KEEP_TMP === '1';
  }

  /**
   * Packages (or takes) the extension, installs it into a fresh extensions folder,
   * starts code-server and Chromium, and waits for the workbench. On any failure
   * everything started so far is closed again before the error is thrown.
   */
  static async start(options: SessionOptions = {}): Promise<VsCodeSession> {
    const entry = codeServerEntry();
    if (!fs.existsSync(entry)) {
      throw new Error(`code-server not found at ${entry}: run scripts/install-e2e-deps.sh first (or set E2E_CODE_SERVER_DIR)`);
    }
    if (!fs.existsSync(CHROMIUM_PATH)) {
      throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run scripts/install-e2e-deps.sh first (or set E2E_CHROMIUM)`);
    }
    installExitHook();
    const tmpDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-e2e-'));
    const session = new VsCodeSession(tmpDir, options);
    liveSessions.add(session);
    const startTimeoutMs = options.startTimeoutMs ?? 120_000;
    try {
      await withTimeout(session.boot(entry), startTimeoutMs, 'starting the VS Code session');
      return session;
    } catch (err) {
      const tail = session.serverOutputTail.trim();
      await session.close().catch(() => undefined);
      if (err instanceof Error && tail) err.message += `\n--- code-server output (tail) ---\n${tail.slice(-3000)}`;
      throw err;
    }
  }

  private async boot(entry: string): Promise<void> {
    const t0 = Date.now();
    const step = (what: string) => debug(`${what} (+${((Date.now() - t0) / 1000).toFixed(1)} s)`);

    // Workspace copy, profile folders, settings.
    await fs.promises.cp(path.resolve(this.options.workspace ?? FIXTURE_WORKSPACE), this.workspaceDir, { recursive: true });
    for (const dir of [this.userDataDir, this.extensionsDir, path.join(this.tmpDir, 'xdg-config'), path.join(this.tmpDir, 'xdg-data')]) {
      await fs.promises.mkdir(dir, { recursive: true });
    }
    await this.writeSettings({ ...BASE_SETTINGS, ...this.options.settings });

    // Extension.
    const vsix = this.options.vsix ? path.resolve(this.options.vsix) : await packageExtensionOnce();
    step(`vsix ready: ${vsix}`);
    const install = await runNode(
      [entry, '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir, '--install-extension', vsix, '--force'],
      this.childEnv(),
      60_000,
    );
    if (!/successfully installed/i.test(install)) {
      throw new Error(`installing ${vsix} into code-server did not report success:\n${install}`);
    }
    step('extension installed');

    // code-server on 127.0.0.1 (a fresh free port, a second try if it was taken meanwhile).
    for (let attempt = 1; ; attempt++) {
      this.port = await freePort();
      try {
        await this.startServer(entry);
        break;
      } catch (err) {
        await this.stopServer();
        if (attempt >= 3 || !/EADDRINUSE/.test(this.serverOutputTail)) throw err;
      }
    }
    step(`code-server listening on 127.0.0.1:${this.port}`);

    // Chromium: a browser server (so close() can kill its process group) reached over loopback.
    this.browserServer = await chromium.launchServer({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      host: '127.0.0.1',
      timeout: 60_000,
      env: this.childEnv(),
    });
    this.browser = await chromium.connect(this.browserServer.wsEndpoint(), { timeout: 60_000 });
    this.context = await this.browser.newContext({ viewport: this.options.viewport ?? { width: 1280, height: 800 } });
    this.page = await this.context.newPage();
    this.page.setDefaultTimeout(this.actionTimeoutMs);
    this.page.setDefaultNavigationTimeout(60_000);
    step('chromium started');

    this.url = `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspaceDir)}`;
    await this.page.goto(this.url, { waitUntil: 'domcontentloaded' });
    await this.page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 60_000 });
    // The Explorer of the opened folder is the sign that the workbench has restored its views.
    await this.page.locator('.explorer-folders-view').first().waitFor({ state: 'visible', timeout: 60_000 });
    step('workbench ready');
  }

  private childEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      // code-server and Chromium write under ~/.config and ~/.local/share even with a temp profile.
      XDG_CONFIG_HOME: path.join(this.tmpDir, 'xdg-config'),
      XDG_DATA_HOME: path.join(this.tmpDir, 'xdg-data'),
      // Keep code-server from picking up a port or password from the environment.
      PORT: undefined,
      PASSWORD: undefined,
      HASHED_PASSWORD: undefined,
    };
  }

  private async writeSettings(settings: Record<string, unknown>): Promise<void> {
    const userDir = path.join(this.userDataDir, 'User');
    await fs.promises.mkdir(userDir, { recursive: true });
    await fs.promises.writeFile(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  }

  private async startServer(entry: string): Promise<void> {
    const config = path.join(this.tmpDir, 'code-server.yaml');
    // A config file of our own, so code-server writes none under XDG_CONFIG_HOME and reads no user's.
    await fs.promises.writeFile(config, `bind-addr: 127.0.0.1:${this.port}\nauth: none\ncert: false\n`);
    const args = [
      entry,
      '--config', config,
      '--bind-addr', `127.0.0.1:${this.port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
      '--user-data-dir', this.userDataDir,
      '--extensions-dir', this.extensionsDir,
      ...(this.options.logLevel ? ['--log', this.options.logLevel] : []),
      this.workspaceDir,
    ];
    const logStream = fs.createWriteStream(this.serverLogFile, { flags: 'a' });
    // detached: its own process group, so close() can end the extension host and other children with it.
    const child = spawn(process.execPath, args, { cwd: this.tmpDir, env: this.childEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.server = child;
    this.serverOutputTail = '';
    const onData = (chunk: Buffer) => {
      logStream.write(chunk);
      this.serverOutputTail = (this.serverOutputTail + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.serverExited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        logStream.end();
        resolve();
      });
      child.once('error', (err) => {
        this.serverOutputTail += `\nspawn error: ${err.message}`;
        resolve();
      });
    });

    const deadline = Date.now() + 60_000;
    let exited = false;
    void this.serverExited.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`code-server exited early (code ${String(child.exitCode)})`);
      if ((await httpStatus(`http://127.0.0.1:${this.port}/healthz`, 2_000)) === 200) return;
      await sleep(250);
    }
    throw new Error(`code-server did not answer /healthz on 127.0.0.1:${this.port} within 60 s`);
  }

  private async stopServer(): Promise<void> {
    const child = this.server;
    if (!child || child.pid === undefined) return;
    this.server = undefined;
    if (child.exitCode === null && child.signalCode === null) killGroup(child.pid, 'SIGTERM');
    const exitedInTime = await Promise.race([this.serverExited!.then(() => true), sleep(5_000).then(() => false)]);
    // The group may still hold children (extension host, pty host, watcher) even when the leader has gone.
    killGroup(child.pid, 'SIGKILL');
    if (!exitedInTime) await Promise.race([this.serverExited, sleep(2_000)]);
  }

  // ---------------------------------------------------------------- helpers

  /** Shows the Explorer and clicks each folder of relPath open, then the file; waits for its editor tab. */
  async openFile(relPath: string, options: OpenFileOptions = {}): Promise<void> {
    try {
      await this.openFileSteps(relPath, options);
    } catch (err) {
      const shown = await this.page
        .locator('.explorer-folders-view .monaco-list-row')
        .evaluateAll((rows) => rows.map((r) => `${'  '.repeat(Number(r.getAttribute('aria-level') ?? 1) - 1)}${r.getAttribute('aria-label') ?? ''}`))
        .catch(() => [] as string[]);
      throw addContext(err, `openFile(${relPath}) failed; the Explorer shows:\n${shown.join('\n') || '(nothing)'}`);
    }
  }

  private async openFileSteps(relPath: string, options: OpenFileOptions): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.actionTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const parts = relPath.split(/[\\/]+/).filter(Boolean);
    if (parts.length === 0) throw new Error(`openFile: empty path '${relPath}'`);
    await this.showExplorer(timeoutMs);
    const tree = this.page.locator('.explorer-folders-view');
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      const isFile = i === parts.length - 1;
      // Rows of depth i+1 (the workspace folder's children have aria-level 1 in a single-folder workspace).
      const row = tree.locator(`.monaco-list-row[aria-level="${i + 1}"]`).filter({
        has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }),
      }).first();
      await row.waitFor({ state: 'visible', timeout: remaining(deadline, `openFile(${relPath}): '${name}' in the Explorer`) });
      if (isFile) {
        await row.click({ timeout: remaining(deadline, `openFile(${relPath}): click '${name}'`) });
      } else if ((await row.getAttribute('aria-expanded')) !== 'true') {
        await row.click({ timeout: remaining(deadline, `openFile(${relPath}): click '${name}'`) });
        await waitUntil(async () => (await row.getAttribute('aria-expanded')) === 'true', deadline, `openFile(${relPath}): expand '${name}'`);
      }
    }
    const fileName = parts[parts.length - 1];
    const tab = this.page.locator('.editor-group-container.active .tab.active', { hasText: fileName }).first();
    await tab.waitFor({ state: 'visible', timeout: remaining(deadline, `openFile(${relPath}): editor tab`) });
    await this.activeEditor().locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout: remaining(deadline, `openFile(${relPath}): editor lines`) });
    // Give the editor the keyboard focus, so typeText() goes into the file.
    await this.activeEditor().locator('textarea, .native-edit-context').first().focus({ timeout: remaining(deadline, `openFile(${relPath}): focus editor`) });
  }

  /** Opens the Explorer view if it is not showing. */
  async showExplorer(timeoutMs = this.actionTimeoutMs): Promise<void> {
    const view = this.page.locator('.explorer-folders-view').first();
    if (await view.isVisible()) return;
    await this.runCommand('View: Show Explorer', { timeoutMs });
    await view.waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /**
   * Runs a command from the palette by its title: F1, type the title, wait until the
   * highlighted entry is that command, Enter.
   */
  async runCommand(title: string, options: RunCommandOptions = {}): Promise<void> {
    try {
      await this.runCommandSteps(title, options);
    } catch (err) {
      const rows = await this.page
        .locator('.quick-input-widget .monaco-list-row .label-name')
        .evaluateAll((labels) => labels.slice(0, 10).map((l) => l.textContent ?? ''))
        .catch(() => [] as string[]);
      throw addContext(err, `runCommand(${title}) failed; the palette lists: ${rows.length ? rows.join(' | ') : '(nothing)'}`);
    }
  }

  private async runCommandSteps(title: string, options: RunCommandOptions): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.actionTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input.input').first();
    if (!(await input.isVisible())) await this.page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: remaining(deadline, `runCommand(${title}): palette`) });
    await input.fill(`>${title}`, { timeout: remaining(deadline, `runCommand(${title}): type`) });
    const wanted = normalizeSpace(title).toLowerCase();
    await waitUntil(
      async () => {
        const label = await widget.locator('.monaco-list-row.focused .label-name').first().textContent({ timeout: 500 }).catch(() => null);
        return label !== null && normalizeSpace(label).toLowerCase() === wanted;
      },
      deadline,
      `runCommand(${title}): the palette's highlighted entry to be '${title}'`,
    );
    await this.page.keyboard.press('Enter');
    if (options.waitForClose ?? true) {
      await input.waitFor({ state: 'hidden', timeout: remaining(deadline, `runCommand(${title}): palette to close`) });
    }
  }

  /** Types into whatever has the keyboard focus (the editor after openFile()). */
  async typeText(text: string, options: { delayMs?: number } = {}): Promise<void> {
    await this.page.keyboard.type(text, { delay: options.delayMs ?? 20 });
  }

  /** Presses a key or chord, e.g. 'Tab', 'Enter', 'Control+S'. */
  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** The active editor (Monaco) of the active editor group. */
  activeEditor() {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /**
   * The text of the active editor's rendered lines (only what is scrolled into view),
   * lines joined with '\n', inline ghost text left out. Non-breaking spaces become spaces.
   */
  async editorText(): Promise<string> {
    const editor = this.activeEditor();
    await editor.waitFor({ state: 'visible', timeout: this.actionTimeoutMs });
    return editor.locator('.view-lines').first().evaluate((root) => {
      const lines = Array.from(root.querySelectorAll<HTMLElement>(':scope > .view-line'));
      lines.sort((a, b) => (parseFloat(a.style.top) || 0) - (parseFloat(b.style.top) || 0));
      return lines
        .map((line) => {
          const copy = line.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.ghost-text-decoration, .ghost-text, .ghost-text-decoration-preview, .suggest-preview-text').forEach((n) => n.remove());
          return (copy.textContent ?? '').replace(/\u00a0/g, ' ');
        })
        .join('\n');
    });
  }

  /** Waits until editorText() satisfies the predicate or matches the regex; returns the text. */
  async waitForEditorText(expected: RegExp | ((text: string) => boolean), timeoutMs = this.actionTimeoutMs): Promise<string> {
    const test = typeof expected === 'function' ? expected : (t: string) => expected.test(t);
    let last = '';
    await waitUntil(
      async () => test((last = await this.editorText().catch(() => ''))),
      Date.now() + timeoutMs,
      () => `editor text to match ${String(expected)}; last text:\n${last}`,
    );
    return last;
  }

  /**
   * Ghost text shown in the active editor (inline completion preview), '' when none.
   * Ghost text is colored by tokens, so one line is several elements: the parts on
   * one rendered line are concatenated, lines (multi-line ghost text) joined with '\n'.
   */
  async ghostText(): Promise<string> {
    return this.activeEditor().evaluate((editor) => {
      const selector = '.ghost-text-decoration, .ghost-text-decoration-preview, .ghost-text, .suggest-preview-text';
      const lines: { key: Element; parts: string[] }[] = [];
      const add = (key: Element, text: string) => {
        const last = lines[lines.length - 1];
        if (last && last.key === key) last.parts.push(text);
        else lines.push({ key, parts: [text] });
      };
      for (const node of Array.from(editor.querySelectorAll(selector))) {
        if (node.parentElement?.closest(selector)) continue; // counted with its outermost match
        const rows = Array.from(node.querySelectorAll('.view-line'));
        if (rows.length > 0) for (const row of rows) add(row, row.textContent ?? '');
        else add(node.closest('.view-line') ?? node, node.textContent ?? '');
      }
      return lines.map((l) => l.parts.join('').replace(/\u00a0/g, ' ')).join('\n');
    });
  }

  /** The cursor's line and column (1-based), as the status bar shows them ("Ln 12, Col 5"). */
  async cursorPosition(timeoutMs = this.actionTimeoutMs): Promise<{ line: number; column: number }> {
    const item = this.page.locator('[id="status.editor.selection"]').first();
    let last = '';
    let found: { line: number; column: number } | undefined;
    await waitUntil(
      async () => {
        last = (await item.textContent({ timeout: 1_000 }).catch(() => null)) ?? '';
        const m = last.match(/Ln (\d+), Col (\d+)/);
        if (m) found = { line: Number(m[1]), column: Number(m[2]) };
        return found !== undefined;
      },
      Date.now() + timeoutMs,
      () => `the cursor position in the status bar; it shows '${last}'`,
    );
    return found!;
  }

  /**
   * Waits until the editor has caught up with typing: the status bar's cursor position
   * and the rendered text agree that the text before the cursor ends with `typed`
   * (both update a moment after the keystrokes, so neither alone can be trusted).
   * Returns the position and the line's text before and after the cursor.
   */
  async waitForCursorAfter(typed: string, timeoutMs = this.actionTimeoutMs): Promise<{ line: number; column: number; before: string; after: string }> {
    let seen = '';
    let found: { line: number; column: number; before: string; after: string } | undefined;
    await waitUntil(
      async () => {
        const { line, column } = await this.cursorPosition(timeoutMs);
        const text = await this.editorLine(line);
        const before = text.slice(0, column - 1);
        seen = `Ln ${line}, Col ${column}: ${JSON.stringify(text)}`;
        if (column - 1 > text.length || !before.endsWith(typed)) return false;
        found = { line, column, before, after: text.slice(column - 1) };
        return true;
      },
      Date.now() + timeoutMs,
      () => `the cursor to follow ${JSON.stringify(typed)}; last seen ${seen}`,
    );
    return found!;
  }

  /** Waits until the status bar shows the cursor at (line, column), 1-based. */
  async waitForCursorAt(line: number, column: number, timeoutMs = this.actionTimeoutMs): Promise<void> {
    let seen = '';
    await waitUntil(
      async () => {
        const at = await this.cursorPosition(timeoutMs);
        seen = `Ln ${at.line}, Col ${at.column}`;
        return at.line === line && at.column === column;
      },
      Date.now() + timeoutMs,
      () => `the cursor at Ln ${line}, Col ${column}; the status bar shows ${seen}`,
    );
  }

  /** Line `line` (1-based) of the active editor's rendered text, ghost text left out. */
  async editorLine(line: number): Promise<string> {
    return (await this.editorText()).split('\n')[line - 1] ?? '';
  }

  /** Saves a PNG of the active editor only (at most `maxHeight` pixels of it) to screenshotsDir/<name>.png. */
  async screenshotEditor(name: string, maxHeight = 400): Promise<string> {
    await fs.promises.mkdir(this.screenshotsDir, { recursive: true });
    const file = path.join(this.screenshotsDir, name.endsWith('.png') ? name : `${name}.png`);
    const box = await this.activeEditor().boundingBox({ timeout: this.actionTimeoutMs });
    if (!box) throw new Error('screenshotEditor: the active editor is not visible');
    await this.page.screenshot({ path: file, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, maxHeight) }, timeout: this.actionTimeoutMs });
    return file;
  }

  /** Log files of the extension's output channel (by default "LSTM Lens") under the user-data folder. */
  async extensionLogFiles(channel = EXTENSION_LOG_CHANNEL): Promise<string[]> {
    const files = await listFiles(path.join(this.userDataDir, 'logs'));
    return files.filter((f) => path.basename(f) === `${channel}.log`).sort();
  }

  /** Contents of the extension's output channel log files, concatenated ('' when none yet). */
  async extensionLog(channel = EXTENSION_LOG_CHANNEL): Promise<string> {
    const parts: string[] = [];
    for (const file of await this.extensionLogFiles(channel)) parts.push(await fs.promises.readFile(file, 'utf8').catch(() => ''));
    return parts.join('');
  }

  /**
   * How many whole lines each log file of the channel holds now: given to
   * waitForExtensionLog, it looks only at the lines written after, so an older
   * line that happens to match (the same line:column in another file) is not taken.
   */
  async logMark(channel = EXTENSION_LOG_CHANNEL): Promise<LogMark> {
    const mark: LogMark = new Map();
    for (const file of await this.extensionLogFiles(channel)) {
      const text = await fs.promises.readFile(file, 'utf8').catch(() => '');
      mark.set(file, text.split('\n').length - 1);
    }
    return mark;
  }

  /**
   * Waits for a line matching `pattern` in the extension's output channel log and returns it
   * (with `since`, only among the lines written after that mark).
   * With code-server 4.100.3 the extension host writes a LogOutputChannel named "LSTM Lens" to
   * <userDataDir>/logs/<yyyymmddThhmmss>/exthost1/lstm-lens.lstm-lens/LSTM Lens.log
   * (lines like "2026-11-23 10:30:37.123 [info] LSTM Lens 0.1.0 activated").
   */
  async waitForExtensionLog(pattern: RegExp, timeoutMs = 60_000, channel = EXTENSION_LOG_CHANNEL, since?: LogMark): Promise<LogMatch> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      for (const file of await this.extensionLogFiles(channel)) {
        const text = await fs.promises.readFile(file, 'utf8').catch(() => '');
        const skip = since?.get(file) ?? 0;
        const lines = text.split(/\r?\n/);
        for (let i = skip; i < lines.length; i++) {
          const match = lines[i].match(pattern);
          if (match) return { line: lines[i], match, file };
        }
      }
      if (Date.now() >= deadline) {
        const files = await this.extensionLogFiles(channel);
        const exthost = (await listFiles(path.join(this.userDataDir, 'logs'))).filter((f) => /exthost\d*\.log$/.test(f));
        const exthostTail = exthost.length ? (await fs.promises.readFile(exthost[0], 'utf8').catch(() => '')).split('\n').slice(-25).join('\n') : '(no exthost log)';
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${String(pattern)} in the '${channel}' log; ` +
            `files: ${files.length ? files.join(', ') : '(none)'}\ncontents:\n${await this.extensionLog(channel)}\n--- extension host log (tail) ---\n${exthostTail}`,
        );
      }
      await sleep(250);
    }
  }

  /** Saves a PNG of the page to screenshotsDir/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    await fs.promises.mkdir(this.screenshotsDir, { recursive: true });
    const file = path.join(this.screenshotsDir, name.endsWith('.png') ? name : `${name}.png`);
    await this.page.screenshot({ path: file, timeout: this.actionTimeoutMs });
    return file;
  }

  /** All frames but the workbench's own: webviews live in nested iframes. */
  frames(): Frame[] {
    return this.page.frames().filter((f) => f !== this.page.mainFrame());
  }

  /** The first non-main frame that holds `selector`, polling until timeoutMs (webview content). */
  async findFrame(selector: string, timeoutMs = this.actionTimeoutMs): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      for (const frame of this.frames()) {
        if (frame.isDetached()) continue;
        const count = await frame.locator(selector).count().catch(() => 0);
        if (count > 0) return frame;
      }
      if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for a frame holding '${selector}'`);
      await sleep(250);
    }
  }

  /**
   * For a failed test: a screenshot and copies of the server and VS Code logs under
   * screenshotsDir/failures/<name>/. Never throws.
   */
  async captureFailure(name: string): Promise<string> {
    const dir = path.join(this.screenshotsDir, 'failures', name.replace(/[^\w.-]+/g, '_').slice(0, 100));
    try {
      await fs.promises.mkdir(dir, { recursive: true });
      if (this.page && !this.page.isClosed()) await this.page.screenshot({ path: path.join(dir, 'page.png'), timeout: 10_000 }).catch(() => undefined);
      await fs.promises.cp(this.serverLogFile, path.join(dir, 'code-server.log')).catch(() => undefined);
      await fs.promises.cp(path.join(this.userDataDir, 'logs'), path.join(dir, 'logs'), { recursive: true }).catch(() => undefined);
    } catch {
      // best effort
    }
    return dir;
  }

  /**
   * Closes the browser, kills Chromium's and code-server's process groups, removes the
   * temp folder. Safe to call more than once and after a failed start.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.browser) await withTimeout(this.browser.close(), 10_000, 'closing the browser').catch(() => undefined);
      if (this.browserServer) await withTimeout(this.browserServer.kill(), 10_000, 'killing Chromium').catch(() => undefined);
      const chromiumPid = this.browserServer?.process().pid;
      if (chromiumPid !== undefined) killGroup(chromiumPid, 'SIGKILL');
      await this.stopServer();
    } finally {
      liveSessions.delete(this);
      if (!this.keepTemp) {
        await fs.promises.rm(this.tmpDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
      } else {
        debug(`kept ${this.tmpDir}`);
      }
    }
  }

  /** Synchronous last resort for process exit: kill what is still running. */
  killNow(): void {
    const chromiumPid = this.browserServer?.process().pid;
    if (chromiumPid !== undefined) killGroup(chromiumPid, 'SIGKILL');
    if (this.server?.pid !== undefined) killGroup(this.server.pid, 'SIGKILL');
    if (!this.keepTemp) {
      try {
        fs.rmSync(this.tmpDir, { recursive: true, force: true });
      } catch {
        // best effort
      }
    }
  }
}

// ---------------------------------------------------------------- packaging

function codeServerEntry(): string {
  return path.join(CODE_SERVER_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/**
 * The hooks every e2e suite wants, registered inside its describe(): a
 * failed test leaves a screenshot and the logs (captureFailure), and the
 * session closes after the suite.
 */
export function closeSessionAfterSuite(getSession: () => VsCodeSession | undefined): void {
  afterEach(async function () {
    const session = getSession();
    if (this.currentTest?.state === 'failed' && session) {
      const dir = await session.captureFailure(this.currentTest.fullTitle());
      console.error(`    failure screenshot and logs: ${dir}`);
    }
  });
  after(async function () {
    await getSession()?.close();
  });
}

/** Packages the repo with vsce once per process (into its own temp folder) and returns the .vsix path. */
export function packageExtensionOnce(): Promise<string> {
  packagedVsix ??= packageExtension().catch((err: unknown) => {
    packagedVsix = undefined;
    throw err;
  });
  return packagedVsix;
}

async function packageExtension(): Promise<string> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run compile` before the e2e tests');
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lstm-lens-vsix-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'lstm-lens.vsix');
  const vsce = require.resolve('@vscode/vsce/vsce', { paths: [REPO_ROOT] });
  await runNode([vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], process.env, 180_000, REPO_ROOT);
  if (!fs.existsSync(out)) throw new Error(`vsce package did not write ${out}`);
  return out;
}

// ---------------------------------------------------------------- small utilities

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'lstm-lens') return dir;
      } catch {
        // keep looking
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`no lstm-lens package.json above ${start}`);
  }
}

function debug(message: string): void {
  if (process.env.E2E_DEBUG) process.stderr.write(`[e2e] ${message}\n`);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const session of liveSessions) session.killNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const session of liveSessions) session.killNow();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Runs `node args…` and resolves with its combined output; rejects on non-zero exit or timeout. */
function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env, cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (err) reject(new Error(`node ${args.map((a) => path.basename(a)).join(' ')} failed: ${err.message}\n${output}`));
      else resolve(output);
    });
  });
}

/** A port that was free on 127.0.0.1 a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function remaining(deadline: number, what: string): number {
  const left = deadline - Date.now();
  if (left <= 0) throw new Error(`timed out: ${what}`);
  return left;
}

/** Polls `check` every 100 ms until it holds; past `deadline` (ms since the epoch) it throws, saying what was awaited. */
export async function waitUntil(check: () => Promise<boolean>, deadline: number, what: string | (() => string)): Promise<void> {
  while (true) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(100);
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.promises.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function addContext(err: unknown, context: string): Error {
  const error = err instanceof Error ? err : new Error(String(err));
  error.message = `${context}\n${error.message}`;
  return error;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
