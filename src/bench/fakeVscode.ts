import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';

/**
 * A stand-in for the `vscode` module, enough to run the bundled extension's
 * activate() outside VS Code: for the activation benchmark and the
 * no-network test. The parts activation really uses are real (Uri,
 * EventEmitter, Disposable, configuration with defaults, an output channel
 * that keeps its lines); everything else is a recursive no-op, so a new API
 * call in the extension does not break the benchmark. It is not a VS Code
 * emulator: nothing here shows UI or opens documents.
 */

type Dict = Record<string | symbol, unknown>;

/** Any property, call or `new` gives another no-op; assignments are kept. Not a thenable, so `await` on it does not hang. */
function anything(name: string): unknown {
  const stored = new Map<string | symbol, unknown>();
  return new Proxy(function () {}, {
    get(_target, prop) {
      if (stored.has(prop)) return stored.get(prop);
      if (prop === 'then' || typeof prop === 'symbol') return prop === Symbol.toPrimitive ? () => name : undefined;
      if (prop === 'toString' || prop === 'toJSON') return () => name;
      if (prop === 'dispose') return () => undefined;
      const value = anything(`${name}.${String(prop)}`);
      stored.set(prop, value);
      return value;
    },
    set(_target, prop, value) {
      stored.set(prop, value);
      return true;
    },
    apply: () => anything(`${name}()`),
    construct: () => anything(`new ${name}`) as object,
  });
}

/** Real members first, the no-op for anything else. */
function withFallback<T extends object>(name: string, real: T): T {
  return new Proxy(real, {
    get(target, prop) {
      if (prop in target || typeof prop === 'symbol') return (target as Dict)[prop];
      return anything(`${name}.${String(prop)}`);
    },
  });
}

class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event = (listener: (e: T) => unknown, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
    const bound = thisArg === undefined ? listener : listener.bind(thisArg);
    this.listeners.add(bound);
    const d = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(p: string): Uri {
    return new Uri('file', path.resolve(p));
  }
  static parse(s: string): Uri {
    const m = /^([a-z][\w+.-]*):(?:\/\/[^/]*)?(.*)$/i.exec(s);
    return m ? new Uri(m[1], decodeURIComponent(m[2])) : Uri.file(s);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, path.join(base.path, ...parts));
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c as number, d as number) : (b as Position);
  }
}

export interface FakeVscode {
  /** The module object `require('vscode')` returns. */
  module: object;
  /** Lines written to output channels, and messages shown to the user. */
  log: string[];
}

export function makeFakeVscode(): FakeVscode {
  const log: string[] = [];
  const event = () => new EventEmitter<unknown>().event;
  const message = (level: string) => (text: string) => {
    log.push(`[${level} message] ${text}`);
    return Promise.resolve(undefined);
  };
  const channel = (name: string) =>
    withFallback(`outputChannel(${name})`, {
      name,
      ...Object.fromEntries(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine'].map((level) => [level, (text: unknown) => void log.push(`[${level}] ${String(text)}`)])),
      show: () => undefined,
      clear: () => undefined,
      dispose: () => undefined,
      onDidChangeLogLevel: event(),
    });
  const configuration = () =>
    withFallback('configuration', {
      get: (_key: string, fallback?: unknown) => fallback,
      has: () => false,
      inspect: () => undefined,
      update: () => Promise.resolve(),
    });
  const disposable = () => new Disposable();
  const module = withFallback('vscode', {
    Uri,
    EventEmitter,
    Disposable,
    Position,
    Range,
    window: withFallback('vscode.window', {
      createOutputChannel: channel,
      activeTextEditor: undefined,
      visibleTextEditors: [],
      showInformationMessage: message('info'),
      showWarningMessage: message('warning'),
      showErrorMessage: message('error'),
      onDidChangeActiveTextEditor: event(),
      onDidChangeTextEditorSelection: event(),
      onDidChangeVisibleTextEditors: event(),
      registerWebviewViewProvider: disposable,
      registerWebviewPanelSerializer: disposable,
    }),
    workspace: withFallback('vscode.workspace', {
      getConfiguration: configuration,
      workspaceFolders: undefined,
      textDocuments: [],
      isTrusted: true,
      onDidChangeConfiguration: event(),
      onDidChangeTextDocument: event(),
      onDidCloseTextDocument: event(),
      onDidOpenTextDocument: event(),
      onDidChangeWorkspaceFolders: event(),
    }),
    commands: withFallback('vscode.commands', {
      registerCommand: disposable,
      executeCommand: () => Promise.resolve(undefined),
    }),
    languages: withFallback('vscode.languages', {
      registerInlineCompletionItemProvider: disposable,
    }),
  });
  return { module, log };
}

/** Makes `require('vscode')` return the fake, in this process. */
export function installFakeVscode(fake: FakeVscode): void {
  const loader = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  const cache = (Module as unknown as { _cache: Dict })._cache;
  cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fake.module, children: [], paths: [] };
}

/** An ExtensionContext for an extension installed at `root`, with storage in a fresh temporary folder. */
export function fakeExtensionContext(root: string): { context: object; subscriptions: { dispose(): unknown }[]; storage: string } {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-fake-host-'));
  const memento = () => {
    const values = new Map<string, unknown>();
    return withFallback('memento', {
      get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
      update: (key: string, value: unknown) => (values.set(key, value), Promise.resolve()),
      keys: () => [...values.keys()],
      setKeysForSync: () => undefined,
    });
  };
  const packageJSON = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const subscriptions: { dispose(): unknown }[] = [];
  const extensionUri = Uri.file(root);
  const context = withFallback('context', {
    subscriptions,
    extensionUri,
    extensionPath: root,
    extension: withFallback('extension', { id: `${packageJSON.publisher}.${packageJSON.name}`, extensionUri, extensionPath: root, packageJSON, isActive: true }),
    globalStorageUri: Uri.file(path.join(storage, 'global')),
    storageUri: Uri.file(path.join(storage, 'workspace')),
    logUri: Uri.file(path.join(storage, 'log')),
    globalState: memento(),
    workspaceState: memento(),
    extensionMode: 1,
    asAbsolutePath: (p: string) => path.join(root, p),
  });
  return { context, subscriptions, storage };
}
