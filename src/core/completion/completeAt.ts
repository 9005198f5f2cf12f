import { beamSearch, greedySearch, SearchResult, StopReason } from '../search';
import { SearchStart, StepModel } from '../stepModel';
import { NEWLINE_ID, charToId } from '../vocab';
import { DocumentMatchModel, MATCH_HISTORY_CHARS } from './documentMatch';
import { DocumentStates } from './documentStates';
import { cutAtExpectedSaving } from './expectedSaving';
import { cutBeforeSuffix, lineSuffixAllowsCompletion } from './lineSuffix';
import { SearchSettings } from './settings';
import { TextChangedError, TextSource, linePrefixAt, lineSuffixAt } from './textSource';
import { WORD_MEMORY_PARAMS, WordMemoryModel, WorkspaceNameIndex } from './wordMemory';
import { WorkspaceMatchIndex } from './workspaceMatch';

/**
 * Why a completion ended: a search stop, the existing line suffix, a loop cut
 * off, the end of a block, the line cap (multi-line), or the cut where it
 * saves the most keystrokes on average.
 */
export type CompletionStop = StopReason | 'suffix' | 'repetition' | 'block-end' | 'line-cap' | 'expected-saving';

export interface Completion {
  /** Text to insert at the cursor (after the suggest widget's selected text, when there is one); may span lines ('\n'). */
  readonly text: string;
  readonly lines: number;
  readonly stop: CompletionStop;
  /** Natural log of the first line's probability under the model. */
  readonly logProb: number;
}

export interface CompleteAtOptions {
  /** The document version `text` belongs to (see DocumentStates.stateAt). */
  version?: number;
  /**
   * The suggest widget's selected item, which would replace [start, offset)
   * with `text`: the completion continues after that text.
   */
  selected?: { start: number; text: string };
  /** Longest stretch of model work between yields to the event loop, in ms. Default 10. */
  sliceMs?: number;
  /** The names of the workspace's other files (WorkspaceNames.offered()), offered with `wordMemory` and `workspaceNames` on. */
  workspaceNames?: WorkspaceNameIndex;
  /** The text of the workspace's other files (WorkspaceTexts.index()), matched with `documentMatch` and `workspaceMatch` on. */
  workspaceMatches?: WorkspaceMatchIndex;
}

/** Columns of leading whitespace (a tab counts 4). */
export function indentWidth(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += 4;
    else break;
  }
  return width;
}

/** A line that closes a block: starts with a closing bracket or `end`. */
export function isClosingLine(line: string): boolean {
  return /^\s*([)\]}]|end\b)/.test(line);
}

/**
 * Cuts a text where it starts looping: at the first place where a piece of
 * 2 to 32 characters (not all one character, so `-----` and `0000` stay)
 * comes three times in a row, only the first copy is kept. Greedy and beam
 * search on a small char model fall into such loops ("is not set is not set
 * is not set") when they run out of ideas.
 */
export function trimRepetition(text: string, copies = 3, maxPeriod = 32): string {
  for (let i = 0; i < text.length; i++) {
    for (let p = 2; p <= maxPeriod && i + copies * p <= text.length; p++) {
      const unit = text.slice(i, i + p);
      if (unit === unit[0].repeat(p)) continue;
      let k = 1;
      while (k < copies && text.startsWith(unit, i + k * p)) k++;
      if (k === copies) return text.slice(0, i + p);
    }
  }
  return text;
}

/** A copy of `start` advanced over `text` ('\r' skipped, like DocumentStates). */
export function feedText(model: StepModel, start: SearchStart, text: string): SearchStart {
  const state = new Float32Array(start.state);
  const logProbs = new Float32Array(start.logProbs);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 13) model.step(state, charToId(code), logProbs);
  }
  return { state, logProbs };
}

/**
 * The state after `text` from a fresh start (a primer for sampling): as if
 * after a newline when `text` is empty, like Engine.prime.
 */
export function startAfter(model: StepModel, text: string): SearchStart {
  const start = { state: model.newState(), logProbs: new Float32Array(model.vocabSize) };
  if (text.replace(/\r/g, '') !== '') return feedText(model, start, text);
  model.step(start.state, NEWLINE_ID, start.logProbs);
  return start;
}

