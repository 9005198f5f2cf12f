import type { Language } from './concepts/language';
import type { GrammarName } from './syntax/grammars';

/**
 * What LSTM Lens knows of one kind of file: the lexical family the concept
 * scanner reads it with, and the tree-sitter grammar shipped for it (null: none).
 */
export interface FileKind {
  language: Language;
  grammar: GrammarName | null;
}

const kind = (language: Language, grammar: GrammarName | null = null): FileKind => ({ language, grammar });

// One table for both questions, so that a new extension gets its language and its grammar together.
// Objective-C reads as C (and Objective-C++ as C++) but has no grammar: the C grammar would misparse it.
// Shell has a grammar but no lexical family of its own (generic).

/** VS Code language ids. */
const BY_LANGUAGE_ID: Record<string, FileKind> = {
  typescript: kind('typescript', 'typescript'),
  typescriptreact: kind('typescript', 'tsx'),
  javascript: kind('javascript', 'javascript'),
  javascriptreact: kind('javascript', 'javascript'),
  python: kind('python', 'python'),
  c: kind('c', 'c'),
  'objective-c': kind('c'),
  cpp: kind('cpp', 'cpp'),
  'objective-cpp': kind('cpp'),
  cuda: kind('cpp'),
  'cuda-cpp': kind('cpp', 'cpp'),
  java: kind('java'),
  kotlin: kind('java'),
  scala: kind('java'),
  swift: kind('java'),
  dart: kind('java'),
  groovy: kind('java'),
  csharp: kind('csharp'),
  go: kind('go', 'go'),
  rust: kind('rust', 'rust'),
  shellscript: kind('generic', 'bash'),
};

/** File extensions, lower case, without the dot. */
const BY_EXTENSION: Record<string, FileKind> = {
  ts: kind('typescript', 'typescript'),
  mts: kind('typescript', 'typescript'),
  cts: kind('typescript', 'typescript'),
  tsx: kind('typescript', 'tsx'),
  js: kind('javascript', 'javascript'),
  jsx: kind('javascript', 'javascript'),
  mjs: kind('javascript', 'javascript'),
  cjs: kind('javascript', 'javascript'),
  py: kind('python', 'python'),
  pyi: kind('python', 'python'),
  pyw: kind('python', 'python'),
  c: kind('c', 'c'),
  h: kind('c', 'c'),
  m: kind('c'),
  cc: kind('cpp', 'cpp'),
  cpp: kind('cpp', 'cpp'),
  cxx: kind('cpp', 'cpp'),
  'c++': kind('cpp', 'cpp'),
  hh: kind('cpp', 'cpp'),
  hpp: kind('cpp', 'cpp'),
  hxx: kind('cpp', 'cpp'),
  'h++': kind('cpp', 'cpp'),
  ipp: kind('cpp', 'cpp'),
  inl: kind('cpp', 'cpp'),
  ino: kind('cpp', 'cpp'),
  cu: kind('cpp', 'cpp'),
  mm: kind('cpp'),
  java: kind('java'),
  kt: kind('java'),
  kts: kind('java'),
  scala: kind('java'),
  swift: kind('java'),
  dart: kind('java'),
  groovy: kind('java'),
  cs: kind('csharp'),
  go: kind('go', 'go'),
  rs: kind('rust', 'rust'),
  sh: kind('generic', 'bash'),
  bash: kind('generic', 'bash'),
};

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * The kind of a VS Code language id or of a file name or path (by its
 * extension), or null when neither table knows it. Language ids win: "c" is
 * the language, not a file named c.
 */
export function fileKindOf(nameOrLanguageId: string): FileKind | null {
  const key = nameOrLanguageId.trim().toLowerCase();
  if (has(BY_LANGUAGE_ID, key)) return BY_LANGUAGE_ID[key];
  const base = key.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot < 0) return null;
  const ext = base.slice(dot + 1);
  return has(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : null;
}
