import * as fs from 'fs';
import { completionSettings, resultProvenance } from '../../bench/resultProvenance';
import { benchWorkspaceNames } from '../../bench/workspaceNamesBench';
import { WORKSPACE_NAMES_PARAMS } from '../../core/completion/workspaceNames';
import { UsageError, num, parseArgs, requireStr, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { note, printJson } from '../output';

export const WORKSPACE_NAMES_BENCH_USAGE = 'bench workspace-names --dir D [--weights W,W...] [--max-names N] [--min-prefix N] [--only-without-document-match | --beside-document-match] [--skip-without] [--model DIR] [--keystroke-chars N] [--json]';

/**
 * Keystrokes saved on a project's held-out 20% without and with the names
 * of its other 80% in the word memory (workspaceNamesBench.ts). --json
 * prints one line: the figures with their provenance.
 */
export async function workspaceNamesBenchCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { dir: 'string', weights: 'string', 'max-names': 'int', model: 'string', 'keystroke-chars': 'int', 'min-prefix': 'int' }, switches: ['json', 'only-without-document-match', 'beside-document-match', 'skip-without'] });
  if (a.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(a.positional[0])}`);
  const dir = requireStr(a, 'dir');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--dir ${JSON.stringify(dir)} is not a folder`);
  const weightsText = str(a, 'weights') ?? String(WORKSPACE_NAMES_PARAMS.occurrenceWeight);
  const weights = weightsText.split(',').map((w) => Number(w.trim()));
  if (weights.some((w) => !(w > 0) || !Number.isFinite(w))) throw new UsageError(`--weights must be positive numbers separated by commas, got ${JSON.stringify(weightsText)}`);
  const modelDir = str(a, 'model') ?? bundledModelDir();
  const result = await benchWorkspaceNames({
    dir,
    modelDir,
    keystrokeChars: num(a, 'keystroke-chars', 20_000, 1),
    weights,
    maxNames: num(a, 'max-names', WORKSPACE_NAMES_PARAMS.maxNames, 1, 10_000_000),
    minPrefix: num(a, 'min-prefix', WORKSPACE_NAMES_PARAMS.minPrefix, 1, 100),
    onlyWithoutDocumentMatch: a.flags['only-without-document-match'] ? true : a.flags['beside-document-match'] ? false : undefined,
    skipWithout: Boolean(a.flags['skip-without']),
    onNote: note,
  });
  if (a.flags.json) {
    printJson({ ...result, provenance: resultProvenance(completionSettings({ ...result.settings, workspaceNames: true }), modelDir) });
    return 0;
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  process.stdout.write(`typed ${result.chars.typed} chars of ${result.files.heldOut} held-out files; workspace: ${result.files.workspace} files, ${result.names.distinct} names (${result.names.indexed} indexed)\n`);
  process.stdout.write(`keystrokes saved without the workspace's names: ${pct(result.without.keystrokesSaved)}\n`);
  for (const w of result.with) process.stdout.write(`keystrokes saved with them at ${w.occurrenceWeight} per occurrence: ${pct(w.keystrokesSaved)}\n`);
  return 0;
}
