import * as assert from 'assert';
import { LoopDelaySampler } from '../../src/bench/loopDelaySampler';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Holds the event loop for `ms` (a synchronous wait). */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('bench: event-loop delay recorded in stretches', () => {
  it('sees the loop held up while started, and not the time it was stopped', async () => {
    const sampler = new LoopDelaySampler();
    assert.deepStrictEqual(sampler.figures(), { p50Ms: 0, p99Ms: 0, maxMs: 0 }, 'nothing recorded yet');
    sampler.start();
    await sleep(30);
    block(60);
    await sleep(30);
    sampler.stop();
    const held = sampler.figures().maxMs;
    assert.ok(held >= 60, `the 60 ms hold shows (max ${held} ms)`);
    // A long stretch stopped, then a short one started: the stopped time is no delay.
    await sleep(1500);
    sampler.start();
    await sleep(30);
    sampler.stop();
    assert.ok(sampler.figures().maxMs < 1500, `the stopped 1.5 s is not counted (max ${sampler.figures().maxMs} ms)`);
  });
});
