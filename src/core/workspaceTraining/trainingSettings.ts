/**
 * The "Train on Workspace" settings (`lstmLens.training.*`) as plain values,
 * validated: a wrong value falls back to the default (or the nearest bound)
 * with a line saying so, like the completion settings.
 */

import { CELL_TYPES, CellType } from '../modelSpec';

export type TrainingStart = 'fine-tune' | 'scratch';

export interface TrainingSettings {
  /** Wall-clock budget of one run. */
  minutes: number;
  start: TrainingStart;
  /** Shape of a model trained from scratch: its cell type, layers and cells per layer. */
  cell: CellType;
  layers: number;
  hidden: number;
  /** Threads computing gradients; 0 = automatic (one core is left for the editor). */
  threads: number;
  maxCorpusMB: number;
  include: string[];
  exclude: string[];
}

export const DEFAULT_TRAINING_SETTINGS: Readonly<TrainingSettings> = Object.freeze({
  minutes: 5,
  start: 'fine-tune',
  cell: 'lstm',
  layers: 2,
  hidden: 256,
  threads: 0,
  maxCorpusMB: 8,
  include: [],
  exclude: [],
});

const NUMBERS = {
  minutes: { min: 0.05, max: 1440, integer: false },
  layers: { min: 1, max: 4, integer: true },
  hidden: { min: 8, max: 1024, integer: true },
  threads: { min: 0, max: 64, integer: true },
  maxCorpusMB: { min: 0.01, max: 1024, integer: false },
} as const;

/** Reads `training.<name>` through `get` and validates every value. */
export function readTrainingSettings(get: (name: string) => unknown): { settings: TrainingSettings; problems: string[] } {
  const problems: string[] = [];
  const settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, include: [], exclude: [] };
  for (const [name, range] of Object.entries(NUMBERS) as [keyof typeof NUMBERS, (typeof NUMBERS)[keyof typeof NUMBERS]][]) {
    const value = get(`training.${name}`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer && !Number.isInteger(value))) {
      problems.push(`lstmLens.training.${name} is ${JSON.stringify(value)}, not ${range.integer ? 'a whole number' : 'a number'}; using ${settings[name]}`);
      continue;
    }
    const clamped = Math.min(range.max, Math.max(range.min, value));
    if (clamped !== value) problems.push(`lstmLens.training.${name} is ${value}, outside ${range.min}–${range.max}; using ${clamped}`);
    settings[name] = clamped;
  }
  const start = get('training.start');
  if (start === 'fine-tune' || start === 'scratch') settings.start = start;
  else if (start !== undefined) problems.push(`lstmLens.training.start is ${JSON.stringify(start)}, not "fine-tune" or "scratch"; using "fine-tune"`);
  const cell = get('training.cell');
  if ((CELL_TYPES as readonly unknown[]).includes(cell)) settings.cell = cell as CellType;
  else if (cell !== undefined) problems.push(`lstmLens.training.cell is ${JSON.stringify(cell)}, not ${CELL_TYPES.map((c) => `"${c}"`).join(', ')}; using "lstm"`);
  for (const name of ['include', 'exclude'] as const) {
    const value = get(`training.${name}`);
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      problems.push(`lstmLens.training.${name} is not a list of patterns; ignoring it`);
      continue;
    }
    const patterns = value.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim());
    if (patterns.length !== value.length) problems.push(`lstmLens.training.${name}: entries that are not patterns were ignored`);
    settings[name] = patterns;
  }
  return { settings, problems };
}

/** Threads for a run: the setting, or on automatic all cores but one (one core is left to the editor). */
export function trainingThreads(setting: number, cores: number): number {
  if (setting > 0) return setting;
  return Math.max(1, Math.min(4, cores - 1));
}
