// Which file and folder names count as source code, judged from the name
// alone (content is judged in contentCheck.ts).
//
// Patterns (used by `include`, `exclude`, `skipFiles` and `minifiedFiles`)
// are deliberately simpler than .gitignore:
//   - `.ext`, a leading dot and no `*`, `?` or `/`: the name ends with it,
//     ignoring case. `.txt`, `.d.ts`, `.min.js`, also a dotfile `.bashrc`.
//   - no `/`: a glob on the base name, e.g. `*.spec.ts`, `Makefile`.
//   - with `/`: a glob on the whole path relative to the root, e.g.
//     `src/generated/**`, `**/fixtures/*.json`. A leading `/` is ignored.
// In globs `*` matches within one path segment, `**` across segments (and
// `**/` may match no folder at all), `?` one character; the rest is literal.
// Globs are case-sensitive, like .gitignore on Linux.
// `exclude` is tested against files and folders; `include` only against files.

/** Why a name was refused. A subset of the corpus SkipReason. */
export type NameSkipReason = 'ignored-folder' | 'not-source' | 'minified';

export type NameVerdict = { take: true } | { take: false; reason: NameSkipReason; detail: string };

export interface SourceFileRules {
  /** Name endings that mark source code, e.g. `.ts`. Compared ignoring case. */
  sourceExtensions: readonly string[];
  /** Folder names (exact, any depth) that are never entered. */
  skipFolders: readonly string[];
  /** Patterns for files that are not source even with a source extension, e.g. lockfiles. */
  skipFiles: readonly string[];
  /** Patterns for files whose name says they are minified or bundled. */
  minifiedFiles: readonly string[];
  /** Extra patterns for files to take although their extension is not listed. */
  include: readonly string[];
  /** Patterns for files and folders to leave out although they would be taken. */
  exclude: readonly string[];
}

export const DEFAULT_SOURCE_EXTENSIONS: readonly string[] = [
  // TypeScript, JavaScript and web front ends
  '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.vue', '.svelte',
  '.css', '.scss', '.sass', '.less',
  // Python
  '.py', '.pyi',
  // C, C++, Objective-C, CUDA and their headers
  '.c', '.h', '.cc', '.cpp', '.cxx', '.c++', '.hh', '.hpp', '.hxx', '.h++', '.inl', '.ipp',
  '.m', '.mm', '.cu', '.cuh',
  // JVM
  '.java', '.kt', '.kts', '.scala', '.sc', '.groovy', '.clj', '.cljs', '.cljc',
  // .NET
  '.cs', '.fs', '.fsx', '.vb',
  // Systems and compiled
  '.go', '.rs', '.swift', '.dart', '.zig', '.nim',
  // Scripting
  '.rb', '.rake', '.php', '.pl', '.pm', '.lua', '.r', '.jl',
  '.sh', '.bash', '.zsh', '.fish', '.ps1', '.psm1',
  // Functional
  '.hs', '.ml', '.mli', '.ex', '.exs', '.erl', '.hrl', '.elm',
  // Other
  '.sql', '.sol', '.glsl', '.hlsl', '.wgsl',
];

export const DEFAULT_SKIP_FOLDERS: readonly string[] = [
  // version control
  '.git', '.hg', '.svn',
  // dependencies
  'node_modules', 'bower_components', 'jspm_packages', 'vendor', '.venv', 'venv', 'site-packages', 'Pods',
  // build output
  'dist', 'build', 'out', 'target', 'obj', '.next', '.nuxt', '.svelte-kit', '.gradle', 'DerivedData',
  // caches and tool state
  '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.cache', '.parcel-cache', '.turbo',
  // reports
  'coverage', '.nyc_output',
];

/** Lockfiles and other machine-written files that are not worth learning from. */
export const DEFAULT_SKIP_FILES: readonly string[] = [
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb',
  'Cargo.lock', 'Gemfile.lock', 'poetry.lock', 'Pipfile.lock', 'uv.lock', 'composer.lock',
  'go.sum', 'mix.lock', 'pubspec.lock', 'Podfile.lock', 'packages.lock.json', 'flake.lock',
];

