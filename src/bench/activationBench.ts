import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { UsageError, num, parseArgs, str } from '../cli/args';
import { note, printJson } from '../cli/output';
import { fakeExtensionContext, installFakeVscode, makeFakeVscode } from './fakeVscode';

export const ACTIVATION_BENCH_USAGE = 'bench activation [--runs N] [--extension dist/extension.js] [--json]';

/** One cold activation, in a fresh process. */
export interface ActivationRun {
  /** Loading (require) dist/extension.js: VS Code counts this as activation too. */
  requireMs: number;
  /** activate() until it returns. */
  activateMs: number;
  /** requireMs + activateMs: what the user waits for before the extension is live. */
  totalMs: number;
  /** From activate() until the background model load settled (not part of activation). */
  modelSettledMs: number;
  modelStatus: string;
  /** Warnings and errors the extension logged or showed (a healthy activation has none). */
  warnings: string[];
}

export interface ActivationBenchResult {
  extension: string;
  runs: number;
  median: ActivationRun;
  max: Omit<ActivationRun, 'modelStatus' | 'warnings'>;
  all: ActivationRun[];
  node: string;
}

/** dist/extension.js beside this bundle (dist/cli.js), or in the repository of the tsc output. */
function defaultExtensionPath(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const beside = path.join(dir, 'extension.js');
    if (path.basename(dir) === 'dist' && fs.existsSync(beside)) return beside;
    const inDist = path.join(dir, 'dist', 'extension.js');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(inDist)) return inDist;
    if (path.dirname(dir) === dir) throw new UsageError('dist/extension.js not found; run npm run compile, or pass --extension');
  }
}

interface ExtensionModule {
  activate(context: object): { modelStore?: { whenSettled(): Promise<{ kind: string }> } } | undefined;
  deactivate?(): unknown;
}

/**
 * Requires the bundled extension with a fake `vscode` module, calls
 * activate(), then waits for the background model load. Run once per
 * process: only the first require of a module is cold.
 */
export async function activateOnce(extensionPath: string): Promise<ActivationRun> {
  const root = path.dirname(path.dirname(path.resolve(extensionPath)));
  const fake = makeFakeVscode();
  installFakeVscode(fake);
  const { context, subscriptions, storage } = fakeExtensionContext(root);
  const load = createRequire(__filename);
  const t0 = performance.now();
  const ext = load(path.resolve(extensionPath)) as ExtensionModule;
  const t1 = performance.now();
  const api = ext.activate(context);
  const t2 = performance.now();
  const status = api?.modelStore ? await api.modelStore.whenSettled() : { kind: 'unknown (no modelStore in the API)' };
  const t3 = performance.now();
  for (const d of subscriptions) d.dispose();
  ext.deactivate?.();
  fs.rmSync(storage, { recursive: true, force: true });
  const warnings = fake.log.filter((line) => /^\[(warn|error|warning message|error message)\]/.test(line));
  return { requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, modelSettledMs: t3 - t2, modelStatus: status.kind, warnings };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * `lstm-lens bench activation`: activation time of the bundled extension
 * before the model loads (issue 8 asks for under 50 ms), over N fresh
 * processes, with the time the background model load then takes.
 */
export async function activationBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { runs: 'int', extension: 'string' }, switches: ['json', 'once'] });
  if (a.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(a.positional[0])}`);
  const extension = path.resolve(str(a, 'extension') ?? defaultExtensionPath());
  if (a.flags.once) {
    // The child side: one cold activation, one JSON line, and exit (the
    // extension's background timers must not keep the process alive).
    printJson(await activateOnce(extension));
    process.exit(0);
  }
  const runs = num(a, 'runs', 10, 1, 1000);
  const all: ActivationRun[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], 'bench', 'activation', '--once', '--extension', extension], { encoding: 'utf8' });
    const last = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !last.startsWith('{')) throw new Error(`activation run ${i + 1} failed (exit ${child.status}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    all.push(JSON.parse(last) as ActivationRun);
  }
  const pick = (f: (r: ActivationRun) => number) => ({ median: median(all.map(f)), max: Math.max(...all.map(f)) });
  const fields = ['requireMs', 'activateMs', 'totalMs', 'modelSettledMs'] as const;
  const stats = Object.fromEntries(fields.map((k) => [k, pick((r) => r[k])]));
  const result: ActivationBenchResult = {
    extension,
    runs,
    median: { ...(Object.fromEntries(fields.map((k) => [k, stats[k].median])) as Omit<ActivationRun, 'modelStatus' | 'warnings'>), modelStatus: all[0].modelStatus, warnings: all[0].warnings },
    max: Object.fromEntries(fields.map((k) => [k, stats[k].max])) as Omit<ActivationRun, 'modelStatus' | 'warnings'>,
    all,
    node: process.version,
  };
  if (a.flags.json) {
    printJson(result);
    return 0;
  }
  const f = (ms: number) => ms.toFixed(1);
  note(`${runs} cold activations of ${path.relative(process.cwd(), extension) || extension} (fake vscode module, Node ${process.version})`);
  process.stdout.write(
    `activation (require + activate): median ${f(result.median.totalMs)} ms, max ${f(result.max.totalMs)} ms` +
      ` (require ${f(result.median.requireMs)} ms, activate() ${f(result.median.activateMs)} ms)\n` +
      `model load in the background after activate(): median ${f(result.median.modelSettledMs)} ms (${result.median.modelStatus})\n`,
  );
  for (const line of result.median.warnings) note(`  the extension logged: ${line}`);
  return 0;
}
