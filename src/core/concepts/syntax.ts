import { Language } from './language';

/** Which string and char literal forms a language has (see stringLiterals.ts). */
export type StringDialect = 'js' | 'python' | 'c' | 'cpp' | 'java' | 'csharp' | 'go' | 'rust' | 'generic';

/**
 * How an `if` condition ends: at the `)` matching the one after `if` (C,
 * Java, JS), at the `:` that opens the block (Python), or just before the
 * `{` of the body (Go, Rust, where the parentheses are optional).
 */
export type IfConditionStyle = 'parens' | 'colon' | 'brace';

/** The lexical rules the scanner needs for one language. */
export interface Syntax {
  lineComments: readonly string[];
  /** `#` starts a comment only at a line start or after whitespace (shell, YAML, TOML in the generic fallback). */
  hashCommentAfterSpaceOnly: boolean;
  blockComment: { open: string; close: string; nests: boolean } | null;
  strings: StringDialect;
  /** JavaScript regex literals: `/…/flags` where a value cannot end. */
  regexLiterals: boolean;
  ifCondition: IfConditionStyle;
}

const C_COMMENTS = { lineComments: ['//'], hashCommentAfterSpaceOnly: false, blockComment: { open: '/*', close: '*/', nests: false } } as const;

const SYNTAX: Record<Language, Syntax> = {
  typescript: { ...C_COMMENTS, strings: 'js', regexLiterals: true, ifCondition: 'parens' },
  javascript: { ...C_COMMENTS, strings: 'js', regexLiterals: true, ifCondition: 'parens' },
  python: { lineComments: ['#'], hashCommentAfterSpaceOnly: false, blockComment: null, strings: 'python', regexLiterals: false, ifCondition: 'colon' },
  c: { ...C_COMMENTS, strings: 'c', regexLiterals: false, ifCondition: 'parens' },
  cpp: { ...C_COMMENTS, strings: 'cpp', regexLiterals: false, ifCondition: 'parens' },
  java: { ...C_COMMENTS, strings: 'java', regexLiterals: false, ifCondition: 'parens' },
  csharp: { ...C_COMMENTS, strings: 'csharp', regexLiterals: false, ifCondition: 'parens' },
  go: { ...C_COMMENTS, strings: 'go', regexLiterals: false, ifCondition: 'brace' },
  // Rust block comments nest: /* a /* b */ still a comment */.
  rust: { ...C_COMMENTS, blockComment: { open: '/*', close: '*/', nests: true }, strings: 'rust', regexLiterals: false, ifCondition: 'brace' },
  generic: {
    lineComments: ['//', '#'],
    hashCommentAfterSpaceOnly: true,
    blockComment: { open: '/*', close: '*/', nests: false },
    strings: 'generic',
    regexLiterals: false,
    ifCondition: 'parens',
  },
};

/** The rules for a language; the generic ones for anything unknown. */
export function syntaxFor(language: Language): Syntax {
  return Object.prototype.hasOwnProperty.call(SYNTAX, language) ? SYNTAX[language] : SYNTAX.generic;
}
