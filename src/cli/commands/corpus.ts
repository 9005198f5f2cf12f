import { AVERAGE_CHECK_MIN_CHARS, BINARY_SNIFF_BYTES, DEFAULT_CORPUS_OPTIONS, MAX_CONTROL_BYTE_SHARE, collectCorpus, summarizeSkipped } from '../../core/corpus';
import { VOCAB_CHARS } from '../../core/vocab';
import { UsageError, parseArgs } from '../args';
import { printJson } from '../output';

export const CORPUS_USAGE = 'corpus --json [PATH...]';

/**
 * The corpus rules as data, for trainers outside this code base (python/
 * reads a committed copy, and its tests check the copy against this output),
 * and with PATHs the files `train` would read from them.
 */
export function corpusRules() {
  return {
    vocabulary: [...VOCAB_CHARS],
    ...DEFAULT_CORPUS_OPTIONS,
    binarySniffBytes: BINARY_SNIFF_BYTES,
    maxControlByteShare: MAX_CONTROL_BYTE_SHARE,
    averageCheckMinChars: AVERAGE_CHECK_MIN_CHARS,
  };
}

export async function corpusCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: {}, switches: ['json'] });
  if (!a.flags.json) throw new UsageError('corpus writes JSON only: pass --json');
  if (a.positional.length === 0) {
    printJson({ rules: corpusRules() });
    return 0;
  }
  const corpus = await collectCorpus(a.positional);
  printJson({
    rules: corpusRules(),
    files: corpus.files.map((f) => ({ path: f.path, relPath: f.relPath, chars: f.text.length })),
    skipped: summarizeSkipped(corpus.skipped),
    totalChars: corpus.totalChars,
  });
  return 0;
}
