import * as fs from 'fs';
import { classifyContent, DEFAULT_CONTENT_RULES } from '../core/corpus';

/**
 * Reads a text file the CLI was pointed at, with the corpus rules' checks
 * (binary, not UTF-8, size) but allowing any line length and a larger size,
 * since the user chose this file on purpose.
 */
export function readSourceFile(file: string, maxBytes = 64 << 20): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new Error(`${file}: no such file`);
  }
  if (!stat.isFile()) throw new Error(`${file}: not a file`);
  if (stat.size > maxBytes) throw new Error(`${file}: ${stat.size} bytes is larger than the ${maxBytes >> 20} MiB limit`);
  const verdict = classifyContent(fs.readFileSync(file), { ...DEFAULT_CONTENT_RULES, maxFileBytes: maxBytes, maxLineLength: Infinity, maxAverageLineLength: Infinity });
  if (!verdict.ok) {
    if (verdict.reason === 'empty') return '';
    throw new Error(`${file}: ${verdict.reason} (${verdict.detail})`);
  }
  return verdict.text;
}
