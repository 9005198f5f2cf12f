import { Activations } from '../cells/activations';
import { randomEngineLike } from '../cells/randomEngineLike';
import { RecordOptions, RecordingEngine, recordActivations } from '../cells/recordActivations';
import { SyntaxFinding, findCellsForSyntax } from './findCellsForSyntax';
import { RecordedSyntaxOptions, syntaxLabelsForRecording } from './recordedSyntaxLabels';
import { LabelSource, labelText } from './treeConcepts';
import { SyntaxParsers } from './syntaxParsers';

export interface SyntaxSource {
  /** A file name or a VS Code language id: it picks the grammar. */
  name: string;
  text: string;
}

export interface CellsForSyntaxOptions extends RecordOptions, RecordedSyntaxOptions {
  /** The model's recording of these texts, when the caller already has it (same options). */
  recording?: Activations;
  /** Seed of the random-init control (default 1, as for the six concepts). */
  randomSeed?: number;
  /** Leave the control out (default: recorded). */
  randomBaseline?: boolean;
}

export interface CellsForSyntax {
  /** Per node type, best first, with the control beside each. */
  findings: SyntaxFinding[];
  /** What labelled each file: its grammar's tree, or the lexers (and why: such a file has no node types). */
  sources: LabelSource[];
}

/**
 * What a cells listing needs for some files (or the one open in the editor):
 * parses each with its grammar, records the model (unless given its
 * recording) and a random model of the same shape, and ranks every cell
 * against every node type of the files' grammars. Memory: one recording
 * besides the caller's at a time.
 */
export async function cellsForSyntax(engine: RecordingEngine, files: readonly SyntaxSource[], parsers: SyntaxParsers, opts: CellsForSyntaxOptions = {}): Promise<CellsForSyntax> {
  const labelled = await Promise.all(files.map((f) => labelText(f.text, f.name, parsers)));
  const texts = files.map((f) => f.text);
  const recording = opts.recording ?? recordActivations(engine, texts, opts);
  const labels = syntaxLabelsForRecording(
    recording.segments,
    labelled.map((l) => l.syntax),
    opts,
  );
  const control = (opts.randomBaseline ?? true) ? recordControl(engine, texts, recording, opts.randomSeed ?? 1) : undefined;
  return { findings: findCellsForSyntax(recording, labels, { control }), sources: labelled.map((l) => l.source) };
}

/**
 * The random model's recording of exactly the characters, layers and kinds
 * the model's recording holds (however it was made), so rows line up.
 */
function recordControl(engine: RecordingEngine, texts: readonly string[], recording: Activations, seed: number): Activations {
  const recorded = recording.segments.map((seg, k) => texts[k].slice(0, seg.end - seg.start));
  return recordActivations(randomEngineLike(engine, seed), recorded, {
    maxChars: recording.chars,
    layers: [...new Set(recording.tracks.map((t) => t.layer))],
    kinds: [...new Set(recording.tracks.map((t) => t.kind))],
  });
}
