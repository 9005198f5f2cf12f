import { compareCellTypes } from '../../core/compare/compareCells';
import { compareJson, compareReportText } from '../../core/compare/compareReport';
import { collectCorpus, formatSkipCounts, summarizeSkipped } from '../../core/corpus';
import { CELL_TYPES, CellType } from '../../core/modelSpec';
import { UsageError, num, parseArgs, str } from '../args';
import { formatCount, note, printJson } from '../output';

export const COMPARE_USAGE =
  'compare --minutes M [--cells lstm,gru,rnn] [--layers N] [--hidden N] [--embed N] [--seq N] [--batch N] [--lr X] [--threads N] [--seed N] [--val-from PATHS] [--json] PATH...';

/**
 * Trains an LSTM, a GRU and a plain RNN of the same size for the same
 * minutes on the same files, then prints them side by side: held-out
 * bits/char, a sample, the best concept cells, and the gradient reach.
 */
export async function compareCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    values: { minutes: 'number', cells: 'string', 'val-from': 'string', layers: 'int', hidden: 'int', embed: 'int', seq: 'int', batch: 'int', lr: 'number', threads: 'int', seed: 'int' },
    switches: ['json'],
  });
  if (a.flags.minutes === undefined) throw new UsageError('--minutes is required (training time per cell type)');
  if (a.positional.length === 0) throw new UsageError('name at least one file or folder to train on');
  const cells = (str(a, 'cells') ?? CELL_TYPES.join(',')).split(',').map((c) => c.trim());
  for (const c of cells) if (!(CELL_TYPES as readonly string[]).includes(c)) throw new UsageError(`--cells takes ${CELL_TYPES.join(', ')}, not ${JSON.stringify(c)}`);

  const corpus = await collectCorpus(a.positional);
  note(`corpus: ${corpus.files.length} files, ${formatCount(corpus.totalChars)} characters${corpus.skipped.length ? `; ${formatSkipCounts(summarizeSkipped(corpus.skipped))}` : ''}`);
  if (corpus.files.length === 0) throw new Error('no source files to train on in the given paths (every file was skipped; see the counts above)');

  const valFrom = str(a, 'val-from');
  const valCorpus = valFrom ? await collectCorpus(valFrom.split(',').filter(Boolean)) : null;
  if (valCorpus) {
    note(`held out apart: ${valCorpus.files.length} files, ${formatCount(valCorpus.totalChars)} characters`);
    if (valCorpus.files.length === 0) throw new Error(`no source files to hold out in --val-from ${valFrom}`);
  }

  const controller = new AbortController();
  const onSigint = () => {
    note('\nstopping: the cell types trained so far are reported');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let result;
  try {
    result = await compareCellTypes(
      corpus.files.map((f) => ({ name: f.relPath, text: f.text })),
      {
        minutes: num(a, 'minutes', 1, 0.01, 24 * 60),
        cells: [...new Set(cells)] as CellType[],
        layers: num(a, 'layers', 1, 1, 8),
        hidden: num(a, 'hidden', 128, 1, 4096),
        embed: num(a, 'embed', 32, 0, 1024),
        seq: num(a, 'seq', 64, 2, 4096),
        batch: num(a, 'batch', 32, 1, 1024),
        learningRate: num(a, 'lr', 2e-3, 1e-6, 1),
        threads: num(a, 'threads', 1, 1, 64),
        seed: num(a, 'seed', 1),
        ...(valCorpus ? { valSources: valCorpus.files.map((f) => ({ name: f.relPath, text: f.text })) } : {}),
        signal: controller.signal,
        onProgress: (m) => note(m),
      },
    );
  } finally {
    process.off('SIGINT', onSigint);
  }
  note(`same text for each: ${formatCount(result.trainChars)} training characters, ${formatCount(result.valChars)} held out; batch ${result.batch}, window ${result.seq}`);
  process.stdout.write(compareReportText(result) + '\n');
  if (a.flags.json) printJson(compareJson(result));
  return 0;
}
