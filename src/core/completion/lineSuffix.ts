/**
 * When to complete, given the rest of the line after the cursor, and how a
 * completion meets that rest.
 *
 * Like Copilot and Tabby, completions are offered only at the end of a line,
 * or where everything after the cursor is what an editor closes for you:
 * closing brackets `) ] }`, closing quotes `" ' \``, a `;` or `,` after
 * them, and whitespace. Anywhere else a suggestion would be shown in the
 * middle of existing code, which a character model cannot see.
 */
const ALLOWED_SUFFIX = /^[\s)\]}"'`;,]*$/;

/** True when a completion may be offered before `suffix` (null: an overlong line, never). */
export function lineSuffixAllowsCompletion(suffix: string | null): boolean {
  return suffix !== null && ALLOWED_SUFFIX.test(suffix);
}

const OPENERS = '([{';
const CLOSERS = ')]}';

/**
 * Cuts a one-line completion where the existing suffix takes over, so that
 * `foo(|)` completed with `bar, 1)` becomes `bar, 1` and the line reads
 * `foo(bar, 1)` rather than `foo(bar, 1))`. The cut is at the first
 * character, outside brackets the completion opened itself, that is the
 * suffix's first non-blank character or an unmatched closing bracket.
 * A blank suffix leaves the text as it is.
 */
export function cutBeforeSuffix(text: string, suffix: string): string {
  const first = suffix.trim().charAt(0);
  if (first === '') return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (depth === 0 && ch === first) return text.slice(0, i);
    if (OPENERS.includes(ch)) depth++;
    else if (CLOSERS.includes(ch)) {
      if (depth === 0) return text.slice(0, i);
      depth--;
    }
  }
  return text;
}
