import { spawnSync } from 'child_process';
import * as path from 'path';
import { KneserNeyModel } from '../../core/baseline/kneserNeyModel';
import { DEFAULT_SETTINGS, SearchSettings } from '../../core/completion';
import { INDENT_STYLES, collectCorpus, isIndentStyle, reindent } from '../../core/corpus';
import { DEFAULT_DYNAMIC_EVAL, DynamicEvalSettings } from '../../core/dynamicEval/dynamicEvaluator';
import { LocalDynamicEvaluation } from '../../core/dynamicEval/localDynamicEvaluation';
import { Engine } from '../../core/engine';
import { KeystrokeCounts, addKeystrokeCounts, emptyKeystrokeCounts, keystrokeFigures, replayTyping } from '../../core/eval/keystrokeReplay';
import { ScoreOptions, scoreText } from '../../core/eval/scoreText';
import { createFastestOps } from '../../core/kernels/wasmOps';
import { loadModel } from '../../core/model/modelFiles';
import { encode } from '../../core/vocab';
import { completionSettings, resultProvenance } from '../../bench/resultProvenance';
import { UsageError, num, parseArgs, str } from '../args';
import { bundledModelDir } from '../modelLocation';
import { formatCount, note, printJson } from '../output';
import { readSourceFile } from '../readSourceFile';

export const EVAL_USAGE =
  'eval --model DIR [--json [--probs]] [--xz] [--document-match] [--reindent tab|2|4|8] [--keystrokes [--beam K] [--max-chars N] [--min-char-prob P] [--min-expected-saving E] [--no-document-match] [--no-word-memory] [--dynamic-eval [--dynamic-lr R] [--dynamic-window N] [--dynamic-decay D]]] [--baseline ngram --train-corpus PATH [--order N]] FILE...';

export interface FileScore {
  file: string;
  chars: number;
  bitsPerChar: number;
  top1: number;
}

/** Bits per character `xz -9e` needs for the file on its own (null where xz is not installed). */
export function xzBitsPerChar(text: string): number | null {
  const r = spawnSync('xz', ['-9e', '-T1', '-c'], { input: Buffer.from(text, 'utf8'), maxBuffer: 1 << 30 });
  if (r.error || r.status !== 0) return null;
  return (r.stdout.length * 8) / text.length;
}

interface Totals {
  bits: number;
  correct: number;
  chars: number;
}

function summary(t: Totals) {
  return { chars: t.chars, bitsPerChar: t.bits / t.chars, top1: t.correct / t.chars };
}

