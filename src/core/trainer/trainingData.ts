import { nameHashUnit } from '../nameHash';
import { encode } from '../vocab';

export interface TextSource {
  /** Stable name (relative path): decides which files go to validation. */
  name: string;
  text: string;
}

export interface DataSplit {
  train: Uint8Array;
  val: Uint8Array;
  trainFiles: number;
  valFiles: number;
  /** How validation was chosen: whole held-out files, the tail of the text, or given apart. */
  valBy: 'files' | 'tail' | 'none' | 'given';
}

/** Joins texts so every file starts on a fresh line, as it would in an editor. */
function join(texts: string[]): Uint8Array {
  const s = texts.map((t) => (t.endsWith('\n') ? t : t + '\n')).join('');
  return encode(s);
}

/** Sources in the order validation takes them: by a hash of their name, so the order is the same on every run and machine. */
export function rankByNameHash<T extends { name: string }>(sources: readonly T[]): T[] {
  return [...sources].sort((a, b) => nameHashUnit(a.name) - nameHashUnit(b.name));
}

/**
 * Splits into training and validation text. With enough files, whole files
 * are held out (chosen by a hash of their name, so the split is stable across
 * runs and machines); with one or two files, the last fraction of the text is.
 */
export function splitTrainVal(sources: TextSource[], valFraction: number): DataSplit {
  if (valFraction <= 0) return { train: join(sources.map((s) => s.text)), val: new Uint8Array(0), trainFiles: sources.length, valFiles: 0, valBy: 'none' };
  if (sources.length >= 4) {
    const ranked = rankByNameHash(sources);
    const total = sources.reduce((n, s) => n + s.text.length, 0);
    const val: TextSource[] = [];
    let valChars = 0;
    for (const s of ranked) {
      if (valChars >= valFraction * total || val.length >= sources.length - 1) break;
      val.push(s);
      valChars += s.text.length;
    }
    const valSet = new Set(val);
    const train = sources.filter((s) => !valSet.has(s));
    return { train: join(train.map((s) => s.text)), val: join(val.map((s) => s.text)), trainFiles: train.length, valFiles: val.length, valBy: 'files' };
  }
  const all = join(sources.map((s) => s.text));
  const cut = Math.floor(all.length * (1 - valFraction));
  return { train: all.subarray(0, cut), val: all.subarray(cut), trainFiles: sources.length, valFiles: 0, valBy: 'tail' };
}

/** Training on every source and validating on text given apart (held-out packages). */
export function splitGivenVal(sources: TextSource[], val: TextSource[]): DataSplit {
  return { train: join(sources.map((s) => s.text)), val: join(val.map((s) => s.text)), trainFiles: sources.length, valFiles: val.length, valBy: 'given' };
}

/**
 * B parallel streams over one text, cut into windows of T steps (char-rnn's
 * batching): stream b reads the b-th contiguous slice, so the state carried
 * from one window to the next belongs to the same running text.
 */
export class StreamBatches {
  readonly rowLength: number;
  readonly windows: number;

  constructor(
    private readonly data: Uint8Array,
    readonly B: number,
    readonly T: number,
  ) {
    this.rowLength = Math.floor((data.length - 1) / B);
    this.windows = Math.floor(this.rowLength / T);
  }

  /** Fills x and y ([B, T] batch-major) with window w; y is x shifted by one. */
  fill(w: number, x: Int32Array, y: Int32Array): void {
    const { B, T, data, rowLength } = this;
    for (let b = 0; b < B; b++) {
      const start = b * rowLength + w * T;
      for (let t = 0; t < T; t++) {
        x[b * T + t] = data[start + t];
        y[b * T + t] = data[start + t + 1];
      }
    }
  }

  /** Rows b0..b1 of window w (a worker's share of the batch). */
  fillRows(w: number, b0: number, b1: number, x: Int32Array, y: Int32Array): void {
    const { T, data, rowLength } = this;
    for (let b = b0; b < b1; b++) {
      const start = b * rowLength + w * T;
      for (let t = 0; t < T; t++) {
        x[(b - b0) * T + t] = data[start + t];
        y[(b - b0) * T + t] = data[start + t + 1];
      }
    }
  }
}

/**
 * The largest batch (then window) that gives at least one full window per
 * stream: tiny corpora still train, and the caller is told what changed.
 */
export function fitBatchShape(chars: number, B: number, T: number): { B: number; T: number } {
  let b = B;
  let t = T;
  while (b > 1 && Math.floor((chars - 1) / b) < t) b = Math.max(1, Math.floor(b / 2));
  while (t > 1 && chars - 1 < t) t = Math.max(1, Math.floor(t / 2));
  return { B: b, T: t };
}
