/**
 * One glob for workspace.findFiles' `exclude` from the editor's
 * `files.exclude` and `search.exclude` settings. Passing any exclude turns
 * off findFiles' own use of files.exclude, so both settings are merged here.
 * Only patterns set to `true` count; conditional entries (`{ "when": … }`)
 * need a sibling file check that findFiles cannot do, so they are left out
 * and reported. VS Code globs do not nest braces, so a pattern's own braces
 * are expanded before the patterns are joined into one `{a,b,…}`.
 */
export function editorExcludeGlob(...settings: (Record<string, unknown> | undefined)[]): { glob: string | null; patterns: string[]; conditional: string[] } {
  const patterns = new Set<string>();
  const conditional: string[] = [];
  for (const setting of settings) {
    for (const [pattern, value] of Object.entries(setting ?? {})) {
      if (value === true) for (const p of expandBraces(pattern)) patterns.add(p);
      else if (typeof value === 'object' && value !== null) conditional.push(pattern);
    }
  }
  const list = [...patterns].filter((p) => p.trim() !== '' && !p.includes(','));
  return { glob: list.length === 0 ? null : list.length === 1 ? list[0] : `{${list.join(',')}}`, patterns: list, conditional };
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
