import { CellsForConcepts, ConceptSource } from '../../core/cells/findCellsForConcepts';
import { ConceptName } from '../../core/concepts/conceptNames';
import { Engine } from '../../core/engine';
import { SparseDictionary } from '../../core/features/dictionary';
import { DictionaryInfo, checkDictionaryFitsModel, loadDictionary } from '../../core/features/dictionaryFile';
import { dictionaryPathOf, modelFolderOf } from '../../core/features/dictionaryManifest';
import { FeaturesForConcepts, findFeaturesForConcepts } from '../../core/features/findFeaturesForConcepts';
import { FeatureScore } from '../../core/features/labelFeatures';
import { stateMatrixOf } from '../../core/features/stateMatrix';
import { Model } from '../../core/model/modelFiles';
import { UsageError } from '../args';

export interface CellsFeatures extends FeaturesForConcepts {
  file: string;
}

export interface CellsDictionary {
  file: string;
  dict: SparseDictionary;
  info: DictionaryInfo;
}

/** The dictionary --features uses: --dictionary FILE, or the one the manifest lists; checked against the model before anything is recorded. */
export async function dictionaryForCells(model: Model, location: string, dictionaryFile: string | undefined): Promise<CellsDictionary> {
  const file = dictionaryFile ?? dictionaryPathOf(modelFolderOf(location), model.manifest);
  if (!file) throw new UsageError('--features: the model lists no dictionary; train one with lstm-lens features train --model DIR --out DIR/features.dict FILE..., or name one with --dictionary FILE');
  const { dict, info } = await loadDictionary(file);
  checkDictionaryFitsModel(info, dict, model.layout.spec, model.params, JSON.stringify(file));
  return { file, dict, info };
}

/**
 * `cells --features`: the dictionary's features labelled on the same
 * recording as the cells, beside a dictionary of the same size trained on a
 * random model's states.
 */
export async function featuresForCells(
  engine: Engine,
  model: Model,
  { file, dict, info }: CellsDictionary,
  result: CellsForConcepts,
  sources: readonly ConceptSource[],
  onProgress?: (message: string) => void,
): Promise<CellsFeatures> {
  if (!result.activations) throw new Error('the recording was not kept');
  const states = stateMatrixOf(result.activations, model.layout.spec);
  const found = await findFeaturesForConcepts(engine, dict, states, sources, {
    randomTraining: { epochs: info.training.epochs, seed: info.training.seed },
    onProgress,
  });
  return { ...found, file };
}

/** concepts.<name>.feature of the JSON output: the best feature, and the random model's dictionary's best. */
export function featureJson(found: CellsFeatures, name: ConceptName) {
  const best = found.concepts[name];
  if (!best) return null;
  const random = found.randomBaseline?.concepts[name];
  return { ...scoreJson(best), ...(random ? { random: scoreJson(random) } : {}) };
}

function scoreJson(s: FeatureScore) {
  return { index: s.index, ...(s.auroc !== undefined ? { auroc: round(s.auroc) } : {}), rho: round(s.rho), fires: s.fires };
}

/** One line per concept for the text output. */
export function featureLine(found: CellsFeatures, name: ConceptName): string {
  const best = found.concepts[name];
  if (!best) return '';
  const random = found.randomBaseline?.concepts[name];
  const score = (s: FeatureScore) => (s.auroc !== undefined ? `AUROC ${s.auroc.toFixed(3)}, ` : '') + `ρ ${s.rho.toFixed(3)}`;
  return `${''.padEnd(14)} feature ${String(best.index).padEnd(9)} ${score(best)}${random ? `  (random model's dictionary: ${score(random)})` : ''}`;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