export const DEFAULT_MINIFIED_FILES: readonly string[] = [
  '.min.js', '.min.mjs', '.min.css', '-min.js', '.bundle.js', '.chunk.js',
];

export const DEFAULT_SOURCE_FILE_RULES: Readonly<SourceFileRules> = {
  sourceExtensions: DEFAULT_SOURCE_EXTENSIONS,
  skipFolders: DEFAULT_SKIP_FOLDERS,
  skipFiles: DEFAULT_SKIP_FILES,
  minifiedFiles: DEFAULT_MINIFIED_FILES,
  include: [],
  exclude: [],
};

/** Name rules compiled once for a walk. Paths are relative to a root and use `/`. */
export interface SourceFilter {
  classifyFile(relPath: string): NameVerdict;
  classifyFolder(relPath: string): NameVerdict;
}

export function createSourceFilter(rules: SourceFileRules): SourceFilter {
  const extensions = rules.sourceExtensions.map((ext) => (ext.startsWith('.') ? ext : `.${ext}`).toLowerCase());
  const skipFolders = new Set(rules.skipFolders);
  const skipFiles = compilePatterns(rules.skipFiles);
  const minifiedFiles = compilePatterns(rules.minifiedFiles);
  const include = compilePatterns(rules.include);
  const exclude = compilePatterns(rules.exclude);

  return {
    classifyFile(relPath: string): NameVerdict {
      const excludedBy = firstMatch(exclude, relPath);
      if (excludedBy) return skip('not-source', `excluded by pattern '${excludedBy}'`);
      const minifiedBy = firstMatch(minifiedFiles, relPath);
      if (minifiedBy) return skip('minified', `name matches '${minifiedBy}'`);
      const skippedBy = firstMatch(skipFiles, relPath);
      if (skippedBy) return skip('not-source', `name matches '${skippedBy}' (lockfile or generated)`);
      if (firstMatch(include, relPath)) return { take: true };

      const name = baseName(relPath).toLowerCase();
      if (extensions.some((ext) => name.endsWith(ext))) return { take: true };
      const dot = name.lastIndexOf('.');
      return skip('not-source', dot > 0 ? `extension '${name.slice(dot)}' is not a source extension` : 'no source extension');
    },

    classifyFolder(relPath: string): NameVerdict {
      const name = baseName(relPath);
      if (skipFolders.has(name)) return skip('ignored-folder', `'${name}' folders are always skipped`);
      // A trailing slash lets `dir/**` match the folder itself, not only its files.
      const excludedBy = firstMatch(exclude, relPath) ?? firstMatch(exclude, `${relPath}/`);
      if (excludedBy) return skip('ignored-folder', `excluded by pattern '${excludedBy}'`);
      return { take: true };
    },
  };
}

function skip(reason: NameSkipReason, detail: string): NameVerdict {
  return { take: false, reason, detail };
}

interface CompiledPattern {
  source: string;
  matches(relPath: string): boolean;
}

function compilePatterns(patterns: readonly string[]): CompiledPattern[] {
  return patterns.map((source) => ({ source, matches: compileNamePattern(source) }));
}

/** The first pattern that matches, by its source text, or undefined. */
function firstMatch(patterns: readonly CompiledPattern[], relPath: string): string | undefined {
  return patterns.find((pattern) => pattern.matches(relPath))?.source;
}

/** Turns one pattern (syntax at the top of this file) into a test on a `/`-separated relative path. */
export function compileNamePattern(pattern: string): (relPath: string) => boolean {
  if (pattern.startsWith('.') && !/[*?/]/.test(pattern)) {
    const suffix = pattern.toLowerCase();
    return (relPath) => baseName(relPath).toLowerCase().endsWith(suffix);
  }
  if (!pattern.includes('/')) {
    const regex = globToRegExp(pattern);
    return (relPath) => regex.test(baseName(relPath));
  }
  const regex = globToRegExp(pattern.replace(/^\/+/, ''));
  return (relPath) => regex.test(relPath);
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

function baseName(relPath: string): string {
  const trimmed = relPath.endsWith('/') ? relPath.slice(0, -1) : relPath;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
