import { NameIndex, WorkspaceNameIndex, countNames } from './wordMemory';

/**
 * The names the other files of a workspace use, for the word memory
 * (wordMemory.ts): a name only defined in another module (`parseUnits`,
 * `simplefilter`) is offered from its first letters in a file that has not
 * used it yet. Files are far from the cursor, so every occurrence weighs one
 * small constant instead of the document's exp(−d / R). Counts are kept per
 * file, so that a saved file is recounted alone; the index the searches read
 * is built on demand from the most frequent names only (a large workspace
 * has hundreds of thousands of names, nearly all rare).
 */

export interface WorkspaceNamesParams {
  /**
   * What one occurrence in another file weighs; an occurrence in the
   * document d characters above the cursor's line weighs exp(−d / R).
   */
  occurrenceWeight: number;
  /** Most names in the index (the most frequent ones). */
  maxNames: number;
  /** Letters of a word typed before the workspace's names are offered. */
  minPrefix: number;
  /** Offer them only for a word that starts none of the document's names. */
  onlyWithoutDocumentMatch: boolean;
}

/**
 * Chosen in the typing replay on ethers 6.17.0's src.ts (bench
 * workspace-names: the held-out 20% typed with the other 80% as the
 * workspace); absl-py and logrus are the check (README, "The names this
 * code uses"). Offered beside the document's names, the workspace's many
 * names crowd out the document's and the model's guesses (the mixture
 * trusts a large weight): from 0.5 to 1.3 points gained, by weight
 * (0.001 to 0.1) and letters first typed (1 to 3), and less as the weight
 * grows. Offered only where the document's names match nothing (a backoff:
 * the file's own names win), 1.1 to 1.2 points at every weight from 0.03
 * to 1, so the weight hardly matters; 0.3 is an occurrence as if about
 * 4,800 characters above the cursor's line.
 */
export const WORKSPACE_NAMES_PARAMS: Readonly<WorkspaceNamesParams> = Object.freeze({ occurrenceWeight: 0.3, maxNames: 20_000, minPrefix: 1, onlyWithoutDocumentMatch: true });

/** One name's total over all files; `name` is a copy that holds no file's text alive. */
interface NameCount {
  name: string;
  count: number;
}

export class WorkspaceNames {
  private readonly totals = new Map<string, NameCount>();
  /** File id → its names and how often each occurs in it. */
  private readonly files = new Map<string, [NameCount, number][]>();
  private built: NameIndex | undefined;

  constructor(private readonly params: WorkspaceNamesParams = WORKSPACE_NAMES_PARAMS) {
    if (!(params.occurrenceWeight > 0) || !(params.maxNames >= 1)) throw new RangeError(`workspace names need a positive weight and cap, got ${params.occurrenceWeight} and ${params.maxNames}`);
  }

  /** The names of a file, counted anew (replacing what it held before: a save, an open document). */
  setFile(id: string, text: string): void {
    this.deleteFile(id);
    const own: [NameCount, number][] = [];
    // Every name in the text counts once per occurrence (countNames leaves out a name touching the end: add a boundary).
    for (const [name, count] of countNames(text + '\n', 0, text.length + 1, () => 1)) {
      let total = this.totals.get(name);
      if (!total) {
        // A slice of the file's text would keep the whole text in memory; a rebuilt string keeps only itself.
        total = { name: name.split('').join(''), count: 0 };
        this.totals.set(total.name, total);
      }
      total.count += count;
      own.push([total, count]);
    }
    this.files.set(id, own);
    this.built = undefined;
  }

  deleteFile(id: string): void {
    const own = this.files.get(id);
    if (!own) return;
    for (const [total, count] of own) {
      total.count -= count;
      if (total.count <= 0) this.totals.delete(total.name);
    }
    this.files.delete(id);
    this.built = undefined;
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  get fileCount(): number {
    return this.files.size;
  }

  /** Distinct names over all files (the index holds at most maxNames of them). */
  get nameCount(): number {
    return this.totals.size;
  }

  /** The index with the rules it is offered by, for the word memory (WordMemoryModel). */
  offered(): WorkspaceNameIndex {
    return { index: this.index(), minPrefix: this.params.minPrefix, onlyWithoutDocumentMatch: this.params.onlyWithoutDocumentMatch };
  }

  /**
   * The index of the most frequent names (ties: alphabetical, so the same
   * files give the same index), each weighing count × occurrenceWeight.
   * Built once per change of the files, on the first request after it.
   */
  index(): NameIndex {
    if (this.built) return this.built;
    let kept = [...this.totals.values()];
    if (kept.length > this.params.maxNames) {
      // The cap's count (a typed-array sort of the counts, not of the names): all names above it, then its ties alphabetically.
      const counts = Float64Array.from(kept, (t) => t.count).sort();
      const threshold = counts[counts.length - this.params.maxNames];
      const above = kept.filter((t) => t.count > threshold);
      const ties = kept.filter((t) => t.count === threshold).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      kept = above.concat(ties.slice(0, this.params.maxNames - above.length));
    }
    this.built = NameIndex.build(new Map(kept.map((t) => [t.name, t.count * this.params.occurrenceWeight])));
    return this.built;
  }
}
