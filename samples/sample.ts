// A small file to try completions on: `npm run demo` completes the line
// that ends at the offset it names.
import * as fs from 'fs';

export interface Point {
  x: number;
  y: number;
}

export function distance(a: Point, b: Point): number {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  return Math.sqrt(dx * dx + dy * dy);
}

export function readLines(path: string): string[] {
  const text = fs.readFileSync(path, 'utf8');
  return text.split('\n').filter((line) => line.length > 0);
}

export class Counter {
  private counts = new Map<string, number>();

  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
