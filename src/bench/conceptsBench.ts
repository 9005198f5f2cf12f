import { performance } from 'perf_hooks';
import { Language, labelConcepts } from '../core/concepts';

/**
 * Speed of the concept labeller (`labelConcepts`), which the heatmap and the
 * cell ranking run over whole files: ordinary code, and broken text where a
 * careless scan turns quadratic (`if x if x …` with no body). The unit tests
 * bound the work by counting character reads; the time is measured here.
 */

export interface ConceptsBenchRow {
  text: string;
  language: string;
  chars: number;
  /** Fastest of the timed runs, ms per labelling of the whole text. */
  ms: number;
  charsPerSecond: number;
}

const ORDINARY_TS = `// A cache of parsed entries, keyed by "name:version".
export class EntryCache {
  private readonly entries = new Map<string, { text: string; at: number }>();
  get(name: string, version = 'latest'): string | undefined {
    const key = \`\${name}:\${version}\`;
    if (this.entries.has(key) && (this.entries.get(key)?.at ?? 0) > Date.now() - 60_000) {
      return this.entries.get(key)?.text; /* fresh: "hit" */
    } else if (name.length === 0) {
      throw new Error('empty name');
    }
    return undefined;
  }
}
`;

export const CONCEPTS_BENCH_TEXTS: readonly { text: string; language: Language; body: string }[] = [
  { text: 'TypeScript, ordinary code', language: 'typescript', body: ORDINARY_TS.repeat(Math.ceil(100_000 / ORDINARY_TS.length)) },
  { text: 'Go, "if x " × 20,000 with no body', language: 'go', body: 'if x '.repeat(20_000) },
];

export function benchConcepts(minMs = 500): ConceptsBenchRow[] {
  return CONCEPTS_BENCH_TEXTS.map(({ text, language, body }) => {
    labelConcepts(body, language); // warm-up: compile the scanners
    let best = Infinity;
    const end = performance.now() + minMs;
    do {
      const t0 = performance.now();
      labelConcepts(body, language);
      best = Math.min(best, performance.now() - t0);
    } while (performance.now() < end);
    return { text, language, chars: body.length, ms: best, charsPerSecond: (body.length / best) * 1000 };
  });
}
