import { Engine } from '../../core/engine';
import { createFastestOps } from '../../core/kernels/wasmOps';
import { loadModel } from '../../core/model/modelFiles';
import { beamSearch, greedySearch } from '../../core/search';
import { NEWLINE_ID, encode } from '../../core/vocab';
import { UsageError, num, parseArgs, requireStr, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { printJson } from '../output';
import { readSourceFile } from '../readSourceFile';

export const COMPLETE_USAGE = 'complete --model DIR --file F --offset N [--beam K] [--max-chars N] [--json]';

export async function completeCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { model: 'string', file: 'string', offset: 'int', beam: 'int', 'max-chars': 'int' }, switches: ['json'] });
  if (a.positional.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(a.positional[0])}`);
  const file = requireStr(a, 'file');
  const text = readSourceFile(file);
  if (a.flags.offset === undefined) throw new UsageError('--offset is required');
  const offset = num(a, 'offset', 0, 0, text.length);
  const beam = num(a, 'beam', 1, 1, 64);
  const maxChars = num(a, 'max-chars', 80, 1, 10000);

  const model = await loadModel(str(a, 'model') ?? bundledModelDir());
  const engine = new Engine(model, createFastestOps());
  const t0 = process.hrtime.bigint();
  const start = engine.prime(encode(text.slice(0, offset)), NEWLINE_ID);
  const t1 = process.hrtime.bigint();
  const rules = { maxChars, stopAtNewline: true, minCharProb: 0 };
  const result = beam > 1 ? beamSearch(engine, start, { ...rules, width: beam }) : greedySearch(engine, start, rules);
  const t2 = process.hrtime.bigint();
  const ms = (d: bigint) => Number(d) / 1e6;
  if (a.flags.json) {
    printJson({ completion: result.text, ms: ms(t2 - t0), primeMs: ms(t1 - t0), searchMs: ms(t2 - t1), prefixChars: offset, beam, stop: result.stop, logProb: result.logProb });
  } else {
    process.stdout.write(result.text + '\n');
  }
  return 0;
}
