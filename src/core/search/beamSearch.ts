import { SearchStart, StepModel } from '../stepModel';
import { NEWLINE_ID, SPACE_ID, TAB_ID, UNK_ID, decode } from '../vocab';
import { SearchResult } from './searchResult';
import { CompiledStopRules, StopReason, StopRules, compileStopRules } from './stopRules';
import { TopCandidates } from './topCandidates';

export interface BeamOptions extends StopRules {
  /** Hypotheses kept per step; 1 is greedy search. */
  width: number;
  /** Only return whitespace-only text (empty included) when no hypothesis with other characters finished at all. */
  nonWhitespace?: boolean;
}

/**
 * The whitespace rule. A completion that is only whitespace, or empty (the
 * model wants to end the line), is a poor suggestion when a real one was
 * nearly as likely. So when the best finished hypothesis is whitespace-only,
 * the best finished hypothesis with a non-whitespace character replaces it
 * if its probability is at least this fraction of the winner's (both scored
 * with their stop character). `nonWhitespace: true` lowers the bar to 0.
 */
export const WHITESPACE_ALTERNATIVE_RATIO = 0.1;

/**
 * Beam search over characters.
 *
 * Each step offers every extension of every alive hypothesis, ranked by total
 * log-prob, and keeps the best `width` of them. An extension by a stop
 * character is a finished hypothesis (its score includes the stop character's
 * log-prob, so ending the line has to be likely to win, while `logProb`
 * reports only the text); finished hypotheses take up their place among the
 * `width`, so the number alive only shrinks. Characters below the probability
 * floor are never offered; a hypothesis with no character above the floor is
 * offered once more, unextended, as finished by 'floor'. With width 1 these
 * rules make the same choice as greedy search at every step, so the results
 * are equal. Hypotheses alive at `maxChars` finish by 'length'.
 *
 * The search ends when no alive hypothesis can still change the answer
 * (log-probs are <= 0, so scores only fall), or none is alive. All alive
 * hypotheses are advanced by one `model.stepBatch` per character.
 */
export function beamSearch(model: StepModel, start: SearchStart, options: BeamOptions): SearchResult {
  if (!Number.isInteger(options.width) || options.width < 1) {
    throw new RangeError(`beam width must be a positive integer, got ${options.width}`);
  }
  return new BeamSearch(model, start, options).run();
}

/** Offered in place of a char id: the hypothesis ends here, by the floor rule. */
const FLOOR_FINISH = -1;

function isWhitespace(id: number): boolean {
  return id === SPACE_ID || id === TAB_ID || id === NEWLINE_ID;
}

/** A hypothesis that stopped. `score` ranks it; `logProb` is what the caller sees. */
interface Finished {
  /** Characters in its text. */
  length: number;
  /** Its row at step `length - 1`, where the back-pointer walk starts. */
  row: number;
  score: number;
  logProb: number;
  stop: StopReason;
  hasNonWhitespace: boolean;
}

/**
 * One side of the double buffer of alive hypotheses: row i is hypothesis i,
 * sorted best first. Each step fills the other side from the candidates.
 */
class BeamRows {
  readonly states: Float32Array;
  /** View of each single row, made once, to copy a parent's state. */
  readonly stateRow: Float32Array[] = [];
  /** firstStateRows[n]: the first n rows, exactly what stepBatch gets for n beams. */
  readonly firstStateRows: Float32Array[] = [];
  /** Total log-prob of each hypothesis's text. */
  readonly score: Float64Array;
  readonly hasNonWhitespace: Uint8Array;

  constructor(width: number, stateSize: number) {
    this.states = new Float32Array(width * stateSize);
    for (let i = 0; i < width; i++) this.stateRow.push(this.states.subarray(i * stateSize, (i + 1) * stateSize));
    for (let n = 0; n <= width; n++) this.firstStateRows.push(this.states.subarray(0, n * stateSize));
    this.score = new Float64Array(width);
    this.hasNonWhitespace = new Uint8Array(width);
  }
}

