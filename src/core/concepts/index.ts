export { BINARY_CONCEPTS, CONCEPT_NAMES } from './conceptNames';
export type { ConceptLabels, ConceptName } from './conceptNames';
export { DEFAULT_INDENT_UNIT, detectIndentUnit } from './indentation';
export { labelConcepts } from './labelConcepts';
export { languageForFile } from './language';
export type { Language } from './language';
