import { Tree } from 'web-tree-sitter';
import { ConceptLabels } from '../concepts/conceptNames';
import { labelConcepts } from '../concepts/labelConcepts';
import { Language, languageForFile } from '../concepts/language';
import { GrammarName, grammarForFile } from './grammars';
import { SyntaxLabels, syntaxLabelsOf } from './syntaxLabels';
import { SyntaxParsers } from './syntaxParsers';
import { walkTree } from './walkTree';

/** Which node types of each grammar are the binary concepts (the lexer's definitions, read from the tree). */
interface ConceptNodes {
  /** String, char, raw-string and template literals, quotes and prefixes included. */
  strings: readonly string[];
  /** Code embedded in a literal (`${…}`, an f-string's `{…}`, `$(…)`), delimiters included: not in the string, as for the lexers. */
  substitutions: readonly string[];
  comments: readonly string[];
  /** Nodes with a `condition` field that is an if's: the concept runs from the node's start (the keyword) to the condition's end. */
  ifs: readonly string[];
  /** Nodes the grammar keeps as opaque text (a C macro's body): their characters keep the lexers' labels. */
  opaque?: readonly string[];
  /** Clauses whose condition has no field (shell's `elif`): the concept runs from the clause's start to the end of the last named child before its `then`. */
  ifsBeforeThen?: readonly string[];
}

const JS_NODES: ConceptNodes = { strings: ['string', 'template_string'], substitutions: ['template_substitution'], comments: ['comment'], ifs: ['if_statement'] };
const C_NODES: ConceptNodes = { strings: ['string_literal', 'char_literal', 'raw_string_literal'], substitutions: [], comments: ['comment'], ifs: ['if_statement'], opaque: ['preproc_arg'] };

const CONCEPT_NODES: Record<GrammarName, ConceptNodes> = {
  typescript: JS_NODES,
  tsx: JS_NODES,
  javascript: JS_NODES,
  python: { strings: ['string'], substitutions: ['interpolation'], comments: ['comment'], ifs: ['if_statement', 'elif_clause'] },
  c: C_NODES,
  cpp: C_NODES,
  go: { strings: ['interpreted_string_literal', 'raw_string_literal', 'rune_literal'], substitutions: [], comments: ['comment'], ifs: ['if_statement'] },
  rust: { strings: ['string_literal', 'raw_string_literal', 'char_literal'], substitutions: [], comments: ['line_comment', 'block_comment'], ifs: ['if_expression'] },
  bash: { strings: ['string', 'raw_string', 'ansi_c_string', 'translated_string'], substitutions: ['command_substitution'], comments: ['comment'], ifs: ['if_statement'], ifsBeforeThen: ['elif_clause'] },
};

/** The lexer family that labels a grammar's indentation, column and bracket depth (shell has none of its own). */
const LEXICAL_LANGUAGE: Record<GrammarName, Language> = {
  typescript: 'typescript',
  tsx: 'typescript',
  javascript: 'javascript',
  python: 'python',
  c: 'c',
  cpp: 'cpp',
  go: 'go',
  rust: 'rust',
  bash: 'generic',
};

/** What labelled a text: a grammar's syntax tree, or the lexical scanner (and why). */
export type LabelSource = { kind: 'tree-sitter'; grammar: GrammarName } | { kind: 'lexical'; reason: string };

export interface LabelledText {
  /** The six concepts: string, comment and if-condition from the tree; indentation, column and bracket depth lexical. */
  concepts: ConceptLabels;
  /** Every node type's characters; null when no tree was made (or nodeTypes was false). */
  syntax: SyntaxLabels | null;
  source: LabelSource;
}

/**
 * Overwrites the binary concepts of lexical labels with those read from a
 * tree, except inside text the grammar does not parse (C macro bodies),
 * where the lexers' stay. Indentation depth, column and bracket depth stay lexical: they are
 * the same from either, and the lexer already skips brackets in literals.
 */
export function conceptsFromTree(tree: Tree, grammar: GrammarName, text: string): ConceptLabels {
  const labels = labelConcepts(text, LEXICAL_LANGUAGE[grammar]);
  const nodes = CONCEPT_NODES[grammar];
  const strings = new Set(nodes.strings);
  const substitutions = new Set(nodes.substitutions);
  const comments = new Set(nodes.comments);
  const ifs = new Set(nodes.ifs);
  const inString = new Uint8Array(text.length);
  const inComment = new Uint8Array(text.length);
  const inIfCondition = new Uint8Array(text.length);
  const opaque = new Set(nodes.opaque ?? []);
  const beforeThen = new Set(nodes.ifsBeforeThen ?? []);
  // Per open clause of ifsBeforeThen (by its start): where its condition ends so far; deleted at its `then`.
  const conditionEnds = new Map<number, number>();
  // Document order visits a node before its children, so an inner node's fill wins: a string
  // inside a substitution inside a string is string again.
  walkTree(tree, (node) => {
    const end = Math.min(node.end, text.length);
    if (beforeThen.has(node.parentType) && conditionEnds.has(node.parentStart)) {
      if (node.type === 'then') {
        inIfCondition.fill(1, node.parentStart, conditionEnds.get(node.parentStart));
        conditionEnds.delete(node.parentStart);
      } else if (node.named) conditionEnds.set(node.parentStart, end);
    }
    if (!node.named) return;
    if (beforeThen.has(node.type)) conditionEnds.set(node.start, node.start);
    if (opaque.has(node.type)) {
      inString.set(labels.inString.subarray(node.start, end), node.start);
      inComment.set(labels.inComment.subarray(node.start, end), node.start);
      inIfCondition.set(labels.inIfCondition.subarray(node.start, end), node.start);
    }
    if (strings.has(node.type)) inString.fill(1, node.start, end);
    else if (substitutions.has(node.type)) inString.fill(0, node.start, end);
    else if (comments.has(node.type)) inComment.fill(1, node.start, end);
    if (node.field === 'condition' && ifs.has(node.parentType)) inIfCondition.fill(1, node.parentStart, end);
  });
  return { ...labels, inString, inComment, inIfCondition };
}

export interface LabelTextOptions {
  /** The lexer family used when no tree is made (default: the one languageForFile gives the name). */
  fallback?: Language;
  /** Also collect every node type's spans (default true); the six concepts alone skip them. */
  nodeTypes?: boolean;
}

/**
 * Labels a text for a file name or VS Code language id: from its grammar's
 * syntax tree when one loads, else from the hand-written lexers (and says
 * which, and why). Never throws for bad code: tree-sitter recovers from
 * errors and labels what it could parse.
 */
export async function labelText(text: string, nameOrLanguageId: string, parsers: SyntaxParsers, opts: LabelTextOptions = {}): Promise<LabelledText> {
  const grammar = grammarForFile(nameOrLanguageId);
  const fallback = opts.fallback ?? languageForFile(nameOrLanguageId);
  const lexical = (reason: string): LabelledText => ({ concepts: labelConcepts(text, fallback), syntax: null, source: { kind: 'lexical', reason } });
  if (!grammar) return lexical(`no tree-sitter grammar is shipped for ${nameOrLanguageId}`);
  const tree = await parsers.parse(grammar, text);
  if (!tree) return lexical(`the ${grammar} grammar did not load: ${parsers.failure(grammar) ?? 'the parse gave up'}`);
  try {
    const syntax = (opts.nodeTypes ?? true) ? syntaxLabelsOf(tree, grammar, text.length) : null;
    return { concepts: conceptsFromTree(tree, grammar, text), syntax, source: { kind: 'tree-sitter', grammar } };
  } finally {
    tree.delete();
  }
}
