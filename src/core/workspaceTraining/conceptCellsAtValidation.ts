import * as path from 'path';
import { CellsForConcepts, ConceptSource, findCellsForConcepts } from '../cells/findCellsForConcepts';
import { CellKind } from '../cells/activations';
import { CONCEPT_NAMES, ConceptName } from '../concepts/conceptNames';
import { languageForFile } from '../concepts/language';
import { Engine } from '../engine';
import { createFastestOps } from '../kernels/wasmOps';
import { newManifest } from '../model/manifest';
import { ParamLayout, initParams } from '../params';
import { labelConceptFiles, labelSummary } from '../syntax';
import { TextSource } from '../trainer/trainingData';

/** A concept's best cell at one validation (or in the random-init control). */
export interface ConceptCellNow {
  concept: ConceptName;
  layer: number;
  cell: number;
  kind: CellKind;
  /** Yes/no concepts: sign-free AUROC. */
  auroc?: number;
  /** Counts: Spearman ρ. */
  rho?: number;
}

/** The held-out characters the concept cells are found on, labelled once for the whole run. */
export interface ConceptSlice {
  files: ConceptSource[];
  chars: number;
  /** What labelled the slice (see labelSummary): tree-sitter, the lexers, or both. */
  labelledBy: string;
  /** The control's best cell per concept on the same characters: what a random network of the same shape already "has". */
  random: ConceptCellNow[];
}

/**
 * Cuts the first `maxChars` characters of the held-out files (whole files
 * first, the last one cut) and labels them once: from tree-sitter where a
 * grammar loads, else the lexers. The random control is measured here too,
 * once, since it does not change while the model trains. Null when there is
 * nothing to measure on.
 */
export async function prepareConceptSlice(heldOut: readonly TextSource[], layout: ParamLayout, maxChars: number): Promise<ConceptSlice | null> {
  const cut: { name: string; text: string }[] = [];
  let chars = 0;
  for (const f of heldOut) {
    if (chars >= maxChars) break;
    const text = f.text.slice(0, maxChars - chars);
    if (text.length === 0) continue;
    cut.push({ name: f.name, text });
    chars += text.length;
  }
  if (chars === 0) return null;
  const sources = cut.map((f) => ({ name: f.name, text: f.text, language: languageForFile(path.basename(f.name)) }));
  const files = await labelConceptFiles(sources);
  const labelledBy = labelSummary(files.map((f) => f.source));
  // Seed 1: the same control as `lstm-lens cells`.
  const control = new Engine({ layout, params: initParams(layout, 1), manifest: newManifest(layout.spec, 'random baseline') }, createFastestOps());
  return { files, chars, labelledBy, random: bestPerConcept(findCellsIn(control, files, chars)) };
}

/**
 * The best cell per concept of the weights as they are at a validation, on
 * the slice. Runs in the training worker, between steps: one recording of
 * `slice.chars` characters and one ranking, no probe, no control.
 */
export function conceptCellsAt(layout: ParamLayout, params: Float32Array, slice: ConceptSlice): ConceptCellNow[] {
  // Fresh kernels each time: an engine's weights live in its kernels' arena, which is freed with it.
  const engine = new Engine({ layout, params, manifest: newManifest(layout.spec, 'concepts') }, createFastestOps());
  return bestPerConcept(findCellsIn(engine, slice.files, slice.chars));
}

function findCellsIn(engine: Engine, files: ConceptSource[], chars: number): CellsForConcepts {
  return findCellsForConcepts(engine, files, { maxChars: chars, randomBaseline: false, probe: false, top: 1 });
}

/** The concepts that vary on the slice, in CONCEPT_NAMES order (a constant one has no cell). */
function bestPerConcept(found: CellsForConcepts): ConceptCellNow[] {
  const out: ConceptCellNow[] = [];
  for (const concept of CONCEPT_NAMES) {
    const best = found.concepts[concept];
    if (!best) continue;
    out.push({ concept, layer: best.layer, cell: best.cell, kind: best.kind, ...(best.auroc !== undefined ? { auroc: best.auroc } : {}), ...(best.rho !== undefined ? { rho: best.rho } : {}) });
  }
  return out;
}
