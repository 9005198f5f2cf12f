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
