/**
 * The messages between the heatmap panel (host) and its webview
 * (src/webview/heatmap.ts), both ways one typed union, and the validation of
 * everything that comes from the webview: the webview runs untrusted
 * workspace text through its DOM, so the host treats its messages and its
 * saved state as input, never as trusted data. The host owns the view state;
 * the webview draws what it is sent and asks for changes (intents). No
 * vscode or Node import: the webview bundle imports the types.
 */
import type { CellKind, CellRef } from '../../core/cells/activations';

export const MAX_TRACKS = 8;
export const MAX_OFF_AROUND = 50;
export const THRESHOLD_LIMIT = 50;
export const DEFAULT_THRESHOLD = 0.3;

/** A row of colors: one cell's h or c, one feature of the model's sparse dictionary, or the model's surprise (bits) at each character. */
export type TrackSpec = { type: 'cell'; layer: number; cell: number; kind: CellKind } | { type: 'feature'; index: number } | { type: 'surprise' };

export type SearchScope = 'file' | 'workspace';

/**
 * The panel's view, owned by the host. The webview mirrors the last one it
 * was sent with setState only so that the panel serializer can hand it back
 * to the host after a reload.
 */
export interface ViewState {
  tracks: TrackSpec[];
  threshold: number;
  offAround: number;
  scope: SearchScope;
}

/** Intents: what the webview asks the host to do. The host changes its view state and sends the result back. */
export type WebviewMessage =
  /** The webview (re)loaded: send everything. */
  | { type: 'ready' }
  /** Add tracks: at the front when primary (the first colors the code; one already shown moves there), else at the end. */
  | { type: 'addTracks'; tracks: TrackSpec[]; primary: boolean }
  | { type: 'removeTrack'; track: TrackSpec }
  /** The hypothesis search inputs changed. */
  | { type: 'searchOptions'; threshold: number; offAround: number; scope: SearchScope }
  /** A character was clicked: move the editor's cursor to this document offset. */
  | { type: 'reveal'; offset: number }
  /** A match of the last hypothesis search was clicked (its index in that list). */
  | { type: 'openMatch'; index: number }
  /** Run the hypothesis search on the editor's selection, with these inputs. */
  | { type: 'hypothesis'; threshold: number; offAround: number; scope: SearchScope }
  | { type: 'export' };

/** One track's data over the window. */
export interface TrackPayload {
  spec: TrackSpec;
  label: string;
  /** One value per recorded character of the window. */
  values: number[];
  /** The |value| drawn at full color (colorScale: robust for cells, fixed bits for surprise). */
  limit: number;
  /** Each value's color step, −LEVELS … LEVELS: the webview only draws these. */
  levels: number[];
}

/** One line of a cell list: click it to add the cell as a track. */
export interface CellEntry {
  ref: CellRef;
  title: string;
  detail: string;
  /** Entries of one group are listed under its name (a concept, or "model card"). */
  group?: string;
}

/** One line of the feature list (a feature of the dictionary saved beside the model): click it to add the feature as a track. */
export interface FeatureEntry {
  feature: number;
  title: string;
  detail: string;
  /** The concept it is listed under. */
  group?: string;
}

export interface GateChartLayer {
  layer: number;
  steps: number;
  /** Per gate (i, f, o): for each unit, the fraction of steps left- (< 0.1) and right-saturated (> 0.9). */
  gates: { name: string; left: number[]; right: number[] }[];
}

/** A place the last hypothesis search found; the webview sends back its index. */
export interface MatchEntry {
  index: number;
  where: string;
  preview: string;
  overlap: number;
  chars: number;
}

/** What the host sends the webview. */
export type HostMessage =
  | { type: 'model'; name: string; shape: string; hidden: number[]; /** False for a GRU or a plain RNN: no c to show. */ hasMemoryCell: boolean }
  | { type: 'document'; fileName: string; text: string; offset: number; startLine: number; totalChars: number; note: string }
  /** The view state after every change: the inputs show it and the webview mirrors it for the serializer. */
  | { type: 'view'; view: ViewState }
  /** The tracks' data, in the view's order. */
  | { type: 'tracks'; tracks: TrackPayload[] }
  | { type: 'cursor'; offset: number }
  | { type: 'conceptCells'; entries: CellEntry[]; /** What labelled the concepts: a tree-sitter grammar, or a lexer and why. */ labelledBy: string }
  /** The node types of the file's grammar whose best cell beats the random model's; the note says what was ranked (or why nothing was). */
  | { type: 'syntaxCells'; entries: CellEntry[]; note: string }
  /** The dictionary's standout features; `features` is its size (0: no dictionary, the note says why and how to make one). */
  | { type: 'featureList'; entries: FeatureEntry[]; features: number; note: string }
  | { type: 'selectionCells'; entries: CellEntry[]; selection: { start: number; end: number } | null; note?: string }
  | { type: 'hypothesis'; cells: CellEntry[]; features: FeatureEntry[]; matches: MatchEntry[]; note: string }
  | { type: 'saturation'; layers: GateChartLayer[] }
  | { type: 'status'; busy: boolean; message: string };

/** The model's shape, for checking cell numbers. */
export interface ModelShape {
  hidden: readonly number[];
  /** False for a GRU or a plain RNN (no c); absent means an LSTM. */
  hasMemoryCell?: boolean;
  /** Features of the loaded dictionary: 0 when there is none; absent while not known yet (any index passes, the host checks again once it knows). */
  features?: number;
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
  if (raw.type === 'feature') return isInt(raw.index, 0, (shape?.features ?? 1 << 20) - 1) ? { type: 'feature', index: raw.index } : undefined;
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
      return { type: 'ready' };
    case 'addTracks': {
      const tracks = parseTracks(raw.tracks, shape);
      return tracks && typeof raw.primary === 'boolean' ? { type: 'addTracks', tracks, primary: raw.primary } : undefined;
    }
    case 'removeTrack': {
      const track = parseTrack(raw.track, shape);
      return track ? { type: 'removeTrack', track } : undefined;
    }
    case 'searchOptions': {
      const o = parseSearchOptions(raw);
      return o ? { type: 'searchOptions', ...o } : undefined;
    }
    case 'reveal':
      return isInt(raw.offset, 0, Number.MAX_SAFE_INTEGER) ? { type: 'reveal', offset: raw.offset } : undefined;
    case 'openMatch':
      return isInt(raw.index, 0, 10_000) ? { type: 'openMatch', index: raw.index } : undefined;
    case 'hypothesis': {
      const o = parseSearchOptions(raw);
      return o ? { type: 'hypothesis', ...o } : undefined;
    }
    case 'export':
      return { type: 'export' };
    default:
      return undefined;
  }
}

function parseSearchOptions(raw: Raw): { threshold: number; offAround: number; scope: SearchScope } | undefined {
  if (!isNumberIn(raw.threshold, -THRESHOLD_LIMIT, THRESHOLD_LIMIT) || !isInt(raw.offAround, 0, MAX_OFF_AROUND)) return undefined;
  if (raw.scope !== 'file' && raw.scope !== 'workspace') return undefined;
  return { threshold: raw.threshold, offAround: raw.offAround, scope: raw.scope };
}

export function sameTrack(a: TrackSpec, b: TrackSpec): boolean {
  if (a.type === 'cell' && b.type === 'cell') return a.layer === b.layer && a.cell === b.cell && a.kind === b.kind;
  if (a.type === 'feature' && b.type === 'feature') return a.index === b.index;
  return a.type === b.type;
}