class BeamSearch {
  private readonly width: number;
  private readonly vocabSize: number;
  private readonly stateSize: number;
  private readonly rules: CompiledStopRules;
  /** ln of the whitespace rule's ratio: a non-whitespace alternative may score this much below the winner. */
  private readonly whitespaceSlack: number;

  private rows: BeamRows;
  private nextRows: BeamRows;
  /** [width, V]: log P(next char) for each alive row. */
  private readonly logProbs: Float32Array;
  private readonly firstLogProbRows: Float32Array[] = [];
  /** The char each alive row was just extended by, fed to stepBatch. */
  private readonly lastChar: Int32Array;
  private readonly firstLastChars: Int32Array[] = [];
  /** Back-pointers [maxChars, width]: the char a row added at a step, and its parent row at the step before. */
  private readonly charAt: Uint8Array;
  private readonly parentAt: Int32Array;
  /** [maxChars, width]: a row's total log-prob at a step, to recover each character's own log-prob. */
  private readonly scoreAt: Float64Array;
  private readonly candidates: TopCandidates;

  private alive = 1;
  private length = 0;
  private best: Finished | null = null;
  private bestWithNonWhitespace: Finished | null = null;

  constructor(
    private readonly model: StepModel,
    start: SearchStart,
    options: BeamOptions,
  ) {
    const width = options.width;
    this.width = width;
    this.vocabSize = model.vocabSize;
    this.stateSize = model.stateSize;
    this.rules = compileStopRules(options, model.vocabSize);
    this.whitespaceSlack = options.nonWhitespace ? -Infinity : Math.log(WHITESPACE_ALTERNATIVE_RATIO);

    this.rows = new BeamRows(width, this.stateSize);
    this.nextRows = new BeamRows(width, this.stateSize);
    this.logProbs = new Float32Array(width * this.vocabSize);
    this.lastChar = new Int32Array(width);
    for (let n = 0; n <= width; n++) {
      this.firstLogProbRows.push(this.logProbs.subarray(0, n * this.vocabSize));
      this.firstLastChars.push(this.lastChar.subarray(0, n));
    }
    this.charAt = new Uint8Array(this.rules.maxChars * width);
    this.parentAt = new Int32Array(this.rules.maxChars * width);
    this.scoreAt = new Float64Array(this.rules.maxChars * width);
    this.candidates = new TopCandidates(width);

    // Row 0 is the empty hypothesis; copying leaves the caller's start untouched.
    this.rows.states.set(start.state.subarray(0, this.stateSize));
    this.logProbs.set(start.logProbs.subarray(0, this.vocabSize));
  }

  run(): SearchResult {
    for (;;) {
      if (this.length === this.rules.maxChars) {
        for (let row = 0; row < this.alive; row++) {
          const score = this.rows.score[row];
          this.finish(row, score, score, 'length', this.rows.hasNonWhitespace[row] === 1);
        }
        break;
      }
      this.collectCandidates();
      this.advance();
      if (this.alive === 0 || !this.canStillMatter(this.rows.score[0])) break;
      // At the length cap the next distribution would never be read.
      if (this.length < this.rules.maxChars) {
        const n = this.alive;
        this.model.stepBatch(this.rows.firstStateRows[n], this.firstLastChars[n], n, this.firstLogProbRows[n]);
      }
    }
    return this.result();
  }

  /** Offers every usable extension of every alive row, best rows first. */
  private collectCandidates(): void {
    const { candidates, logProbs, vocabSize } = this;
    const { logFloor } = this.rules;
    candidates.clear();
    for (let row = 0; row < this.alive; row++) {
      const base = this.rows.score[row];
      // Rows are sorted and extensions only lower a score: once a full list beats this row, it beats the rest.
      if (candidates.isFull && !(base > candidates.lastScore)) break;
      const offset = row * vocabSize;
      let usable = false;
      for (let id = 0; id < vocabSize; id++) {
        if (id === UNK_ID) continue;
        const logProb = logProbs[offset + id];
        if (!(logProb > -Infinity && logProb >= logFloor)) continue;
        usable = true;
        candidates.offer(base + logProb, row, id);
      }
      if (!usable) candidates.offer(base, row, FLOOR_FINISH);
    }
  }

