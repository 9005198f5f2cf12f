export interface RankSlicing {
  /** Called between slices, so the caller's event loop can run. */
  yieldNow: () => Promise<void>;
  /** Longest stretch of ranking between two yields, in milliseconds (default 12). */
  sliceMs?: number;
  /** Checked after each yield; when true the ranking stops and resolves to undefined. */
  isCancelled?: () => boolean;
}

/**
 * Runs a job written as steps (a generator that yields between units of
 * work) to its end without yielding: the synchronous form of a sliced job.
 */
export function runToEnd<T>(job: Generator<void, T>): T {
  let step = job.next();
  while (!step.done) step = job.next();
  return step.value;
}

/**
 * Runs the same job in time slices: after each step that ends a slice, the
 * caller's event loop runs (yieldNow) and cancellation is checked. The
 * extension host ranks a window's cells this way. Undefined when cancelled.
 */
export async function runSliced<T>(job: Generator<void, T>, slicing: RankSlicing): Promise<T | undefined> {
  const sliceMs = slicing.sliceMs ?? 12;
  let sliceStart = performance.now();
  let step = job.next();
  while (!step.done) {
    if (performance.now() - sliceStart > sliceMs) {
      await slicing.yieldNow();
      if (slicing.isCancelled?.()) return undefined;
      sliceStart = performance.now();
    }
    step = job.next();
  }
  return step.value;
}
