/**
 * The panel's view as a standalone HTML file: the window's text once per
 * track, colored like the panel: the same limits, and colorScale's steps and colors. heatmapHtml escapes every piece of text and
 * allows no script; this only maps the panel's tracks onto it. No vscode import.
 */
import { heatmapHtml } from '../../core/cells/heatmapHtml';
import { TrackPayload } from './protocol';

export interface ExportInput {
  fileName: string;
  /** The recorded window's text; track values start at its first character. */
  text: string;
  tracks: readonly TrackPayload[];
  modelName: string;
  /** Where the window sits in the file, when it is not the whole file. */
  note?: string;
}

export function exportHeatmapHtml(input: ExportInput): string {
  const subtitle = [`Model: ${input.modelName}.`, 'Blue is negative, red positive; hover a character for its value.', input.note ?? ''].filter(Boolean).join(' ');
  return heatmapHtml({
    title: `LSTM Lens heatmap: ${input.fileName}`,
    subtitle,
    files: [{ name: input.fileName, text: input.text, tracks: input.tracks.map((t) => ({ label: t.label, values: t.values, limit: t.limit })) }],
  });
}
