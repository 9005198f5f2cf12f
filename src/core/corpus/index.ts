// The training-corpus selection module: which files of a workspace an LSTM
// Lens model learns from. No `vscode` import, so the CLI can use it too.

export * from './collectCorpus';
export * from './contentCheck';
export * from './sourceFiles';
export * from './reindent';
export * from './repeatFiles';
