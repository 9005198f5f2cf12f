import { DataSplit, TextSource, rankByNameHash, splitTrainVal } from '../trainer/trainingData';
import { encode } from '../vocab';

export interface HeldOut {
  /** The held-out text exactly as the trainer validates on it. */
  bytes: Uint8Array;
  /** The whole files held out (empty when the split is the tail of the text). */
  files: TextSource[];
  by: DataSplit['valBy'];
}

/**
 * The trainer's validation text, plus which files it came from. The bytes
 * come from the trainer's own splitTrainVal, so a model compared on them is
 * compared on exactly what training validated on; the file list takes the
 * first files of its ranking (rankByNameHash) so named cells can be
 * re-found per file and language.
 */
export function heldOutOf(sources: readonly TextSource[], valFraction: number): HeldOut {
  const split = splitTrainVal([...sources], valFraction);
  if (split.valBy !== 'files') return { bytes: split.val, files: [], by: split.valBy };
  const files = rankByNameHash(sources).slice(0, split.valFiles);
  return { bytes: split.val, files, by: 'files' };
}

/** The same bytes splitTrainVal joins files into (each ends with a newline); used to check the mirror. */
export function joinedBytes(files: readonly TextSource[]): Uint8Array {
  return encode(files.map((f) => (f.text.endsWith('\n') ? f.text : f.text + '\n')).join(''));
}
