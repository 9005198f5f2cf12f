import { SearchStart, StepModel } from '../stepModel';
import { NEWLINE_ID, UNK_ID, decode, idToChar } from '../vocab';

export interface SampleOptions {
  /** > 0. Below 1 sharpens the distribution (near 0 is greedy), above 1 flattens it. */
  temperature: number;
  maxChars: number;
  /** Uniform in [0, 1); pass a seeded one for reproducible samples. */
  rng: () => number;
  /** End before the first newline. Default false: a sample is free-running text. */
  stopAtNewline?: boolean;
  /** Receives the text in order, `chunkChars` characters at a time (the last chunk may be shorter). */
  onChunk?: (text: string) => void;
  /** Characters per chunk. Default DEFAULT_CHUNK_CHARS. */
  chunkChars?: number;
  /** Checked between characters; once aborted, sampling stops and returns what it has. */
  signal?: { readonly aborted: boolean };
}

export const DEFAULT_CHUNK_CHARS = 32;

export type SampleStopReason = 'newline' | 'length' | 'aborted';

export interface SampleResult {
  /** The sampled text, without the newline that ended it under `stopAtNewline`. */
  text: string;
  ids: number[];
  /** Natural log of the text's probability under the model itself (temperature 1), for comparing samples. */
  logProb: number;
  stop: SampleStopReason;
}

/**
 * Char-rnn style sampling: each character is drawn from the model's
 * distribution with log-probs divided by the temperature and renormalised.
 * UNK is never drawn. Runs synchronously; see sampleStream for long samples
 * in a UI.
 */
export function sampleText(model: StepModel, start: SearchStart, options: SampleOptions): SampleResult {
  const sampler = new TemperatureSampler(model, start, options);
  const chunkChars = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
  const onChunk = options.onChunk;
  let sent = 0;
  while (sampler.next()) {
    if (onChunk && sampler.ids.length - sent === chunkChars) {
      onChunk(decodeRange(sampler.ids, sent, sampler.ids.length));
      sent = sampler.ids.length;
    }
  }
  if (onChunk && sent < sampler.ids.length) onChunk(decodeRange(sampler.ids, sent, sampler.ids.length));
  return sampler.result();
}

/**
 * The async form of sampleText, for a UI: yields the text in chunks of
 * `chunkChars` characters and, after each chunk, waits for the event loop to
 * run (a macrotask, not just a microtask), so other work and cancellation get
 * a turn about every `chunkChars` model steps. The generator's return value
 * is the SampleResult. Stop early with `signal` or by leaving the loop.
 *
 * Options are checked and `start` copied when this is called, not on the
 * first iteration.
 */
export function sampleStream(
  model: StepModel,
  start: SearchStart,
  options: Omit<SampleOptions, 'onChunk'>,
): AsyncGenerator<string, SampleResult, undefined> {
  const sampler = new TemperatureSampler(model, start, options);
  return streamChunks(sampler, options.chunkChars ?? DEFAULT_CHUNK_CHARS);
}

async function* streamChunks(
  sampler: TemperatureSampler,
  chunkChars: number,
): AsyncGenerator<string, SampleResult, undefined> {
  let sent = 0;
  while (sampler.next()) {
    if (sampler.ids.length - sent === chunkChars) {
      yield decodeRange(sampler.ids, sent, sampler.ids.length);
      sent = sampler.ids.length;
      await nextMacrotask();
    }
  }
  if (sent < sampler.ids.length) yield decodeRange(sampler.ids, sent, sampler.ids.length);
  return sampler.result();
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function decodeRange(ids: readonly number[], from: number, to: number): string {
  let text = '';
  for (let i = from; i < to; i++) text += idToChar(ids[i]);
  return text;
}

/** Draws and feeds one character at a time, in its own state and log-prob buffers. */
class TemperatureSampler {
  readonly ids: number[] = [];
  private logProb = 0;
  private stop: SampleStopReason | null = null;

  private readonly state: Float32Array;
  private readonly logProbs: Float32Array;
  /** Unnormalised tempered probabilities of the current step, reused every step. */
  private readonly weights: Float64Array;
  private readonly inverseTemperature: number;

  constructor(
    private readonly model: StepModel,
    start: SearchStart,
    private readonly options: Omit<SampleOptions, 'onChunk'>,
  ) {
    const { temperature, maxChars, chunkChars } = options;
    if (!(temperature > 0 && Number.isFinite(temperature))) {
      throw new RangeError(`temperature must be a positive number, got ${temperature}`);
    }
    if (!Number.isInteger(maxChars) || maxChars < 0) {
      throw new RangeError(`maxChars must be a non-negative integer, got ${maxChars}`);
    }
    if (chunkChars !== undefined && (!Number.isInteger(chunkChars) || chunkChars < 1)) {
      throw new RangeError(`chunkChars must be a positive integer, got ${chunkChars}`);
    }
    this.inverseTemperature = 1 / temperature;
    this.state = new Float32Array(start.state);
    this.logProbs = new Float32Array(start.logProbs);
    this.weights = new Float64Array(model.vocabSize);
  }

  /** Samples and feeds one character; false once sampling has stopped. */
  next(): boolean {
    if (this.stop) return false;
    if (this.ids.length >= this.options.maxChars) {
      this.stop = 'length';
      return false;
    }
    if (this.options.signal?.aborted) {
      this.stop = 'aborted';
      return false;
    }
    const id = this.draw();
    if (id === NEWLINE_ID && this.options.stopAtNewline) {
      this.stop = 'newline';
      return false;
    }
    this.ids.push(id);
    this.logProb += this.logProbs[id];
    // The distribution after the last allowed character would never be read.
    if (this.ids.length < this.options.maxChars) this.model.step(this.state, id, this.logProbs);
    return true;
  }

  result(): SampleResult {
    return { text: decode(this.ids), ids: this.ids, logProb: this.logProb, stop: this.stop ?? 'length' };
  }

  /** One id from softmax(logProbs / temperature) over every id but UNK. */
  private draw(): number {
    const { logProbs, weights } = this;
    const vocabSize = this.model.vocabSize;
    let maxLogProb = -Infinity;
    for (let id = 0; id < vocabSize; id++) {
      if (id !== UNK_ID && logProbs[id] > maxLogProb) maxLogProb = logProbs[id];
    }
    if (maxLogProb === -Infinity) throw new Error('the model gave no character a finite log-probability');

    // Subtracting the max before scaling keeps exp() in range even at tiny temperatures.
    let total = 0;
    let lastDrawable = -1;
    for (let id = 0; id < vocabSize; id++) {
      const logProb = logProbs[id];
      const weight = id !== UNK_ID && logProb > -Infinity ? Math.exp((logProb - maxLogProb) * this.inverseTemperature) : 0;
      weights[id] = weight;
      total += weight;
      if (weight > 0) lastDrawable = id;
    }

    let remaining = this.options.rng() * total;
    for (let id = 0; id < vocabSize; id++) {
      remaining -= weights[id];
      if (remaining < 0) return id;
    }
    // Rounding can leave a sliver past the last weight.
    return lastDrawable;
  }
}
