import { RecordableHistogram, createHistogram } from 'perf_hooks';
import { DelayFigures, delayFigures } from './hostLag';

/** The sampling interval, as the host-lag bench's monitorEventLoopDelay({ resolution: 10 }). */
const TICK_MS = 10;

/**
 * Event-loop delay recorded in separate stretches that add up: the time
 * between ticks of a 10 ms timer (about 10 ms on an idle loop, more when
 * the loop is held up), like monitorEventLoopDelay, which cannot be paused
 * and resumed: re-enabled, its first sample spans the whole time it was off.
 */
export class LoopDelaySampler {
  private readonly histogram: RecordableHistogram = createHistogram();
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    if (this.timer) return;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      this.histogram.record(Math.max(1, Math.round((now - last) * 1e6)));
      last = now;
      this.timer = setTimeout(tick, TICK_MS);
    };
    this.timer = setTimeout(tick, TICK_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  figures(): DelayFigures {
    return this.histogram.count === 0 ? { p50Ms: 0, p99Ms: 0, maxMs: 0 } : delayFigures(this.histogram);
  }
}
