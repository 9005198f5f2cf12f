import { describeCell } from '../core/cells/activations';
import { CountBand } from '../core/cells/countCurve';
import { ConceptFindings, ConceptSource, bestCellReading, conceptLabelsFor, rankConcepts } from '../core/cells/findCellsForConcepts';
import { randomEngineLike } from '../core/cells/randomEngineLike';
import { RecordingEngine, recordActivations } from '../core/cells/recordActivations';
import { CellErrors } from '../core/cells/whereCellErrs';
import { BINARY_CONCEPTS, CONCEPT_NAMES, ConceptName } from '../core/concepts/conceptNames';
import { SyntaxParsers, labelConceptFiles } from '../core/syntax';

/** One concept's best cell and score on one set of files, under one labelling, beside the control's. */
export interface LabelledScore {
  cell: string;
  /** AUROC (yes/no concepts) or Spearman ρ (counts). */
  score: number;
  randomCell: string;
  randomScore: number;
}

export interface ConceptLabelsRow {
  concept: ConceptName;
  lexical: LabelledScore | null;
  tree: LabelledScore | null;
  /** Share of the recorded characters whose label differs between the two labellings. */
  disagree: number;
  /** Recorded characters labelled yes (yes/no concepts). */
  positives?: { lexical: number; tree: number };
  /** Yes/no concepts: where the best cell under the tree's labels disagrees with them (see whereCellErrs). */
  treeErrors?: CellErrors;
  /** Counts: the best cell's mean per band of the count (see countCurve). */
  treeCurve?: CountBand[];
}

export interface ConceptLabelsResult {
  chars: number;
  files: number;
  /** How many files the tree labelled (the rest fell back to the lexers). */
  treeFiles: number;
  rows: ConceptLabelsRow[];
}

/**
 * The model's best cell per concept on some files, ranked once against the
 * lexers' labels and once against the tree-sitter labels: one recording of
 * the model and one of its random-init control serve both, so only the
 * labels differ between the two columns.
 */
export async function benchConceptLabels(engine: RecordingEngine, files: readonly ConceptSource[], parsers: SyntaxParsers, maxChars: number): Promise<ConceptLabelsResult> {
  const labelled = await labelConceptFiles(files, parsers);
  const treeFiles = labelled.filter((l) => l.source.kind === 'tree-sitter').length;
  const texts = files.map((f) => f.text);
  const act = recordActivations(engine, texts, { maxChars });
  const lexicalLabels = conceptLabelsFor(
    act,
    files.map((f) => ({ ...f, labels: undefined })),
  );
  const treeLabels = conceptLabelsFor(act, labelled);
  const rank = { top: 1, probe: false };
  const lexical = rankConcepts(act, lexicalLabels, rank);
  const tree = rankConcepts(act, treeLabels, rank);
  // The control records exactly the same characters.
  const control = recordActivations(randomEngineLike(engine, 1), texts, { maxChars });
  const lexicalControl = rankConcepts(control, lexicalLabels, rank);
  const treeControl = rankConcepts(control, treeLabels, rank);

  // How the tree's best cell reads each concept: where it errs (yes/no concepts), its mean per level (counts).
  const readingOf = (concept: ConceptName): Pick<ConceptLabelsRow, 'treeErrors' | 'treeCurve'> => {
    const best = tree[concept];
    if (!best) return {};
    const reading = bestCellReading(act, treeLabels, concept, best);
    return 'errors' in reading ? { treeErrors: reading.errors } : { treeCurve: reading.curve };
  };
  const rows = CONCEPT_NAMES.map((concept): ConceptLabelsRow => {
    const a = lexicalLabels[concept];
    const b = treeLabels[concept];
    let differ = 0;
    let posA = 0;
    let posB = 0;
    for (let i = 0; i < act.chars; i++) {
      if (a[i] !== b[i]) differ++;
      posA += a[i] > 0 ? 1 : 0;
      posB += b[i] > 0 ? 1 : 0;
    }
    return {
      concept,
      lexical: scoreOf(lexical, lexicalControl, concept),
      tree: scoreOf(tree, treeControl, concept),
      disagree: act.chars ? differ / act.chars : 0,
      ...(BINARY_CONCEPTS.includes(concept) ? { positives: { lexical: posA, tree: posB } } : {}),
      ...readingOf(concept),
    };
  });
  return { chars: act.chars, files: files.length, treeFiles, rows };
}

function scoreOf(real: ConceptFindings, random: ConceptFindings, concept: ConceptName): LabelledScore | null {
  const best = real[concept];
  const control = random[concept];
  if (!best || !control) return null;
  const score = (s: { auroc?: number; rho?: number }) => s.auroc ?? s.rho ?? 0;
  return { cell: describeCell(best), score: score(best), randomCell: describeCell(control), randomScore: score(control) };
}
