import { CellType } from '../modelSpec';
import { CellTypeResult, CompareResult } from './compareCells';

/**
 * The comparison as text (the CLI's report and the editor's output
 * channel) and as JSON (compare --json's last line). Plain text only:
 * workspace code in the samples is shown, never interpreted.
 */

const CELLS: readonly CellType[] = ['lstm', 'gru', 'rnn'];

function present(result: CompareResult): CellTypeResult[] {
  return CELLS.map((c) => result[c]).filter((r): r is CellTypeResult => r !== undefined);
}

function fixed(x: number | null | undefined, digits: number): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** The distances the reach plot shows: 0, powers of two, and the window's first step. */
export function reachDistances(seq: number): number[] {
  const ks = [0];
  for (let k = 1; k < seq; k *= 2) ks.push(k);
  if (ks[ks.length - 1] !== seq - 1 && seq > 1) ks.push(seq - 1);
  return ks;
}

/** A bar for log10 of a ratio in [1e-8, 1]: longer is more gradient left. */
function reachBar(ratio: number, width = 16): string {
  const decades = 8;
  const l = ratio > 0 ? Math.max(-decades, Math.min(0, Math.log10(ratio))) : -decades;
  const n = Math.round(((l + decades) / decades) * width);
  return '#'.repeat(n).padEnd(width, '.');
}

function scientific(x: number): string {
  return x > 0 && Number.isFinite(x) ? x.toExponential(1) : '0';
}

/** A one-line, printable form of a sample (newlines and tabs shown as ⏎ and →, other controls dropped). */
export function oneLine(text: string, max = 120): string {
  // eslint-disable-next-line no-control-regex
  const shown = text.replace(/\n/g, '⏎').replace(/\t/g, '→').replace(/[\u0000-\u001f\u007f]/g, '');
  return shown.length > max ? shown.slice(0, max - 1) + '…' : shown;
}

export function compareReportText(result: CompareResult): string {
  const rows = present(result);
  const out: string[] = [];
  const col = (s: string) => s.padStart(12);
  out.push(`${''.padEnd(22)}${rows.map((r) => col(r.cell.toUpperCase())).join('')}`);
  out.push(`${'held-out bits/char'.padEnd(22)}${rows.map((r) => col(fixed(r.bitsPerChar, 3))).join('')}`);
  out.push(`${'train bits/char'.padEnd(22)}${rows.map((r) => col(fixed(r.trainBitsPerChar, 3))).join('')}`);
  out.push(`${'train chars/s'.padEnd(22)}${rows.map((r) => col(Math.round(r.charsPerSecond).toString())).join('')}`);
  out.push(`${'characters seen'.padEnd(22)}${rows.map((r) => col(r.charsSeen.toString())).join('')}`);
  out.push(`${'parameters'.padEnd(22)}${rows.map((r) => col(r.params.length.toString())).join('')}`);
  out.push('');
  out.push('samples (temperature 0.8, ⏎ = newline):');
  for (const r of rows) out.push(`  ${r.cell.toUpperCase().padEnd(5)} ${oneLine(r.sample)}`);
  out.push('');
  out.push('best concept cell of each (|r| with the concept; AUROC for yes/no concepts):');
  const concepts = [...new Set(rows.flatMap((r) => r.conceptCells.map((c) => c.concept)))];
  for (const concept of concepts) {
    const cells = rows.map((r) => {
      const c = r.conceptCells.find((x) => x.concept === concept);
      return c ? `${c.kind}[${c.layer}:${c.cell}] r=${fixed(Math.abs(c.r), 2)}${c.auroc !== null ? ` AUROC=${fixed(c.auroc, 2)}` : ''}` : '-';
    });
    out.push(`  ${concept.padEnd(16)}${cells.map((c) => c.padEnd(30)).join('')}`);
  }
  out.push('');
  out.push(`gradient reach: ‖∂loss/∂h‖ k steps before the prediction, relative to k = 0 (# per half decade, 8 decades):`);
  out.push(`  ${'k'.padStart(3)}  ${rows.map((r) => r.cell.toUpperCase().padEnd(27)).join('')}`);
  for (const k of reachDistances(result.seq)) {
    const cells = rows.map((r) => {
      const ratio = r.gradientReach[0] > 0 ? r.gradientReach[k] / r.gradientReach[0] : 0;
      return `${reachBar(ratio)} ${scientific(ratio).padEnd(10)}`;
    });
    out.push(`  ${String(k).padStart(3)}  ${cells.join('')}`);
  }
  return out.join('\n');
}

/** compare --json's last line: one object per cell type. */
export function compareJson(result: CompareResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of present(result)) {
    out[r.cell] = {
      bitsPerChar: r.bitsPerChar,
      trainBitsPerChar: r.trainBitsPerChar,
      charsPerSecond: r.charsPerSecond,
      steps: r.steps,
      charsSeen: r.charsSeen,
      seconds: r.seconds,
      parameters: r.params.length,
      hidden: r.spec.hidden,
      sample: r.sample,
      conceptCells: r.conceptCells,
      gradientReach: r.gradientReach,
    };
  }
  return out;
}
