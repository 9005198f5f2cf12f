// Types are re-exported with `export type` so that transpile-only builds can drop them.
export type { BeamOptions } from './beamSearch';
export { WHITESPACE_ALTERNATIVE_RATIO, beamSearch } from './beamSearch';
export { greedySearch } from './greedySearch';
export type { SampleOptions, SampleResult, SampleStopReason } from './sampleText';
export { DEFAULT_CHUNK_CHARS, sampleStream, sampleText } from './sampleText';
export type { SearchResult } from './searchResult';
export type { CharStopReason, CompiledStopRules, StopReason, StopRules } from './stopRules';
export { DEFAULT_STOP_RULES, compileStopRules, resolveStopRules } from './stopRules';