/** The word memory reads 20,000 to 24,095 characters back. */
export const NAMES_WINDOW_STEP = 4096;

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The completion at `offset` of a document, or undefined when there is
 * none: the line suffix does not allow one, only whitespace came out, or
 * `isCancelled()` said so (checked between slices of work; the state
 * progress made so far is kept in `states`).
 *
 * One line by default: the search stops at the end of the line, at
 * `maxChars`, or below `minCharProb`; a suffix of closing brackets cuts the
 * text where the suffix takes over; then the line is cut where it is
 * expected to save the most keystrokes, and dropped when that is below
 * `minExpectedSaving` (expectedSaving.ts). With `multiline`, a completion whose
 * first line opens a block (the next line is indented deeper than the
 * cursor's line) goes on line by line through the block and its closing
 * line (`}` ...), to at most `maxLines` lines; a line that opens nothing
 * stays a one-line completion. Beam search of `beamWidth` (greedy at 1).
 * With `documentMatch`, the searches also follow what came after the same
 * characters earlier in the document (documentMatch.ts); with `wordMemory`,
 * the names it already uses (wordMemory.ts), and with `workspaceNames`
 * the names in `options.workspaceNames` too; with `workspaceMatch`, the
 * cache also follows `options.workspaceMatches` where the document has no match.
 */
export async function completeAt(
  engine: StepModel,
  states: DocumentStates,
  docId: string,
  text: TextSource,
  offset: number,
  settings: SearchSettings,
  isCancelled: () => boolean,
  options: CompleteAtOptions = {},
): Promise<Completion | undefined> {
  const suffix = lineSuffixAt(text, offset);
  if (suffix === null || !lineSuffixAllowsCompletion(suffix)) return undefined;
  const blankSuffix = suffix.trim() === '';
  const selected = options.selected;
  const stateOffset = selected ? selected.start : offset;
  const sliceMs = options.sliceMs ?? 10;

  let start: SearchStart | undefined;
  for (let slice = 0; ; slice++) {
    if (isCancelled()) return undefined;
    // Between slices a live document may have shrunk below the cursor.
    if (slice > 0 && stateOffset > text.length) throw new TextChangedError(`the text is now ${text.length} long, shorter than offset ${stateOffset}`);
    const deadline = performance.now() + sliceMs;
    start = states.stateAt(docId, options.version, text, stateOffset, () => isCancelled() || performance.now() > deadline);
    if (start) break;
    await nextMacrotask();
  }
  if (selected) start = feedText(engine, start, selected.text);
  if (isCancelled()) return undefined;
  // With the document cache, searches run on the model plus matches in the text before the cursor;
  // with the word memory, plus the names used before the cursor (the cache mixes in last).
  let model = engine;
  if (settings.documentMatch || settings.wordMemory) {
    // One read of the text before the cursor serves both: the word memory's window starts at a
    // multiple of NAMES_WINDOW_STEP, so that in a long document the lines before the cursor's stay
    // the same text while a line is typed (their index is cached); the cache takes its tail.
    const historyFrom = Math.max(0, stateOffset - MATCH_HISTORY_CHARS);
    const from = settings.wordMemory ? Math.floor(historyFrom / NAMES_WINDOW_STEP) * NAMES_WINDOW_STEP : historyFrom;
    const before = text.slice(from, stateOffset);
    const typed = selected?.text ?? '';
    const history = before.slice(historyFrom - from).replace(/\r/g, '') + typed;
    if (settings.wordMemory) {
      const names = before.replace(/\r/g, '') + typed;
      const workspace = settings.workspaceNames ? options.workspaceNames : undefined;
      const withWords = new WordMemoryModel(model, names, WORD_MEMORY_PARAMS, workspace);
      start = withWords.extend(start);
      model = withWords;
    }
    if (settings.documentMatch) {
      const withMatch = new DocumentMatchModel(model, history, settings.workspaceMatch ? options.workspaceMatches : undefined);
      start = withMatch.extend(start);
      model = withMatch;
    }
  }

  const rules = { maxChars: settings.maxChars, stopAtNewline: true, minCharProb: settings.minCharProb };
  const search = (from: SearchStart, nonWhitespace: boolean, firstLine = false): SearchResult =>
    settings.beamWidth <= 1
      ? // Only a first line is cut for expected saving, so only its search may stop at the cut's bound.
        greedySearch(model, from, firstLine ? { ...rules, minExpectedSaving: settings.minExpectedSaving } : rules)
      : beamSearch(model, from, { ...rules, width: settings.beamWidth, nonWhitespace });

  const multiline = settings.multiline && settings.maxLines > 1 && blankSuffix;
  // In multi-line mode an empty first line is fine (after `{` the block starts on the next line).
  const first = search(start, !multiline, true);
  let line = trimRepetition(first.text);
  let stop: CompletionStop = line === first.text ? first.stop : 'repetition';
  if (!blankSuffix) {
    const cut = cutBeforeSuffix(line, suffix);
    if (cut !== line) stop = 'suffix';
    line = cut;
  }
  line = line.trimEnd();
  const kept = cutForSaving(line, first, settings.minExpectedSaving);
  if (kept !== line || stop === 'saving-bound') stop = 'expected-saving';
  line = kept;

  if (multiline && stop === 'newline') {
    const prefix = linePrefixAt(text, stateOffset);
    if (prefix !== null) {
      const block = await continueBlock(model, start, line, indentWidth(prefix + (selected?.text ?? '') + line), settings, search, isCancelled);
      if (block === undefined) return undefined;
      if (block.lines.length > 0) {
        const full = line + block.lines.map((l) => '\n' + l).join('');
        return { text: full, lines: block.lines.length + 1, stop: block.stop, logProb: prefixLogProb(first, line.length) };
      }
    }
    if (!/\S/.test(line) && settings.beamWidth > 1) {
      // No block after an empty line: fall back to the best line with text.
      // Beam search (this branch needs width > 1) never stops at the cut's bound.
      const again = search(start, true);
      const untrimmed = trimRepetition(again.text).trimEnd();
      line = cutForSaving(untrimmed, again, settings.minExpectedSaving);
      stop = line !== untrimmed ? 'expected-saving' : again.stop;
      return /\S/.test(line) ? { text: line, lines: 1, stop, logProb: prefixLogProb(again, line.length) } : undefined;
    }
  }
  if (!/\S/.test(line)) return undefined;
  return { text: line, lines: 1, stop, logProb: prefixLogProb(first, line.length) };
}

/**
 * `line` (a prefix of `result.text`) cut where it saves the most keystrokes
 * on average, or '' when that is below `minExpected`; 0 turns the cut off.
 */
function cutForSaving(line: string, result: SearchResult, minExpected: number): string {
  if (!(minExpected > 0)) return line;
  // A cut inside the leading indentation would leave only whitespace, which is never shown: cut after it.
  const firstVisible = line.search(/\S/);
  if (firstVisible < 0) return line;
  const cut = cutAtExpectedSaving(result.charLogProbs, line.length, minExpected, firstVisible + 1);
  return cut.length < line.length ? line.slice(0, cut.length).trimEnd() : line;
}

/** ln P of the first `length` characters of a search's text. */
function prefixLogProb(result: SearchResult, length: number): number {
  let sum = 0;
  for (let i = 0; i < length && i < result.charLogProbs.length; i++) sum += result.charLogProbs[i];
  return sum;
}

/**
 * The lines after `firstLine` that make up the block it opens: deeper than
 * `baseIndent`, ended by the first line back at or above it (kept when it
 * closes with a bracket), by two blank lines, or by the line cap. No lines
 * when the next line is not deeper. Undefined when cancelled.
 */
async function continueBlock(
  engine: StepModel,
  start: SearchStart,
  firstLine: string,
  baseIndent: number,
  settings: SearchSettings,
  search: (from: SearchStart, nonWhitespace: boolean) => SearchResult,
  isCancelled: () => boolean,
): Promise<{ lines: string[]; stop: CompletionStop } | undefined> {
  const lines: string[] = [];
  let stop: CompletionStop = 'line-cap';
  let deeper = false;
  let blanks = 0;
  let at = feedText(engine, start, firstLine);
  engine.step(at.state, NEWLINE_ID, at.logProbs);
  while (lines.length + 1 < settings.maxLines) {
    await nextMacrotask();
    if (isCancelled()) return undefined;
    const result = search(at, false);
    const untrimmed = trimRepetition(result.text);
    const line = untrimmed.trimEnd();
    if (line === '') {
      if (!deeper || ++blanks >= 2) {
        stop = 'block-end';
        break;
      }
      lines.push('');
    } else {
      blanks = 0;
      if (indentWidth(line) > baseIndent) {
        deeper = true;
        lines.push(line);
      } else {
        if (deeper && isClosingLine(line)) lines.push(line);
        stop = 'block-end';
        break;
      }
    }
    if (result.stop !== 'newline' || untrimmed !== result.text) {
      stop = untrimmed !== result.text ? 'repetition' : result.stop;
      break;
    }
    at = feedText(engine, at, line);
    engine.step(at.state, NEWLINE_ID, at.logProbs);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { lines: deeper ? lines : [], stop };
}
