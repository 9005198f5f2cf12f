import { ConceptLabels } from './conceptNames';
import { detectIndentUnit, markIndentDepth, markLinePosition } from './indentation';
import { markIfConditions } from './ifConditions';
import { Language } from './language';
import { COMMENT, STRING, scanLexical } from './lexicalScan';
import { expandToOriginal, normaliseNewlines } from './lineEndings';
import { syntaxFor } from './syntax';

/**
 * Ground-truth concept labels for every character of a text, from a small
 * lexical scanner (not the model). Never throws; each array is exactly
 * text.length long; CRLF reads like LF (the CR gets the line end's labels).
 */
export function labelConcepts(text: string, language: Language): ConceptLabels {
  const { text: s, offsetMap } = normaliseNewlines(text);
  const syntax = syntaxFor(language);
  const n = s.length;
  const scan = scanLexical(s, syntax);

  const inString = new Uint8Array(n);
  const inComment = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = scan.region[i];
    inString[i] = r === STRING ? 1 : 0;
    inComment[i] = r === COMMENT ? 1 : 0;
  }
  const inIfCondition = new Uint8Array(n);
  markIfConditions(s, scan, syntax.ifCondition, inIfCondition);
  const indentDepth = new Uint16Array(n);
  markIndentDepth(s, detectIndentUnit(s, scan.region), indentDepth);
  const linePosition = new Uint16Array(n);
  markLinePosition(s, linePosition);

  const u8 = (a: Uint8Array) => expandToOriginal(a, offsetMap, (k) => new Uint8Array(k));
  const u16 = (a: Uint16Array) => expandToOriginal(a, offsetMap, (k) => new Uint16Array(k));
  return {
    inString: u8(inString),
    inComment: u8(inComment),
    indentDepth: u16(indentDepth),
    inIfCondition: u8(inIfCondition),
    linePosition: u16(linePosition),
    bracketDepth: u16(scan.depth),
  };
}