export async function evalCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, {
    values: { model: 'string', reindent: 'string', baseline: 'string', 'train-corpus': 'string', order: 'int', beam: 'int', 'max-chars': 'int', 'min-char-prob': 'number', 'min-expected-saving': 'number', 'dynamic-lr': 'number', 'dynamic-window': 'int', 'dynamic-decay': 'number' },
    switches: ['json', 'probs', 'xz', 'document-match', 'keystrokes', 'no-document-match', 'no-word-memory', 'dynamic-eval'],
  });
  if (a.positional.length === 0) throw new UsageError('name at least one file to evaluate');
  if (a.flags.probs && !a.flags.json) throw new UsageError('--probs adds to the JSON output: pass --json too');
  const baselineKind = str(a, 'baseline');
  if (baselineKind !== undefined && baselineKind !== 'ngram') throw new UsageError(`--baseline must be ngram, not ${JSON.stringify(baselineKind)}`);
  const trainCorpus = str(a, 'train-corpus');
  if (baselineKind && !trainCorpus) throw new UsageError('--baseline ngram needs --train-corpus PATH (the text the model was trained on)');
  const order = num(a, 'order', 6, 1, 7);
  const keystrokes = Boolean(a.flags.keystrokes);
  // A style shift: every file re-indented before it is scored (and typed).
  const reindentTo = str(a, 'reindent');
  if (reindentTo !== undefined && !isIndentStyle(reindentTo)) throw new UsageError(`--reindent must be one of ${INDENT_STYLES.join(', ')}, not ${JSON.stringify(reindentTo)}`);
  // The editor's defaults, so that the replay measures what a user gets.
  const search: SearchSettings = {
    beamWidth: num(a, 'beam', DEFAULT_SETTINGS.beamWidth, 1, 16),
    maxChars: num(a, 'max-chars', DEFAULT_SETTINGS.maxChars, 1, 500),
    minCharProb: num(a, 'min-char-prob', DEFAULT_SETTINGS.minCharProb, 0, 1),
    minExpectedSaving: num(a, 'min-expected-saving', DEFAULT_SETTINGS.minExpectedSaving, 0, 20),
    multiline: false,
    maxLines: DEFAULT_SETTINGS.maxLines,
    documentMatch: !a.flags['no-document-match'],
    wordMemory: !a.flags['no-word-memory'],
  };

  // Bits/char as completions see the next character: the model (and the baseline) with the document cache mixed in.
  const scoring: ScoreOptions = { documentMatch: Boolean(a.flags['document-match']) };
  if (scoring.documentMatch && a.flags['no-document-match']) throw new UsageError('--document-match (bits/char with the document cache) and --no-document-match (the replay without it) contradict each other');

  if (a.flags['dynamic-eval'] && !keystrokes) throw new UsageError('--dynamic-eval changes the typing replay: pass --keystrokes too');
  // Dynamic evaluation: the replay's own engine learns the files as they are typed, in the order given (adaptation carries from file to file).
  const dynamicEval: DynamicEvalSettings | null = a.flags['dynamic-eval']
    ? {
        ...DEFAULT_DYNAMIC_EVAL,
        learningRate: num(a, 'dynamic-lr', DEFAULT_DYNAMIC_EVAL.learningRate, 0, 10),
        windowChars: num(a, 'dynamic-window', DEFAULT_DYNAMIC_EVAL.windowChars, 2, 4096),
        decay: num(a, 'dynamic-decay', DEFAULT_DYNAMIC_EVAL.decay, 0, 1),
      }
    : null;

  const modelDir = str(a, 'model') ?? bundledModelDir();
  const model = await loadModel(modelDir);
  const engine = new Engine(model, createFastestOps());
  let replayEngine = engine;
  let learner: LocalDynamicEvaluation | undefined;
  if (dynamicEval) {
    const ops = createFastestOps();
    replayEngine = new Engine(model, ops);
    learner = new LocalDynamicEvaluation(replayEngine, ops, model.layout, model.params, dynamicEval);
  }
  let baseline: KneserNeyModel | null = null;
  if (baselineKind && trainCorpus) {
    const corpus = await collectCorpus(trainCorpus.split(','));
    if (corpus.files.length === 0) throw new Error(`no training text for the baseline in ${trainCorpus}`);
    const evaluated = new Set(a.positional.map((f) => path.resolve(f)));
    const texts = corpus.files.filter((f) => !evaluated.has(f.path)).map((f) => encode(f.text));
    note(`training a ${order}-gram Kneser–Ney baseline on ${texts.length} files, ${formatCount(texts.reduce((n, t) => n + t.length, 0))} characters`);
    baseline = new KneserNeyModel(order).train(texts);
  }

  type Keystrokes = ReturnType<typeof keystrokeFigures> & KeystrokeCounts;
  const files: (FileScore & {
    xzBitsPerChar?: number | null;
    keystrokes?: Keystrokes;
    baseline?: { bitsPerChar: number; top1: number; keystrokes?: Keystrokes };
    probs?: number[][];
  })[] = [];
  const typing = emptyKeystrokeCounts();
  const baseTyping = emptyKeystrokeCounts();
  const withFigures = (c: KeystrokeCounts): Keystrokes => ({ ...keystrokeFigures(c), ...c });
  const lstm: Totals = { bits: 0, correct: 0, chars: 0 };
  const base: Totals = { bits: 0, correct: 0, chars: 0 };
  let xzBits = 0;
  let xzOk = true;
  const started = Date.now();
  for (const file of a.positional) {
    const text = reindentTo ? reindent(readSourceFile(file), reindentTo) : readSourceFile(file);
    // --probs: the whole next-character distribution before each character (to check other implementations against).
    const probs: number[][] = [];
    const s = scoreText(engine, text, a.flags.probs ? (logProbs) => probs.push(Array.from(logProbs, Math.exp)) : undefined, scoring);
    lstm.bits += s.bits;
    lstm.correct += s.correct;
    lstm.chars += s.chars;
    const row: (typeof files)[number] = { file, chars: s.chars, bitsPerChar: s.chars ? s.bits / s.chars : NaN, top1: s.chars ? s.correct / s.chars : NaN };
    if (a.flags.probs) row.probs = probs;
    if (a.flags.xz && s.chars > 0) {
      row.xzBitsPerChar = xzBitsPerChar(text);
      if (row.xzBitsPerChar === null) xzOk = false;
      else xzBits += row.xzBitsPerChar * s.chars;
    }
    if (keystrokes) {
      const c = await replayTyping(replayEngine, text, search, undefined, learner);
      addKeystrokeCounts(typing, c);
      row.keystrokes = withFigures(c);
    }
    if (baseline) {
      const b = scoreText(baseline, text, undefined, scoring);
      base.bits += b.bits;
      base.correct += b.correct;
      base.chars += b.chars;
      row.baseline = { bitsPerChar: b.chars ? b.bits / b.chars : NaN, top1: b.chars ? b.correct / b.chars : NaN };
      if (keystrokes) {
        const c = await replayTyping(baseline, text, search);
        addKeystrokeCounts(baseTyping, c);
        row.baseline.keystrokes = withFigures(c);
      }
    }
    files.push(row);
    const saved = row.keystrokes ? `, keystrokes saved ${(100 * row.keystrokes.keystrokesSaved).toFixed(1)}%` : '';
    note(`${file}: ${s.chars} chars, ${row.bitsPerChar.toFixed(3)} bits/char, top-1 ${(100 * row.top1).toFixed(1)}%${saved}`);
  }
  if (lstm.chars === 0) throw new Error('the files are empty: nothing to evaluate');
  const result = {
    ...summary(lstm),
    seconds: (Date.now() - started) / 1000,
    ...(reindentTo ? { reindentedTo: reindentTo } : {}),
    ...(scoring.documentMatch ? { documentMatch: true } : {}),
    ...(a.flags.xz ? { xzBitsPerChar: xzOk ? xzBits / lstm.chars : null } : {}),
    ...(keystrokes ? { ...keystrokeFigures(typing), keystrokeCounts: typing, completionSettings: search } : {}),
    // bitsPerChar here: the typed text's, each window predicted before it was learned (dynamic evaluation's own figure).
    ...(dynamicEval && learner ? { dynamicEvaluation: { ...dynamicEval, steps: learner.evaluator.steps, learnedChars: learner.learnedChars, bitsPerChar: learner.lossSum / Math.LN2 / Math.max(1, learner.learnedChars) } } : {}),
    ...(keystrokes ? { provenance: resultProvenance(completionSettings(search), modelDir) } : {}),
    ...(baseline ? { baseline: { kind: 'ngram-kneser-ney', order, ...summary(base), ...(keystrokes ? { ...keystrokeFigures(baseTyping), keystrokeCounts: baseTyping } : {}) } } : {}),
    files,
  };
  if (a.flags.json) printJson(result);
  else {
    process.stdout.write(`${lstm.chars} chars, ${result.bitsPerChar.toFixed(3)} bits/char, top-1 ${(100 * result.top1).toFixed(1)}%\n`);
    if (keystrokes) {
      const f = keystrokeFigures(typing);
      process.stdout.write(`keystrokes saved ${(100 * f.keystrokesSaved).toFixed(1)}%, accept rate ${(100 * f.acceptRate).toFixed(1)}% (${typing.accepted} of ${typing.shown} shown)\n`);
    }
    if (baseline) {
      const f = keystrokeFigures(baseTyping);
      const typed = keystrokes ? `, keystrokes saved ${(100 * f.keystrokesSaved).toFixed(1)}%, accept rate ${(100 * f.acceptRate).toFixed(1)}%` : '';
      process.stdout.write(`${order}-gram baseline: ${(base.bits / base.chars).toFixed(3)} bits/char, top-1 ${((100 * base.correct) / base.chars).toFixed(1)}%${typed}\n`);
    }
    if (a.flags.xz) process.stdout.write(`xz -9e: ${xzOk ? (xzBits / lstm.chars).toFixed(3) + ' bits/char' : 'not installed'}\n`);
  }
  return 0;
}
