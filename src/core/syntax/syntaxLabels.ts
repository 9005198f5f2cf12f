import { Tree } from 'web-tree-sitter';
import { GrammarName } from './grammars';
import { walkTree } from './walkTree';

/**
 * Which characters of one text lie inside each kind of syntax node. Keys are
 * a grammar's named node types (`string`, `arguments`, `type_annotation`,
 * `decorator`...) and, for nodes that fill a field of their parent,
 * `parent_type.field` (`for_statement.body`, `if_statement.condition`).
 */
export interface SyntaxLabels {
  grammar: GrammarName;
  /** Length of the text (UTF-16 units). */
  length: number;
  /** Per key: [start, end) spans, flat (s0, e0, s1, e1...), in document order; nested spans of one key overlap. */
  spans: Map<string, number[]>;
}

/** The label key of a node that fills a field of its parent. */
export function fieldKey(parentType: string, field: string): string {
  return `${parentType}.${field}`;
}

/**
 * Collects the spans of every named node type and every parent.field of a
 * parsed text. The root (the whole file) and empty nodes (a parser's MISSING
 * tokens) are left out: they label nothing.
 */
export function syntaxLabelsOf(tree: Tree, grammar: GrammarName, length: number): SyntaxLabels {
  const spans = new Map<string, number[]>();
  const add = (key: string, start: number, end: number) => {
    let list = spans.get(key);
    if (!list) spans.set(key, (list = []));
    list.push(start, end);
  };
  walkTree(tree, (node) => {
    if (node.parentType === '' || node.end <= node.start) return;
    if (node.named) add(node.type, node.start, Math.min(node.end, length));
    if (node.field) add(fieldKey(node.parentType, node.field), node.start, Math.min(node.end, length));
  });
  return { grammar, length, spans };
}

/** A 0/1 mask of the characters inside a key's spans (all 0 for a key the text lacks). */
export function syntaxMask(labels: SyntaxLabels, key: string): Uint8Array {
  const mask = new Uint8Array(labels.length);
  const list = labels.spans.get(key) ?? [];
  for (let k = 0; k < list.length; k += 2) mask.fill(1, list[k], list[k + 1]);
  return mask;
}

/**
 * The labels of characters [start, end) of the text, as if that window were
 * the whole text: spans cut at its edges and moved to start at 0 (a node
 * that begins before the window is inside it from its first character).
 * The panel records a window of a long file and labels the whole file.
 */
export function windowSyntaxLabels(labels: SyntaxLabels, start: number, end: number): SyntaxLabels {
  const from = Math.max(0, Math.min(start, labels.length));
  const to = Math.max(from, Math.min(end, labels.length));
  const spans = new Map<string, number[]>();
  for (const [key, list] of labels.spans) {
    const kept: number[] = [];
    for (let k = 0; k < list.length; k += 2) {
      const s = Math.max(list[k], from);
      const e = Math.min(list[k + 1], to);
      if (e > s) kept.push(s - from, e - from);
    }
    if (kept.length > 0) spans.set(key, kept);
  }
  return { grammar: labels.grammar, length: to - from, spans };
}
