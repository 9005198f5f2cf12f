/**
 * The one color scale of every heatmap LSTM Lens draws: the panel (its
 * webview gets this module's levels and style rules from the host) and the
 * exported HTML page (lstm-lens cells --html, Export as HTML). A value is
 * divided by its track's limit, clipped to [−1, 1] and quantised to one of
 * 2·LEVELS + 1 steps, drawn as a character's background: blue below 0,
 * transparent at 0, red above. Pages use classes (n8…n1, z, p1…p8), never
 * inline styles, which a strict Content-Security-Policy blocks.
 */

/** Steps per sign. */
export const LEVELS = 8;

/**
 * A track's limit (the |value| drawn at full color) is this quantile of its
 * |values| over the recorded text. Why a percentile and not tanh(c) or the
 * largest |value|: the largest lets one outlier wash the whole file out (c is
 * heavy-tailed: a string cell's c can spike to 20 where its on/off swing is
 * 2). tanh fixes the units instead, but a c cell that swings between 2 and 6
 * is then near full color everywhere, and an h or c cell that stays within
 * ±0.2 is pale everywhere. The 99th percentile gives each cell its own full
 * range, and the 1% beyond it only clips. The same rule serves h and c.
 */
export const LIMIT_QUANTILE = 0.99;

/** Surprise is drawn at full color from this many bits up (a character the model gave 1/256): bits are comparable across files. */
export const SURPRISE_LIMIT_BITS = 8;

/** LIMIT_QUANTILE of |values[0..n)| (finite values only); 1 when that is 0 or there are none. */
export function robustLimit(values: ArrayLike<number>, n = values.length): number {
  const abs = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(values[i]);
    if (Number.isFinite(a)) abs[k++] = a;
  }
  if (k === 0) return 1;
  const sorted = abs.subarray(0, k).sort();
  // Nearest rank: the smallest value with at least LIMIT_QUANTILE of them at or below it.
  const q = sorted[Math.max(0, Math.ceil(LIMIT_QUANTILE * k) - 1)];
  return q > 0 ? q : 1;
}

/**
 * The limit of a dictionary feature's track: LIMIT_QUANTILE of its
 * activations where it fires. A feature is 0 at most characters (it fires
 * at a few percent of them), so the quantile over every character is
 * often 0 and says nothing; over its firing values it gives the feature its
 * own full range, as robustLimit does for a cell. 1 when it never fires.
 */
export function sparseLimit(values: ArrayLike<number>): number {
  const firing: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && Number.isFinite(values[i])) firing.push(values[i]);
  return robustLimit(firing);
}

/** The value's step: −LEVELS … LEVELS (0 for 0 and for values that are not finite). */
export function levelOf(v: number, limit: number): number {
  if (!Number.isFinite(v) || !(limit > 0)) return 0;
  const q = Math.round(Math.max(-1, Math.min(1, v / limit)) * LEVELS);
  return q === 0 ? 0 : q;
}

/** Every value's step, for a track sent to the panel. */
export function levelsOf(values: ArrayLike<number>, limit: number, n = values.length): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = levelOf(values[i], limit);
  return out;
}

/** The class of a step: n8 … n1, z, p1 … p8. */
export function levelClass(level: number): string {
  return level > 0 ? `p${level}` : level < 0 ? `n${-level}` : 'z';
}

/** RGB of the two ends, for light and for dark backgrounds (brighter, so that they stand out on dark). */
const COLORS = {
  light: { positive: '214,47,39', negative: '33,102,196' },
  dark: { positive: '240,72,62', negative: '72,142,240' },
} as const;

/**
 * Opacity of step q: linear up to a strong full color (Karpathy & al. 2015
 * drew concept cells as solid backgrounds), with a floor so that the first
 * step is still visible on either theme.
 */
export function levelAlpha(q: number, theme: 'light' | 'dark'): number {
  const top = theme === 'light' ? 0.8 : 0.88;
  const floor = 0.1;
  return q <= 0 ? 0 : floor + ((top - floor) * (q - 1)) / (LEVELS - 1);
}

/**
 * The style rules of the steps. `darkScope` wraps the dark theme's rules:
 * the panel scopes them by VS Code's body classes, the exported page by the
 * reader's prefers-color-scheme.
 */
export function levelStyleRules(darkScope: 'vscode-body-class' | 'prefers-color-scheme'): string[] {
  const rules: string[] = [];
  const dark: string[] = [];
  for (let q = 1; q <= LEVELS; q++) {
    const l = levelAlpha(q, 'light').toFixed(3);
    const d = levelAlpha(q, 'dark').toFixed(3);
    rules.push(`.p${q}{background:rgba(${COLORS.light.positive},${l})}.n${q}{background:rgba(${COLORS.light.negative},${l})}`);
    if (darkScope === 'vscode-body-class') {
      const sel = (c: string) => `body.vscode-dark .${c},body.vscode-high-contrast .${c}`;
      dark.push(`${sel(`p${q}`)}{background:rgba(${COLORS.dark.positive},${d})}${sel(`n${q}`)}{background:rgba(${COLORS.dark.negative},${d})}`);
    } else {
      dark.push(`.p${q}{background:rgba(${COLORS.dark.positive},${d})}.n${q}{background:rgba(${COLORS.dark.negative},${d})}`);
    }
  }
  return darkScope === 'vscode-body-class' ? [...rules, ...dark] : [...rules, `@media (prefers-color-scheme:dark){${dark.join('')}}`];
}

/** Sparkline colors of the two signs (a canvas cannot use the classes): the light theme's ends, opaque. */
export const SPARK_COLORS = { positive: `rgb(${COLORS.light.positive})`, negative: `rgb(${COLORS.light.negative})` } as const;
