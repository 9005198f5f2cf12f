import { CorpusFile, collectCorpus } from '../core/corpus';
import { splitByPathHash } from '../core/workspaceTraining/pathSplit';

/** A project's files as the workspace benches split them. */
export interface ProjectSplit {
  /** All the source files the corpus rules take. */
  files: number;
  /** The 80%: what a run learns from (trains on, or reads names from). */
  learn: CorpusFile[];
  /** The 20%: never learned from. */
  heldOut: CorpusFile[];
  /** The first `keystrokeChars` characters of the held-out files, whole files from their start: what the typing replay types. */
  typed: string[];
}

/**
 * A project folder read with the corpus rules and split by path hash
 * (bench workspace and bench workspace-names share it, so the same project
 * is split the same way in both).
 */
export async function splitProject(dir: string, keystrokeChars: number, heldOutFraction = 0.2, signal?: AbortSignal): Promise<ProjectSplit> {
  const corpus = await collectCorpus([dir], {}, signal);
  if (corpus.files.length < 2) throw new Error(`${dir} has ${corpus.files.length} source file(s); the benchmark needs at least 2 (one to learn from, one held out)`);
  const split = splitByPathHash(corpus.files, (f) => f.relPath, heldOutFraction);
  return { files: corpus.files.length, learn: split.train, heldOut: split.heldOut, typed: capped(split.heldOut.map((f) => f.text), keystrokeChars) };
}

/** The first `cap` characters of the texts, taken whole from their starts in order. */
function capped(texts: string[], cap: number): string[] {
  const out: string[] = [];
  let left = cap;
  for (const text of texts) {
    if (left <= 0) break;
    const piece = text.slice(0, left);
    out.push(piece);
    left -= piece.length;
  }
  return out;
}
