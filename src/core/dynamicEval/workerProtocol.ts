import * as fs from 'fs';
import * as path from 'path';
import { ModelSpec } from '../modelSpec';
import { DynamicEvalSettings } from './dynamicEvaluator';

/** What the dynamic evaluation worker is started with: the trained weights it adapts (a copy). */
export interface DynamicEvalWorkerInit {
  spec: ModelSpec;
  params: Float32Array;
  settings: DynamicEvalSettings;
}

export type DynamicEvalWorkerRequest = { type: 'adapt'; ids: Uint8Array; fresh: boolean } | { type: 'reset' };

/** After an adapt that took steps: the adapted weights (transferred); after a reset: the trained ones. */
export type DynamicEvalWorkerReply = { type: 'params'; params: Float32Array; steps: number } | { type: 'error'; message: string };

/** The worker script beside this bundle (dist/) or in the tsc output tree (out/src/worker/). */
export function dynamicEvalWorkerPath(): string {
  const candidates = [path.join(__dirname, 'dynamicEvalWorker.js'), path.join(__dirname, '..', '..', 'worker', 'dynamicEvalWorker.js')];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`dynamic evaluation worker script not found (looked in ${candidates.join(', ')})`);
  return found;
}
