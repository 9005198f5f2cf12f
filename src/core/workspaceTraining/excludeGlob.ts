/**
 * One glob for workspace.findFiles' `exclude` from the editor's
 * `files.exclude` and `search.exclude` settings. Passing any exclude turns
 * off findFiles' own use of files.exclude, so both settings are merged here.
 * Only patterns set to `true` go into the glob; conditional entries
 * (`{ "when": "$(basename).ts" }`) need a sibling file check that findFiles
 * cannot do, so they come back apart for conditionalExclude.ts. VS Code
 * globs do not nest braces, so a pattern's own braces are expanded before
 * the patterns are joined into one `{a,b,…}`.
 */
export function editorExcludeGlob(...settings: (Record<string, unknown> | undefined)[]): {
  glob: string | null;
  patterns: string[];
  conditional: ConditionalExclude[];
} {
  const patterns = new Set<string>();
  const conditional: ConditionalExclude[] = [];
  for (const setting of settings) {
    for (const [pattern, value] of Object.entries(setting ?? {})) {
      if (value === true) for (const p of expandBraces(pattern)) patterns.add(p);
      else if (typeof value === 'object' && value !== null) {
        const when = (value as { when?: unknown }).when;
        if (typeof when === 'string' && when.trim() !== '') for (const p of expandBraces(pattern)) conditional.push({ pattern: p, when });
      }
    }
  }
  const list = [...patterns].filter((p) => p.trim() !== '' && !p.includes(','));
  return { glob: list.length === 0 ? null : list.length === 1 ? list[0] : `{${list.join(',')}}`, patterns: list, conditional };
}

/** A files.exclude entry that applies only when a sibling file exists: `when` names it, `$(basename)` being the file's name without its extension. */
export interface ConditionalExclude {
  pattern: string;
  when: string;
}

/** `a/{b,c}/*.{js,ts}` → the four plain patterns (no nesting inside one brace pair). */
export function expandBraces(pattern: string): string[] {
  const open = pattern.indexOf('{');
  const close = open < 0 ? -1 : pattern.indexOf('}', open);
  if (open < 0 || close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  return pattern
    .slice(open + 1, close)
    .split(',')
    .flatMap((alt) => expandBraces(head + alt + tail));
}
