/**
 * The lexical families the concept scanner knows. JavaScript shares the
 * TypeScript rules; Kotlin, Scala, Swift, Dart and Groovy are close enough to
 * Java (// and block comments, triple-quoted text blocks) to use its rules.
 */
export type Language = 'typescript' | 'javascript' | 'python' | 'c' | 'cpp' | 'java' | 'csharp' | 'go' | 'rust' | 'generic';

/** VS Code language ids that name one of our languages. */
const BY_LANGUAGE_ID: Record<string, Language> = {
  typescript: 'typescript',
  typescriptreact: 'typescript',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  python: 'python',
  c: 'c',
  'objective-c': 'c',
  cpp: 'cpp',
  'objective-cpp': 'cpp',
  cuda: 'cpp',
  'cuda-cpp': 'cpp',
  java: 'java',
  kotlin: 'java',
  scala: 'java',
  swift: 'java',
  dart: 'java',
  groovy: 'java',
  csharp: 'csharp',
  go: 'go',
  rust: 'rust',
};

const BY_EXTENSION: Record<string, Language> = {
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  pyi: 'python',
  pyw: 'python',
  c: 'c',
  h: 'c',
  m: 'c',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  'c++': 'cpp',
  hh: 'cpp',
  hpp: 'cpp',
  hxx: 'cpp',
  'h++': 'cpp',
  ipp: 'cpp',
  inl: 'cpp',
  ino: 'cpp',
  cu: 'cpp',
  mm: 'cpp',
  java: 'java',
  kt: 'java',
  kts: 'java',
  scala: 'java',
  swift: 'java',
  dart: 'java',
  groovy: 'java',
  cs: 'csharp',
  go: 'go',
  rs: 'rust',
};

/**
 * The language of a file name or path (by extension) or of a VS Code
 * language id; 'generic' (C-like comments, quotes, parenthesised ifs) for
 * anything else. Language ids win: "c" is the language, not a file named c.
 */
export function languageForFile(nameOrLanguageId: string): Language {
  const key = nameOrLanguageId.trim().toLowerCase();
  const byId = Object.prototype.hasOwnProperty.call(BY_LANGUAGE_ID, key) ? BY_LANGUAGE_ID[key] : undefined;
  if (byId) return byId;
  const base = key.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 && !base.startsWith('.')) return 'generic';
  const ext = base.slice(dot + 1);
  return Object.prototype.hasOwnProperty.call(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : 'generic';
}
