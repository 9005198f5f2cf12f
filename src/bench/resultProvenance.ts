import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SearchSettings } from '../core/completion';

/**
 * What a committed result file must say about itself, so that a figure built
 * from it (scripts/figure-tables.js) can be traced and redone: the command,
 * the completion settings, the model's weights, the machine and the date.
 */
export interface ResultProvenance {
  command: string;
  settings: SearchSettings | null;
  /** The weight file's name (it holds a content hash) and its sha256; null for random weights. */
  weights: { file: string; sha256: string } | null;
  machine: string;
  date: string;
}

/** The completion settings a result depends on, under the names of the editor's settings. */
export function completionSettings(s: SearchSettings): SearchSettings {
  return {
    beamWidth: s.beamWidth,
    maxChars: s.maxChars,
    multiline: s.multiline,
    maxLines: s.maxLines,
    minCharProb: s.minCharProb,
    minExpectedSaving: s.minExpectedSaving,
    documentMatch: s.documentMatch,
    wordMemory: s.wordMemory,
    // Unset (a caller without a workspace) is off; left out rather than written as undefined.
    ...(s.workspaceNames !== undefined ? { workspaceNames: s.workspaceNames } : {}),
  };
}

/**
 * LSTM_LENS_BENCH_CONDITIONS names what the machine was doing besides the
 * bench ("training runs paused (SIGSTOP)", "beside one training run"); it
 * is written into the result's machine line, so that nobody has to add it
 * by hand afterwards.
 */
export function resultProvenance(settings: SearchSettings | null, modelDir: string | null): ResultProvenance {
  const cpus = os.cpus();
  const conditions = process.env.LSTM_LENS_BENCH_CONDITIONS?.trim();
  return {
    command: commandLine(),
    settings,
    weights: modelDir === null ? null : weightsOf(modelDir),
    machine: `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}${conditions ? `, ${conditions}` : ''}`,
    date: new Date().toISOString(),
  };
}

/** The command as run: `lstm-lens ARGS`, or `node FLAGS SCRIPT ARGS` where node had flags (--expose-gc changes what memory figures mean). */
function commandLine(): string {
  if (process.execArgv.length === 0) return ['lstm-lens', ...process.argv.slice(2)].join(' ');
  return ['node', ...process.execArgv, path.relative(process.cwd(), process.argv[1] ?? ''), ...process.argv.slice(2)].join(' ');
}

function weightsOf(modelDir: string): { file: string; sha256: string } {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  const file = manifest.weightsManifest[0].paths[0];
  return { file, sha256: createHash('sha256').update(fs.readFileSync(path.join(modelDir, file))).digest('hex') };
}
