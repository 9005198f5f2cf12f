import { randomBytes } from 'crypto';
import { LEVELS, levelClass, levelOf, levelStyleRules, robustLimit } from './colorScale';
import { escapeHtml } from './escapeHtml';

/** One row of colors over a file: a cell's value at each character. */
export interface HeatmapTrack {
  /** Shown above the track, e.g. "inString · layer 1 c[37] · r = 0.91". */
  label: string;
  /** One value per character from the file's start; characters past the end are not shown. */
  values: ArrayLike<number>;
  /** The |value| drawn at full color (default: robustLimit, the 99th percentile of |value| over the track). */
  limit?: number;
}

export interface HeatmapFile {
  name: string;
  text: string;
  tracks: readonly HeatmapTrack[];
}

export interface HeatmapOptions {
  title?: string;
  /** A line under the title (what model, what the colors mean). */
  subtitle?: string;
  files: readonly HeatmapFile[];
  /** CSP nonce of the inline style (default: 16 random bytes). */
  nonce?: string;
}

/**
 * A standalone HTML page showing each file once per track, every character
 * on a background colored by the track's value at it (colorScale, the
 * panel's scale: blue–transparent–red), the
 * value in its title. No scripts; the only style is one inline sheet allowed
 * by a nonce under a Content-Security-Policy that forbids everything else.
 * Every piece of text — code, file names, labels — is HTML-escaped.
 */
export function heatmapHtml(opts: HeatmapOptions): string {
  const nonce = escapeHtml(opts.nonce ?? randomBytes(16).toString('base64'));
  const title = escapeHtml(opts.title ?? 'LSTM Lens cell heatmap');
  const out: string[] = [
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'">\n`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    `<title>${title}</title>\n<style nonce="${nonce}">${styleSheet()}</style>\n</head>\n<body>\n<h1>${title}</h1>\n`,
  ];
  if (opts.subtitle) out.push(`<p class="sub">${escapeHtml(opts.subtitle)}</p>\n`);
  out.push(legend());
  for (const file of opts.files) {
    out.push(`<section>\n<h2>${escapeHtml(file.name)}</h2>\n`);
    for (const track of file.tracks) out.push(renderTrack(file.text, track));
    if (file.tracks.length === 0) out.push('<p class="sub">No tracks.</p>\n');
    out.push('</section>\n');
  }
  out.push('</body>\n</html>\n');
  return out.join('');
}

function renderTrack(text: string, track: HeatmapTrack): string {
  const n = Math.min(text.length, track.values.length);
  const limit = track.limit !== undefined && track.limit > 0 ? track.limit : robustLimit(track.values, n);
  const parts: string[] = [`<figure>\n<figcaption>${escapeHtml(track.label)} · full color at ±${escapeHtml(formatLimit(limit))}</figcaption>\n<pre class="code">`];
  for (let i = 0; i < n; i++) {
    const v = Number(track.values[i]);
    let ch = text[i];
    // A surrogate pair stays in one span (split, each half would be written as U+FFFD).
    const code = ch.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n && /[\udc00-\udfff]/.test(text[i + 1])) ch += text[++i];
    const newline = ch === '\n' ? ' nl' : '';
    parts.push(`<span class="${levelClass(levelOf(v, limit))}${newline}" title="${Number.isFinite(v) ? v.toFixed(3) : 'NaN'}">${escapeHtml(ch)}</span>`);
  }
  parts.push('</pre>\n');
  if (n < text.length) parts.push(`<p class="sub">${text.length - n} more characters were not recorded.</p>\n`);
  parts.push('</figure>\n');
  return parts.join('');
}

function formatLimit(limit: number): string {
  return Number(limit.toPrecision(3)).toString();
}

function styleSheet(): string {
  const rules = [
    ':root{color-scheme:light dark;--fg:#1f1f1f;--bg:#ffffff;--muted:#666}',
    '@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#1e1e1e;--muted:#9a9a9a}}',
    'body{background:var(--bg);color:var(--fg);font:14px system-ui,sans-serif;margin:1.5em}',
    'h1{font-size:1.3em}h2{font-size:1.1em;margin-top:2em}.sub{color:var(--muted)}',
    'figure{margin:1em 0}figcaption{color:var(--muted);margin-bottom:.3em}',
    'pre.code{font:13px/1.35 ui-monospace,Menlo,Consolas,monospace;tab-size:4;white-space:pre;overflow-x:auto;padding:.5em;border:1px solid color-mix(in srgb,var(--fg) 20%,transparent)}',
    '.nl::before{content:"\\21B5";opacity:.35}',
    '.legend .sw{display:inline-block;width:2.2em;text-align:center;font:11px ui-monospace,monospace}',
  ];
  return [...rules, ...levelStyleRules('prefers-color-scheme')].join('\n');
}

function legend(): string {
  const cells: string[] = [];
  for (let q = -LEVELS; q <= LEVELS; q++) {
    cells.push(`<span class="sw ${levelClass(q)}">${q === -LEVELS ? '−1' : q === 0 ? '0' : q === LEVELS ? '+1' : '&nbsp;'}</span>`);
  }
  return `<p class="legend">${cells.join('')} <span class="sub">(value ÷ the track's limit, the 99th percentile of its |value|; hover a character for its value)</span></p>\n`;
}
