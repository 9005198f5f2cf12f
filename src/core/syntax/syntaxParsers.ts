import { Language, Parser, Tree } from 'web-tree-sitter';
import { WasmSearch, readWasmFile } from './findWasmFile';
import { GRAMMAR_FILES, GrammarName, RUNTIME_FILE } from './grammars';

/** A grammar that could not be loaded, and why (shown beside lexical labels). */
export interface GrammarFailure {
  grammar: GrammarName;
  reason: string;
}

/** The runtime is one WebAssembly instance per process: started once, by whoever asks first. */
let runtime: Promise<void> | null = null;

function startRuntime(search: WasmSearch): Promise<void> {
  if (runtime) return runtime;
  const found = readWasmFile(RUNTIME_FILE, search);
  if (!found.bytes) return Promise.reject(new Error(`${RUNTIME_FILE.file} not found (looked in ${found.tried.join(', ')})`));
  // wasmBinary: the runtime is given its bytes, so it never fetches or looks for a file itself.
  runtime = Parser.init({ wasmBinary: found.bytes });
  runtime.catch(() => (runtime = null));
  return runtime;
}

/**
 * Tree-sitter parsers for the shipped grammars, loaded on first use and kept.
 * Every failure (runtime or grammar missing, ABI mismatch) is remembered and
 * reported, never thrown: callers fall back to the lexical scanner.
 */
export class SyntaxParsers {
  private readonly loading = new Map<GrammarName, Promise<Parser | null>>();
  private readonly parsers: Parser[] = [];
  private readonly failures = new Map<GrammarName, string>();

  constructor(private readonly search: WasmSearch = {}) {}

  /** A parser for the grammar, or null (see failure()) when it cannot be loaded. */
  parserFor(grammar: GrammarName): Promise<Parser | null> {
    // One load per grammar, even when several files ask at once.
    let loading = this.loading.get(grammar);
    if (!loading) this.loading.set(grammar, (loading = this.load(grammar)));
    return loading;
  }

  private async load(grammar: GrammarName): Promise<Parser | null> {
    try {
      await startRuntime(this.search);
      const found = readWasmFile(GRAMMAR_FILES[grammar], this.search);
      if (!found.bytes) throw new Error(`${GRAMMAR_FILES[grammar].file} not found (looked in ${found.tried.join(', ')})`);
      const language = await Language.load(found.bytes);
      const parser = new Parser();
      parser.setLanguage(language);
      this.parsers.push(parser);
      return parser;
    } catch (err) {
      this.failures.set(grammar, err instanceof Error ? err.message : String(err));
      return null;
    }
  }

  /** Why a grammar did not load, or undefined when it did (or was never asked for). */
  failure(grammar: GrammarName): string | undefined {
    return this.failures.get(grammar);
  }

  /** Parses a text; null when the grammar cannot be loaded or the parse gives up. The caller deletes the tree. */
  async parse(grammar: GrammarName, text: string): Promise<Tree | null> {
    const parser = await this.parserFor(grammar);
    return parser ? parser.parse(text) : null;
  }

  /** Frees the parsers (the runtime stays for the process). */
  dispose(): void {
    for (const p of this.parsers) p.delete();
    this.parsers.length = 0;
    this.loading.clear();
  }
}
