import { Engine } from '../engine';
import { createFastestOps } from '../kernels/wasmOps';
import { newManifest } from '../model/manifest';
import { initParams, paramLayout } from '../params';
import { RecordingEngine } from './recordActivations';

/**
 * A randomly initialised engine of the same shape as engine (its own kernels
 * and memory, dropped after use): the control every finding is shown beside.
 */
export function randomEngineLike(engine: RecordingEngine, seed: number): Engine {
  const layout = paramLayout(engine.spec);
  return new Engine({ layout, params: initParams(layout, seed), manifest: newManifest(engine.spec, 'random baseline') }, createFastestOps());
}
