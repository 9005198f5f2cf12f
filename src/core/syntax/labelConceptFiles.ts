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

/** The file as given, with its concept labels (ready for findCellsForConcepts) and what made them. */
export type LabelledConceptFile<F extends ConceptFile = ConceptFile> = F & {
  labels: ConceptLabels;
  source: LabelSource;
};

/**
 * The six concepts of each file for `cells`: from its grammar's tree where
 * one is shipped and loads, else from the lexers of its language (and why).
 * A file without a name picks its grammar by its language (Java, C# and the
 * generic family have none). Files are parsed one after another: one tree
 * alive at a time. `parsers` are the caller's to reuse; without them a set
 * is made for this call and freed before it returns.
 */
export async function labelConceptFiles<F extends ConceptFile>(files: readonly F[], parsers?: SyntaxParsers): Promise<LabelledConceptFile<F>[]> {
  const own = parsers ? null : new SyntaxParsers();
  const using = parsers ?? (own as SyntaxParsers);
  try {
    const out: LabelledConceptFile<F>[] = [];
    for (const f of files) {
      const labelled = await labelText(f.text, f.name ?? f.language, using, { fallback: f.language, nodeTypes: false });
      out.push({ ...f, labels: labelled.concepts, source: labelled.source });
    }
    return out;
  } finally {
    own?.dispose();
  }
}
