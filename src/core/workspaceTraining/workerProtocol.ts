import { TrainingEvent, TrainingJobResult } from './trainingJob';

/** Host → training worker. */
export type ToTrainingWorker = { type: 'cancel' };

/** Training worker → host. */
export type FromTrainingWorker = TrainingEvent | { type: 'done'; result: TrainingJobResult } | { type: 'failed'; message: string };

/** Shallow shape check of a message from the worker (a worker bug must not crash the host). */
export function isFromTrainingWorker(msg: unknown): msg is FromTrainingWorker {
  if (typeof msg !== 'object' || msg === null) return false;
  const type = (msg as { type?: unknown }).type;
  return type === 'status' || type === 'baseline' || type === 'progress' || type === 'checkpoint' || type === 'sample' || type === 'concepts' || type === 'done' || type === 'failed';
}
