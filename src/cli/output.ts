/**
 * Where the CLI writes: results on stdout (with --json, one JSON object on the
 * last line), everything a person reads while waiting on stderr.
 */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

export function note(message: string): void {
  process.stderr.write(message + '\n');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A status line that rewrites itself on a terminal and prints every few seconds otherwise. */
export class ProgressLine {
  private last = 0;
  private shown = false;
  private readonly tty = Boolean(process.stderr.isTTY);

  update(text: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < (this.tty ? 250 : 5000)) return;
    this.last = now;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${text}`);
      this.shown = true;
    } else process.stderr.write(text + '\n');
  }

  done(): void {
    if (this.shown) process.stderr.write('\n');
    this.shown = false;
  }
}
