import { seededNameHashUnit } from '../nameHash';

/**
 * Re-indenting code to another style (tabs, 2, 4 or 8 spaces). A model that
 * has only seen 4-space code gives tab-indented code about twice the
 * bits/char, so the trainer re-indents a share of its files (augmentation)
 * and `eval --reindent` measures how much a style shift costs.
 *
 * Only each line's leading whitespace changes: its nesting level is written
 * in the new unit, and spaces past whole levels (alignment, the ` * ` of a
 * block comment) are kept as they were.
 */

export const INDENT_STYLES = ['tab', '2', '4', '8'] as const;
export type IndentStyle = (typeof INDENT_STYLES)[number];

export function isIndentStyle(s: string): s is IndentStyle {
  return (INDENT_STYLES as readonly string[]).includes(s);
}

/** The unit one level of indentation is written with: a tab, or N spaces. */
export type IndentUnit = { kind: 'tab' } | { kind: 'spaces'; width: number };

/** Space widths a level may have; deltas of 1 are alignment, not indentation. */
const CANDIDATE_WIDTHS = [2, 3, 4, 8];

/**
 * The text's indentation unit: tab when more indented lines start with a tab
 * than with spaces, else the most common increase in leading spaces between
 * consecutive non-blank lines. Null when nothing is indented.
 */
export function detectIndentUnit(text: string): IndentUnit | null {
  let tabLines = 0;
  let spaceLines = 0;
  const deltas = new Map<number, number>();
  let previous = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line[0] === '\t') tabLines++;
    else if (line[0] === ' ') spaceLines++;
    const spaces = line[0] === '\t' ? -1 : leadingSpaces(line);
    if (spaces >= 0) {
      const d = spaces - previous;
      if (CANDIDATE_WIDTHS.includes(d)) deltas.set(d, (deltas.get(d) ?? 0) + 1);
      previous = spaces;
    }
  }
  if (tabLines === 0 && spaceLines === 0) return null;
  if (tabLines > spaceLines) return { kind: 'tab' };
  let width = 0;
  let count = 0;
  for (const [w, c] of deltas) if (c > count || (c === count && w < width)) [width, count] = [w, c];
  return width > 0 ? { kind: 'spaces', width } : null;
}

function leadingSpaces(line: string): number {
  let n = 0;
  while (n < line.length && line[n] === ' ') n++;
  return n;
}

function unitText(style: IndentStyle): string {
  return style === 'tab' ? '\t' : ' '.repeat(Number(style));
}

/**
 * Rewrites the leading whitespace of every line in `style`. Lines indented
 * with tabs count one level per tab; lines indented with spaces count one
 * level per detected unit. Text with no indentation comes back unchanged.
 */
export function reindent(text: string, style: IndentStyle): string {
  const unit = detectIndentUnit(text);
  if (!unit) return text;
  const width = unit.kind === 'spaces' ? unit.width : 0;
  const target = unitText(style);
  return text
    .split('\n')
    .map((line) => {
      let i = 0;
      let levels = 0;
      while (i < line.length && line[i] === '\t') {
        levels++;
        i++;
      }
      let spaces = 0;
      while (i < line.length && line[i] === ' ') {
        spaces++;
        i++;
      }
      if (i === 0) return line;
      // Spaces directly at the margin are levels of the detected unit; after
      // tabs they are alignment.
      if (levels === 0 && width > 0) {
        levels = Math.floor(spaces / width);
        spaces -= levels * width;
      }
      return target.repeat(levels) + ' '.repeat(spaces) + line.slice(i);
    })
    .join('\n');
}

/**
 * Augmentation: re-indents about `share` of the files (chosen by a hash of
 * their name and the seed) to a style other than their own, picked by the
 * same hash. Files keep their names; the others come back as they were.
 */
export function augmentIndentation<T extends { name: string; text: string }>(files: readonly T[], share: number, seed = 1): T[] {
  if (share <= 0) return [...files];
  return files.map((f) => {
    if (seededNameHashUnit(f.name, seed) >= share) return f;
    const unit = detectIndentUnit(f.text);
    if (!unit) return f;
    const own: IndentStyle | null = unit.kind === 'tab' ? 'tab' : isIndentStyle(String(unit.width)) ? (String(unit.width) as IndentStyle) : null;
    const choices = INDENT_STYLES.filter((s) => s !== own);
    const style = choices[Math.floor(seededNameHashUnit(f.name, seed + 1) * choices.length)];
    return { ...f, text: reindent(f.text, style) };
  });
}
