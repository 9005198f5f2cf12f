import { TrainProgress } from '../trainer/trainer';

/** "12.3k" style counts for narrow places (notification, status bar). */
export function shortCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

export function shortDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress notification's line: epoch, loss, bits/char, chars/s, time left. */
export function progressMessage(p: TrainProgress): string {
  const loss = p.trainBitsPerChar * Math.LN2;
  const parts = [
    `epoch ${p.epoch + 1}`,
    `loss ${Number.isFinite(loss) ? loss.toFixed(3) : '–'}`,
    `${Number.isFinite(p.trainBitsPerChar) ? p.trainBitsPerChar.toFixed(3) : '–'} bits/char`,
  ];
  if (p.valBitsPerChar !== undefined) parts.push(`val ${p.valBitsPerChar.toFixed(3)}`);
  parts.push(`${shortCount(p.charsPerSecond)} chars/s`, `${shortDuration(p.etaSeconds)} left`);
  return p.phase === 'validate' ? `validating · ${parts.join(' · ')}` : parts.join(' · ');
}

/** Share of the time budget used, 0–100 (for the notification's bar). */
export function progressPercent(p: TrainProgress): number {
  const total = p.elapsedSeconds + p.etaSeconds;
  if (!Number.isFinite(total) || total <= 0) return 0;
  return Math.max(0, Math.min(100, (100 * p.elapsedSeconds) / total));
}
