import { ConceptLabels } from '../concepts/conceptNames';
import { Language } from '../concepts/language';
import { LabelSource, labelText } from './treeConcepts';
import { SyntaxParsers } from './syntaxParsers';

/** A file as the concept search takes it: a name (its extension picks the grammar) and its lexer family. */
export interface ConceptFile {
  name?: string;
  text: string;
  language: Language;
}

export interface LabelledConceptFile {
  labels: ConceptLabels;
  source: LabelSource;
}

/**
 * The six concepts of each file for `cells`: from its grammar's tree where
 * one is shipped and loads, else from the lexers of its language (and why).
 * A file without a name picks its grammar by its language (Java, C# and the
 * generic family have none). Files are parsed one after another: one tree
 * alive at a time.
 */
export async function labelConceptFiles(files: readonly ConceptFile[], parsers: SyntaxParsers): Promise<LabelledConceptFile[]> {
  const out: LabelledConceptFile[] = [];
  for (const f of files) {
    const labelled = await labelText(f.text, f.name ?? f.language, parsers, { fallback: f.language, nodeTypes: false });
    out.push({ labels: labelled.concepts, source: labelled.source });
  }
  return out;
}
