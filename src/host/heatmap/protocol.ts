/**
 * The messages between the heatmap panel (host) and media/heatmap.js
 * (webview), and the validation of everything that comes from the webview:
 * the webview runs untrusted workspace text through its DOM, so the host
 * treats its messages and its saved state as input, never as trusted data.
 * No vscode import: tested in plain Node.
 */
import { CellKind } from '../../core/cells/activations';

export const MAX_TRACKS = 8;
export const MAX_OFF_AROUND = 50;
export const THRESHOLD_LIMIT = 50;
export const DEFAULT_THRESHOLD = 0.3;

/** A row of colors: one cell's h or c, or the model's surprise (bits) at each character. */
export type TrackSpec = { type: 'cell'; layer: number; cell: number; kind: CellKind } | { type: 'surprise' };

export type SearchScope = 'file' | 'workspace';

/** What the webview keeps with getState/setState and the panel serializer restores. */
export interface ViewState {
  tracks: TrackSpec[];
  threshold: number;
  offAround: number;
  scope: SearchScope;
}

export type WebviewMessage =
  | { type: 'ready'; state: ViewState | null }
  | { type: 'setTracks'; tracks: TrackSpec[] }
  /** A character was clicked: move the editor's cursor to this document offset. */
  | { type: 'reveal'; offset: number }
  /** A match of the last hypothesis search was clicked (its index in that list). */
  | { type: 'openMatch'; index: number }
  /** Run the hypothesis search on the editor's selection. */
  | { type: 'hypothesis'; threshold: number; offAround: number; scope: SearchScope }
  | { type: 'export' };

/** The model's shape, for checking cell numbers. */
export interface ModelShape {
  hidden: readonly number[];
  /** False for a GRU or a plain RNN (no c); absent means an LSTM. */
  hasMemoryCell?: boolean;
}

export function defaultViewState(): ViewState {
  return { tracks: [], threshold: DEFAULT_THRESHOLD, offAround: 0, scope: 'file' };
}

type Raw = Record<string, unknown>;

function isRecord(x: unknown): x is Raw {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isInt(x: unknown, lo: number, hi: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;
}

function isNumberIn(x: unknown, lo: number, hi: number): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;
}

/** A track spec with a layer and cell the model has; undefined otherwise. Extra fields are dropped. */
export function parseTrack(raw: unknown, shape: ModelShape | undefined): TrackSpec | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw.type === 'surprise') return { type: 'surprise' };
  if (raw.type !== 'cell' || (raw.kind !== 'h' && raw.kind !== 'c')) return undefined;
  if (raw.kind === 'c' && shape?.hasMemoryCell === false) return undefined;
  const layers = shape?.hidden.length ?? 64;
  if (!isInt(raw.layer, 0, layers - 1)) return undefined;
  const units = shape?.hidden[raw.layer] ?? 1 << 16;
  if (!isInt(raw.cell, 0, units - 1)) return undefined;
  return { type: 'cell', layer: raw.layer, cell: raw.cell, kind: raw.kind };
}

/** Valid tracks only, duplicates removed, at most MAX_TRACKS; undefined when raw is not an array. */
export function parseTracks(raw: unknown, shape: ModelShape | undefined): TrackSpec[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: TrackSpec[] = [];
  for (const item of raw.slice(0, 4 * MAX_TRACKS)) {
    const t = parseTrack(item, shape);
    if (t && !out.some((o) => sameTrack(o, t))) out.push(t);
    if (out.length === MAX_TRACKS) break;
  }
  return out;
}

/**
 * A saved state, repaired field by field: anything missing or invalid takes
 * its default (a panel restored from old or tampered state still opens).
 */
export function parseViewState(raw: unknown, shape: ModelShape | undefined): ViewState {
  const d = defaultViewState();
  if (!isRecord(raw)) return d;
  return {
    tracks: parseTracks(raw.tracks, shape) ?? d.tracks,
    threshold: isNumberIn(raw.threshold, -THRESHOLD_LIMIT, THRESHOLD_LIMIT) ? raw.threshold : d.threshold,
    offAround: isInt(raw.offAround, 0, MAX_OFF_AROUND) ? raw.offAround : d.offAround,
    scope: raw.scope === 'workspace' || raw.scope === 'file' ? raw.scope : d.scope,
  };
}

/** The message, checked and copied field by field; undefined for anything malformed or unknown. */
export function parseWebviewMessage(raw: unknown, shape: ModelShape | undefined): WebviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready', state: raw.state === null || raw.state === undefined ? null : parseViewState(raw.state, shape) };
    case 'setTracks': {
      const tracks = parseTracks(raw.tracks, shape);
      return tracks ? { type: 'setTracks', tracks } : undefined;
    }
    case 'reveal':
      return isInt(raw.offset, 0, Number.MAX_SAFE_INTEGER) ? { type: 'reveal', offset: raw.offset } : undefined;
    case 'openMatch':
      return isInt(raw.index, 0, 10_000) ? { type: 'openMatch', index: raw.index } : undefined;
    case 'hypothesis':
      if (!isNumberIn(raw.threshold, -THRESHOLD_LIMIT, THRESHOLD_LIMIT) || !isInt(raw.offAround, 0, MAX_OFF_AROUND)) return undefined;
      if (raw.scope !== 'file' && raw.scope !== 'workspace') return undefined;
      return { type: 'hypothesis', threshold: raw.threshold, offAround: raw.offAround, scope: raw.scope };
    case 'export':
      return { type: 'export' };
    default:
      return undefined;
  }
}

export function sameTrack(a: TrackSpec, b: TrackSpec): boolean {
  if (a.type === 'surprise' || b.type === 'surprise') return a.type === b.type;
  return a.layer === b.layer && a.cell === b.cell && a.kind === b.kind;
}
