import { describeCell } from '../cells/activations';
import { ConceptCellNow } from './conceptCellsAtValidation';

/** One line of the training view's concept table, as plain text (the view sets it with textContent). */
export interface ConceptCellRow {
  concept: string;
  cell: string;
  /** `AUROC 0.912` for yes/no concepts, `ρ −0.874` for counts. */
  score: string;
  /** The random-init control's best score for the concept, or '' when it has none. */
  random: string;
}

/** The rows of a validation's concept cells, each beside the control's score for the same concept. */
export function conceptCellRows(cells: readonly ConceptCellNow[], random: readonly ConceptCellNow[]): ConceptCellRow[] {
  return cells.map((c) => {
    const control = random.find((r) => r.concept === c.concept);
    return { concept: c.concept, cell: describeCell(c), score: scoreText(c), random: control ? `random ${scoreText(control)}` : '' };
  });
}

function scoreText(c: ConceptCellNow): string {
  if (c.auroc !== undefined) return `AUROC ${c.auroc.toFixed(3)}`;
  return c.rho !== undefined ? `ρ ${c.rho.toFixed(3).replace('-', '−')}` : '';
}
