import { Engine } from '../../core/engine';
import { createFastestOps } from '../../core/kernels/wasmOps';
import { loadModel } from '../../core/model/modelFiles';
import { NEWLINE_ID, encode } from '../../core/vocab';
import { UsageError, parseArgs, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { note, printJson } from '../output';
import { readSourceFile } from '../readSourceFile';

export const EVAL_USAGE = 'eval --model DIR [--json] FILE...';

export interface FileScore {
  file: string;
  chars: number;
  bitsPerChar: number;
  top1: number;
}

/**
 * Bits per character and top-1 accuracy of next-character prediction, with
 * the state reset at each file's start (the first character is predicted
 * from a newline, as the editor does at the top of a file).
 */
export function scoreText(engine: Engine, text: string): { bits: number; correct: number; chars: number } {
  const ids = encode(text);
  const state = engine.newState();
  const logProbs = new Float32Array(engine.vocabSize);
  engine.step(state, NEWLINE_ID, logProbs);
  let nats = 0;
  let correct = 0;
  for (let i = 0; i < ids.length; i++) {
    const y = ids[i];
    nats -= logProbs[y];
    let best = 0;
    for (let v = 1; v < logProbs.length; v++) if (logProbs[v] > logProbs[best]) best = v;
    if (best === y) correct++;
    if (i + 1 < ids.length) engine.step(state, y, logProbs);
  }
  return { bits: nats / Math.LN2, correct, chars: ids.length };
}

export async function evalCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: { model: 'string' }, switches: ['json'] });
  if (a.positional.length === 0) throw new UsageError('name at least one file to evaluate');
  const model = await loadModel(str(a, 'model') ?? bundledModelDir());
  const engine = new Engine(model, createFastestOps());
  const files: FileScore[] = [];
  let bits = 0;
  let correct = 0;
  let chars = 0;
  const started = Date.now();
  for (const file of a.positional) {
    const text = readSourceFile(file);
    const s = scoreText(engine, text);
    bits += s.bits;
    correct += s.correct;
    chars += s.chars;
    files.push({ file, chars: s.chars, bitsPerChar: s.chars ? s.bits / s.chars : NaN, top1: s.chars ? s.correct / s.chars : NaN });
    if (!a.flags.json) note(`${file}: ${s.chars} chars, ${(s.bits / Math.max(1, s.chars)).toFixed(3)} bits/char, top-1 ${((100 * s.correct) / Math.max(1, s.chars)).toFixed(1)}%`);
  }
  if (chars === 0) throw new Error('the files are empty: nothing to evaluate');
  const result = { chars, bitsPerChar: bits / chars, top1: correct / chars, seconds: (Date.now() - started) / 1000, files };
  if (a.flags.json) printJson(result);
  else process.stdout.write(`${chars} chars, ${result.bitsPerChar.toFixed(3)} bits/char, top-1 ${(100 * result.top1).toFixed(1)}%\n`);
  return 0;
}
