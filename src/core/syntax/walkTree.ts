import { Tree } from 'web-tree-sitter';

/** One node as the walk meets it; offsets are UTF-16 units, like the editor's. */
export interface VisitedNode {
  type: string;
  named: boolean;
  /** The field this node fills in its parent (`condition`, `body`...), or null. */
  field: string | null;
  start: number;
  end: number;
  /** The parent's type and start ('' and 0 at the root). */
  parentType: string;
  parentStart: number;
}

/**
 * Visits every node of a tree in document order with one cursor and no
 * recursion (deeply nested code cannot overflow the stack). The object
 * passed to visit is reused: copy what you keep.
 */
export function walkTree(tree: Tree, visit: (node: VisitedNode) => void): void {
  const cursor = tree.walk();
  try {
    // Ancestors of the cursor's node: their types and starts.
    const types: string[] = [];
    const starts: number[] = [];
    const node: VisitedNode = { type: '', named: false, field: null, start: 0, end: 0, parentType: '', parentStart: 0 };
    for (;;) {
      node.type = cursor.nodeType;
      node.named = cursor.nodeIsNamed;
      node.field = cursor.currentFieldName;
      node.start = cursor.startIndex;
      node.end = cursor.endIndex;
      node.parentType = types.length ? types[types.length - 1] : '';
      node.parentStart = starts.length ? starts[starts.length - 1] : 0;
      visit(node);
      types.push(node.type);
      starts.push(node.start);
      if (cursor.gotoFirstChild()) continue;
      types.pop();
      starts.pop();
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
        types.pop();
        starts.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}
