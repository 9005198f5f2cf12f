import { fileKindOf } from '../fileKinds';

/**
 * The lexical families the concept scanner knows. JavaScript shares the
 * TypeScript rules; Kotlin, Scala, Swift, Dart and Groovy are close enough to
 * Java (// and block comments, triple-quoted text blocks) to use its rules.
 */
export type Language = 'typescript' | 'javascript' | 'python' | 'c' | 'cpp' | 'java' | 'csharp' | 'go' | 'rust' | 'generic';

/**
 * The language of a file name or path (by extension) or of a VS Code
 * language id; 'generic' (C-like comments, quotes, parenthesised ifs) for
 * anything else. Language ids win: "c" is the language, not a file named c.
 */
export function languageForFile(nameOrLanguageId: string): Language {
  return fileKindOf(nameOrLanguageId)?.language ?? 'generic';
}
