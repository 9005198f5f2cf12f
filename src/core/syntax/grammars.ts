import { fileKindOf } from '../fileKinds';

/**
 * The tree-sitter grammars LSTM Lens can load: one per language the model
 * was trained on (TypeScript and TSX, JavaScript, Python, C, C++, Go, Rust,
 * shell). Each names the npm package that ships its .wasm file.
 */
export const GRAMMAR_NAMES = ['typescript', 'tsx', 'javascript', 'python', 'c', 'cpp', 'go', 'rust', 'bash'] as const;

export type GrammarName = (typeof GRAMMAR_NAMES)[number];

export interface GrammarFile {
  /** The npm package that ships the grammar (pinned in package.json). */
  pkg: string;
  /** The .wasm file at the package's root. */
  file: string;
}

export const GRAMMAR_FILES: Record<GrammarName, GrammarFile> = {
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  javascript: { pkg: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' },
  python: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
  c: { pkg: 'tree-sitter-c', file: 'tree-sitter-c.wasm' },
  cpp: { pkg: 'tree-sitter-cpp', file: 'tree-sitter-cpp.wasm' },
  go: { pkg: 'tree-sitter-go', file: 'tree-sitter-go.wasm' },
  rust: { pkg: 'tree-sitter-rust', file: 'tree-sitter-rust.wasm' },
  bash: { pkg: 'tree-sitter-bash', file: 'tree-sitter-bash.wasm' },
};

/** The tree-sitter runtime itself (web-tree-sitter's WebAssembly). */
export const RUNTIME_FILE: GrammarFile = { pkg: 'web-tree-sitter', file: 'web-tree-sitter.wasm' };

/**
 * The grammar for a VS Code language id or a file name (by extension), or
 * null when none is shipped (Java, C#, plain text...). Language ids win, as
 * in languageForFile.
 */
export function grammarForFile(nameOrLanguageId: string): GrammarName | null {
  return fileKindOf(nameOrLanguageId)?.grammar ?? null;
}
