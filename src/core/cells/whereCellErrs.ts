import { ConceptName } from '../concepts/conceptNames';
import { Activations, CellRef, cellValues } from './activations';
import { auroc } from './auroc';

/** One group of characters and how well the cell tells them from the whole other class. */
export interface ErrorGroup {
  /** What the characters are: `span 1`, `span 2-8`, `after span`, `in a comment`... */
  group: string;
  count: number;
  /**
   * Positive groups: AUROC of these positives against every negative;
   * negative groups: of every positive against these negatives. Signed the
   * way the cell reads overall (its `sign`), so 0.5 is chance and a group
   * far below the overall figure is where the cell errs.
   */
  auroc: number;
}

export interface CellErrors {
  /** The cell's AUROC over all the characters, signed by `sign`. */
  auroc: number;
  /** Yes-characters by how far into their span they are. */
  positives: ErrorGroup[];
  /** No-characters: right after a span, then by the other concepts that hold them. */
  negatives: ErrorGroup[];
}

/** Another yes/no concept's labels, to name where the no-characters are (e.g. in a comment). */
export interface Region {
  group: string;
  labels: ArrayLike<number>;
}

/** Positions into a span, 1-based, each group up to its bound. */
const SPAN_GROUPS: readonly { group: string; upTo: number }[] = [
  { group: 'span 1', upTo: 1 },
  { group: 'span 2-8', upTo: 8 },
  { group: 'span 9-32', upTo: 32 },
  { group: 'span 33+', upTo: Infinity },
];

/** No-characters this close after a span's end count as "after span" (the state may still be catching up). */
const AFTER_SPAN = 2;

/**
 * Where one cell and a yes/no concept disagree: the yes-characters split by
 * their position in the span (does the cell light up late, or fade in long
 * spans?), the no-characters split into those just after a span (does it
 * switch off late?) and those inside other regions (a string cell firing on
 * quoted text in comments). Spans restart at every segment start, so
 * concatenated files do not run into each other.
 */
export function whereCellErrs(
  values: ArrayLike<number>,
  labels: ArrayLike<number>,
  sign: 1 | -1,
  regions: readonly Region[],
  segmentStarts: readonly number[] = [0],
): CellErrors {
  const n = Math.min(values.length, labels.length);
  const starts = new Set(segmentStarts);
  const positives: number[] = [];
  const negatives: number[] = [];
  const positiveGroups = SPAN_GROUPS.map(({ group }) => ({ group, members: [] as number[] }));
  const negativeGroups = [{ group: 'after span', members: [] as number[] }, ...regions.map((r) => ({ group: r.group, members: [] as number[] })), { group: 'elsewhere', members: [] as number[] }];
  // Position into the current yes-span (1-based), and no-characters since the last one ended (Infinity: none yet in this segment).
  let into = 0;
  let since = Infinity;
  for (let t = 0; t < n; t++) {
    if (starts.has(t)) {
      into = 0;
      since = Infinity;
    }
    const score = sign * values[t];
    if (labels[t] > 0.5) {
      into++;
      since = 0;
      positives.push(score);
      positiveGroups[SPAN_GROUPS.findIndex((g) => into <= g.upTo)].members.push(score);
    } else {
      into = 0;
      since++;
      negatives.push(score);
      let k = 0;
      if (since > AFTER_SPAN) {
        const r = regions.findIndex((region) => region.labels[t] > 0.5);
        k = r >= 0 ? r + 1 : negativeGroups.length - 1;
      }
      negativeGroups[k].members.push(score);
    }
  }
  return {
    auroc: twoClassAuroc(positives, negatives),
    positives: positiveGroups.filter((g) => g.members.length > 0).map((g) => ({ group: g.group, count: g.members.length, auroc: twoClassAuroc(g.members, negatives) })),
    negatives: negativeGroups.filter((g) => g.members.length > 0).map((g) => ({ group: g.group, count: g.members.length, auroc: twoClassAuroc(positives, g.members) })),
  };
}

function twoClassAuroc(positives: readonly number[], negatives: readonly number[]): number {
  const scores = new Float64Array(positives.length + negatives.length);
  const labels = new Uint8Array(scores.length);
  scores.set(positives);
  scores.set(negatives, positives.length);
  labels.fill(1, 0, positives.length);
  return auroc(scores, labels);
}

/** The literal text a cell may confuse with code: the no-characters inside one are a group of their own. */
const REGIONS: readonly { concept: ConceptName; group: string }[] = [
  { concept: 'inString', group: 'in a string' },
  { concept: 'inComment', group: 'in a comment' },
];

/**
 * whereCellErrs for one yes/no concept's cell on a recording, with the
 * recording's other labels as the regions (strings, comments) and its
 * files as the segments.
 */
export function conceptErrors(act: Activations, labels: Record<ConceptName, ArrayLike<number>>, concept: ConceptName, cell: CellRef & { sign: 1 | -1 }): CellErrors {
  const regions = REGIONS.filter((r) => r.concept !== concept).map((r) => ({ group: r.group, labels: labels[r.concept] }));
  return whereCellErrs(
    cellValues(act, cell),
    labels[concept],
    cell.sign,
    regions,
    act.segments.map((s) => s.start),
  );
}

/** A group of CellErrors, with the side it is on and its share of that side. */
export interface WeakestGroup extends ErrorGroup {
  side: 'yes' | 'no';
  /** Share of its class (yes- or no-characters) the group holds. */
  share: number;
}

/**
 * The group a cell reads worst, among those holding at least minShare of
 * their class and reading below the cell's overall AUROC (null when none
 * does: a cell with no weak spot has nothing to say).
 */
export function weakestGroup(e: CellErrors, minShare = 0.02): WeakestGroup | null {
  let worst: WeakestGroup | null = null;
  for (const [side, groups] of [['yes', e.positives], ['no', e.negatives]] as const) {
    const total = groups.reduce((n, g) => n + g.count, 0);
    for (const g of groups) {
      const share = total > 0 ? g.count / total : 0;
      if (share >= minShare && g.auroc < e.auroc && (!worst || g.auroc < worst.auroc)) worst = { ...g, side, share };
    }
  }
  return worst;
}

/** The groups on one line, for the command line: "yes span 1 0.95, span 2-8 0.94; no after span 0.55, elsewhere 0.99". */
export function errorGroupsText(e: CellErrors): string {
  const groups = (list: readonly ErrorGroup[]) => list.map((g) => `${g.group} ${g.auroc.toFixed(2)}`).join(', ');
  return `yes ${groups(e.positives)}; no ${groups(e.negatives)}`;
}
