/**
 * The ground-truth signals a cell can be compared against. Every label array
 * is as long as the text (UTF-16 offsets, like the editor's), one value per
 * character.
 */
export const CONCEPT_NAMES = ['inString', 'inComment', 'indentDepth', 'inIfCondition', 'linePosition', 'bracketDepth'] as const;

export type ConceptName = (typeof CONCEPT_NAMES)[number];

/** Yes/no concepts (0 or 1 per character): these also get an AUROC. */
export const BINARY_CONCEPTS: readonly ConceptName[] = ['inString', 'inComment', 'inIfCondition'];

export interface ConceptLabels {
  /** 1 inside a string, char, raw-string or template literal (quotes and prefix included; code in `${…}` or an f-string's `{…}` is not). */
  inString: Uint8Array;
  /** 1 inside a line or block comment (the newline that ends a line comment is code). */
  inComment: Uint8Array;
  /** Indentation level of the character's line: tabs + leading spaces / the file's indent unit. */
  indentDepth: Uint16Array;
  /** 1 from an `if`/`elif` keyword to the end of its condition. */
  inIfCondition: Uint8Array;
  /** Column: UTF-16 units since the start of the line. */
  linePosition: Uint16Array;
  /** (), [] and {} open around the character; an opener and its closer sit at the outer depth. */
  bracketDepth: Uint16Array;
}
