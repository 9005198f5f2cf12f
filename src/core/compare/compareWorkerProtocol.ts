import { CompareOptions } from './compareCells';
import { TextSource } from '../trainer/trainingData';

/** What the compare worker is started with (workerData). */
export interface CompareRequest {
  sources: TextSource[];
  options: Partial<Omit<CompareOptions, 'makeOps' | 'signal' | 'onProgress'>>;
}

/** Host → compare worker. */
export type ToCompareWorker = { type: 'cancel' };

/** Compare worker → host: progress lines, then the report (text and compare --json's object) or a failure. */
export type FromCompareWorker = { type: 'progress'; message: string } | { type: 'done'; text: string; json: Record<string, unknown> } | { type: 'failed'; message: string };

/** Shallow shape check of a message from the worker (a worker bug must not crash the host). */
export function isFromCompareWorker(msg: unknown): msg is FromCompareWorker {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  if (m.type === 'progress' || m.type === 'failed') return typeof m.message === 'string';
  return m.type === 'done' && typeof m.text === 'string' && typeof m.json === 'object' && m.json !== null;
}