  /** Finishes the candidates that stop, moves the rest into the next rows, and swaps the buffers. */
  private advance(): void {
    const { candidates, rows, nextRows, width } = this;
    const step = this.length;
    let next = 0;
    for (let k = 0; k < candidates.count; k++) {
      const parent = candidates.beam[k];
      const id = candidates.charId[k];
      const score = candidates.score[k];
      const parentLogProb = rows.score[parent];
      const parentHasNonWhitespace = rows.hasNonWhitespace[parent] === 1;
      if (id === FLOOR_FINISH) {
        this.finish(parent, score, parentLogProb, 'floor', parentHasNonWhitespace);
        continue;
      }
      const stopReason = this.rules.stopBefore[id];
      if (stopReason) {
        this.finish(parent, score, parentLogProb, stopReason, parentHasNonWhitespace);
        continue;
      }
      this.charAt[step * width + next] = id;
      this.parentAt[step * width + next] = parent;
      this.scoreAt[step * width + next] = score;
      nextRows.states.set(rows.stateRow[parent], next * this.stateSize);
      nextRows.score[next] = score;
      nextRows.hasNonWhitespace[next] = parentHasNonWhitespace || !isWhitespace(id) ? 1 : 0;
      this.lastChar[next] = id;
      next++;
    }
    this.rows = nextRows;
    this.nextRows = rows;
    this.alive = next;
    this.length = step + 1;
  }

  /** Records alive row `row` (of the current length) as finished, if it beats what it competes with. */
  private finish(row: number, score: number, logProb: number, stop: StopReason, hasNonWhitespace: boolean): void {
    const beatsBest = !this.best || score > this.best.score;
    const beatsNonWhitespace =
      hasNonWhitespace && (!this.bestWithNonWhitespace || score > this.bestWithNonWhitespace.score);
    if (!beatsBest && !beatsNonWhitespace) return;
    const finished: Finished = { length: this.length, row, score, logProb, stop, hasNonWhitespace };
    if (beatsBest) this.best = finished;
    if (beatsNonWhitespace) this.bestWithNonWhitespace = finished;
  }

  /** Whether a hypothesis scoring `score` now could, after any continuation, change the result. */
  private canStillMatter(score: number): boolean {
    const best = this.best;
    if (!best || score > best.score) return true;
    if (best.hasNonWhitespace) return false;
    // The winner is whitespace-only: this one could still become the alternative the whitespace rule picks.
    const alternative = this.bestWithNonWhitespace;
    return score >= best.score + this.whitespaceSlack && (!alternative || score > alternative.score);
  }

  private chosen(): Finished {
    const best = this.best;
    // Unreachable: every path out of run() finishes at least one hypothesis.
    if (!best) throw new Error('beam search finished no hypothesis');
    const alternative = this.bestWithNonWhitespace;
    if (best.hasNonWhitespace || !alternative) return best;
    return alternative.score >= best.score + this.whitespaceSlack ? alternative : best;
  }

  private result(): SearchResult {
    const finished = this.chosen();
    const ids = new Array<number>(finished.length);
    const charLogProbs = new Array<number>(finished.length);
    let row = finished.row;
    for (let step = finished.length - 1; step >= 0; step--) {
      const at = step * this.width + row;
      ids[step] = this.charAt[at];
      row = this.parentAt[at];
      charLogProbs[step] = this.scoreAt[at] - (step > 0 ? this.scoreAt[(step - 1) * this.width + row] : 0);
    }
    return { text: decode(ids), ids, logProb: finished.logProb, charLogProbs, stop: finished.stop };
  }
}
