import { RecordedSegment } from '../cells/activations';
import { GrammarName } from './grammars';
import { SyntaxLabels } from './syntaxLabels';

/** One node type's characters among a grammar's recorded rows. */
export interface RecordedKey {
  key: string;
  /** Separate nodes of this type (nested ones count each). */
  nodes: number;
  positives: number;
  negatives: number;
  /** Indices into the group's rows of the smaller class (complement says which): summing over it is cheaper. */
  indices: Int32Array;
  /** true when indices lists the negatives. */
  complement: boolean;
}

/** The recorded rows of every file of one grammar, and its node types' labels over them. */
export interface RecordedSyntaxGroup {
  grammar: GrammarName;
  /** Recording rows (ascending) of this grammar's files. */
  rows: Int32Array;
  keys: RecordedKey[];
}

/**
 * Node-type labels lined up with a recording of several files. Files are
 * grouped by grammar: a TypeScript node type is compared with TypeScript
 * characters only, never with the Python files recorded beside them.
 */
export interface RecordedSyntaxLabels {
  groups: RecordedSyntaxGroup[];
}

/** The defaults of RecordedSyntaxOptions: what a node type needs to be ranked. */
export const MIN_SIDE_CHARS = 30;
export const MIN_NODES = 5;

export interface RecordedSyntaxOptions {
  /** Fewest characters inside, and outside, a node type for it to be ranked (default 30 each). */
  minPositives?: number;
  minNegatives?: number;
  /**
   * Fewest separate nodes (default 5). One long node (the file's only
   * import block) is separated by any cell that drifts over the file: a
   * finding needs the node type to come and go.
   */
  minNodes?: number;
}

/**
 * Lines each file's syntax labels up with its recorded rows (perFile[k]
 * belongs to segments[k]; null for a file without a tree, which is left
 * out) and keeps the node types with enough characters on both sides.
 */
export function syntaxLabelsForRecording(segments: readonly RecordedSegment[], perFile: readonly (SyntaxLabels | null)[], opts: RecordedSyntaxOptions = {}): RecordedSyntaxLabels {
  const minPos = Math.max(1, opts.minPositives ?? MIN_SIDE_CHARS);
  const minNeg = Math.max(1, opts.minNegatives ?? MIN_SIDE_CHARS);
  const minNodes = Math.max(1, opts.minNodes ?? MIN_NODES);
  const byGrammar = new Map<GrammarName, number[]>();
  perFile.forEach((labels, k) => {
    if (!labels || k >= segments.length || segments[k].end === segments[k].start) return;
    const files = byGrammar.get(labels.grammar) ?? [];
    files.push(k);
    byGrammar.set(labels.grammar, files);
  });

  const groups: RecordedSyntaxGroup[] = [];
  for (const [grammar, files] of byGrammar) {
    const n = files.reduce((sum, k) => sum + segments[k].end - segments[k].start, 0);
    const rows = new Int32Array(n);
    const masks = new Map<string, Uint8Array>();
    const nodes = new Map<string, number>();
    let at = 0;
    for (const k of files) {
      const seg = segments[k];
      const recorded = seg.end - seg.start;
      for (let i = 0; i < recorded; i++) rows[at + i] = seg.start + i;
      for (const [key, spans] of (perFile[k] as SyntaxLabels).spans) {
        let mask = masks.get(key);
        if (!mask) masks.set(key, (mask = new Uint8Array(n)));
        // Spans past the recorded characters (a capped file) are cut there.
        let count = nodes.get(key) ?? 0;
        for (let s = 0; s < spans.length; s += 2) {
          if (spans[s] >= recorded) continue;
          mask.fill(1, at + spans[s], at + Math.min(spans[s + 1], recorded));
          count++;
        }
        nodes.set(key, count);
      }
      at += recorded;
    }
    const keys: RecordedKey[] = [];
    for (const [key, mask] of masks) {
      let positives = 0;
      for (let i = 0; i < n; i++) positives += mask[i];
      const negatives = n - positives;
      if (positives < minPos || negatives < minNeg || (nodes.get(key) ?? 0) < minNodes) continue;
      const complement = negatives < positives;
      const want = complement ? 0 : 1;
      const indices = new Int32Array(complement ? negatives : positives);
      let j = 0;
      for (let i = 0; i < n; i++) if (mask[i] === want) indices[j++] = i;
      keys.push({ key, nodes: nodes.get(key) ?? 0, positives, negatives, indices, complement });
    }
    keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    groups.push({ grammar, rows, keys });
  }
  return { groups };
}
