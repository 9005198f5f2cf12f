import { CONCEPT_NAMES } from '../concepts/conceptNames';
import { ModelManifest, NamedCell } from '../model/manifest';
import { CellsForConcepts } from './findCellsForConcepts';

/**
 * Writes the best cell per concept into manifest.cells under the concept's
 * name, with its scores (r; sign-free AUROC or Spearman rho), the random model's best score for the same concept
 * and how many characters it was measured on. Other names in manifest.cells
 * are kept; a concept with no finding keeps its old entry. Returns the
 * manifest (changed in place).
 */
export function storeNamedCells(manifest: ModelManifest, results: CellsForConcepts): ModelManifest {
  const cells: Record<string, NamedCell> = { ...(manifest.cells ?? {}) };
  const measuredAt = new Date().toISOString();
  for (const name of CONCEPT_NAMES) {
    const best = results.concepts[name];
    if (!best) continue;
    const random = results.randomBaseline?.[name];
    cells[name] = {
      layer: best.layer,
      cell: best.cell,
      kind: best.kind,
      r: round(best.r),
      ...(best.auroc !== undefined ? { auroc: round(best.auroc) } : {}),
      ...(best.rho !== undefined ? { rho: round(best.rho) } : {}),
      sign: best.sign,
      ...(random
        ? {
            randomR: round(random.r),
            ...(random.auroc !== undefined ? { randomAuroc: round(random.auroc) } : {}),
            ...(random.rho !== undefined ? { randomRho: round(random.rho) } : {}),
          }
        : {}),
      chars: results.chars,
      measuredAt,
    };
  }
  manifest.cells = cells;
  return manifest;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
