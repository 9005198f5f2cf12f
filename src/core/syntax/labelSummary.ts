import { LabelSource } from './treeConcepts';

/** `tree-sitter for 3 files (typescript, c), lexical for 1 (no tree-sitter grammar is shipped for A.java)`. */
export function labelSummary(sources: readonly LabelSource[]): string {
  const grammars = [...new Set(sources.flatMap((s) => (s.kind === 'tree-sitter' ? [s.grammar] : [])))];
  const reasons = [...new Set(sources.flatMap((s) => (s.kind === 'lexical' ? [s.reason] : [])))];
  const trees = sources.length - sources.filter((s) => s.kind === 'lexical').length;
  const parts: string[] = [];
  if (trees > 0) parts.push(`tree-sitter for ${trees} file${trees === 1 ? '' : 's'} (${grammars.join(', ')})`);
  if (trees < sources.length) parts.push(`lexical for ${sources.length - trees} (${reasons.join('; ')})`);
  return parts.join(', ');
}
