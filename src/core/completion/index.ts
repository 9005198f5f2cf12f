// Types are re-exported with `export type` so that transpile-only builds can drop them.
export type { CompleteAtOptions, Completion, CompletionStop } from './completeAt';
export { completeAt, feedText, indentWidth, isClosingLine, startAfter, trimRepetition } from './completeAt';
export type { CacheableCompletion } from './completionCache';
export { CompletionCache } from './completionCache';
export type { CompletionRequest, CompletionSource, ServedCompletion } from './completionService';
export { CompletionService, mayGrow } from './completionService';
export type { DocumentStatesOptions, DocumentStatesStats } from './documentStates';
export { DEFAULT_DOCUMENT_STATES_OPTIONS, DocumentStates } from './documentStates';
export { cutBeforeSuffix, lineSuffixAllowsCompletion } from './lineSuffix';
export type { LstmLensSettings, SearchSettings, ValidatedSettings } from './settings';
export { DEFAULT_SETTINGS, SETTINGS_SECTION, SETTING_SPECS, completionEnabledFor, searchKey, validateSettings } from './settings';
export type { TextSource } from './textSource';
export { MAX_LINE_SCAN, TextChangedError, linePrefixAt, lineSuffixAt } from './textSource';
export type { WorkspaceNamesParams } from './workspaceNames';
export { WORKSPACE_NAMES_PARAMS, WorkspaceNames } from './workspaceNames';
export type { WorkspaceNameIndex } from './wordMemory';
export { NameIndex } from './wordMemory';
export { WORKSPACE_MATCH_MAX_CHARS, WorkspaceMatchIndex, WorkspaceTexts } from './workspaceMatch';
