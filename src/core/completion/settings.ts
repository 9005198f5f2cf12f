/**
 * The extension's settings as plain values, and their validation. VS Code
 * hands back whatever is in settings.json; every value is checked here, and
 * a wrong one falls back (to the default, or to the nearest bound for a
 * number out of range) with a message the host logs once.
 */

export interface LstmLensSettings {
  /** Master switch for inline completions. */
  enable: boolean;
  /** Model folder; '' = the bundled model. */
  modelPath: string;
  /** Language id → completions on/off; '*' is every other language. */
  languages: Readonly<Record<string, boolean>>;
  debounceMs: number;
  maxChars: number;
  beamWidth: number;
  multiline: boolean;
  maxLines: number;
  minCharProb: number;
  /** Cut suggestions where they save the most keystrokes on average; hide those expected to save less than this (0 = no cut). */
  minExpectedSaving: number;
  /** Mix in what followed the same characters earlier in the document (the document cache, documentMatch.ts). */
  documentMatch: boolean;
  /** Offer the names the document already uses once their first letters are typed (wordMemory.ts). */
  wordMemory: boolean;
  /**
   * With the word memory, also offer the names the workspace's other files
   * and open documents use (workspaceNames.ts); unset is off, for callers
   * that have no workspace.
   */
  workspaceNames?: boolean;
  /**
   * With the document cache, also match in the workspace's other files and
   * open documents where the document matches nothing (workspaceMatch.ts);
   * unset is off, for callers that have no workspace.
   */
  workspaceMatch?: boolean;
  /** Completions from a copy of the model that learns the typed text (dynamic evaluation, src/core/dynamicEval). */
  dynamicEvaluation: boolean;
}

/** The part of the settings that decides a completion's text (the cache key is made of it). */
export type SearchSettings = Pick<LstmLensSettings, 'maxChars' | 'beamWidth' | 'multiline' | 'maxLines' | 'minCharProb' | 'minExpectedSaving' | 'documentMatch' | 'wordMemory' | 'workspaceNames' | 'workspaceMatch'>;

type Spec =
  | { kind: 'boolean'; default: boolean }
  | { kind: 'string'; default: string }
  | { kind: 'integer' | 'number'; default: number; min: number; max: number }
  | { kind: 'languages'; default: Readonly<Record<string, boolean>> };

/** Setting name under `lstmLens.` → its spec, and the field of LstmLensSettings it fills. */
export const SETTING_SPECS = {
  enable: { key: 'enable', spec: { kind: 'boolean', default: true } },
  modelPath: { key: 'modelPath', spec: { kind: 'string', default: '' } },
  languages: {
    key: 'completion.languages',
    spec: { kind: 'languages', default: Object.freeze({ '*': true, plaintext: false, markdown: false, scminput: false }) },
  },
  debounceMs: { key: 'completion.debounceMs', spec: { kind: 'integer', default: 75, min: 0, max: 2000 } },
  maxChars: { key: 'completion.maxChars', spec: { kind: 'integer', default: 80, min: 1, max: 500 } },
  beamWidth: { key: 'completion.beamWidth', spec: { kind: 'integer', default: 1, min: 1, max: 16 } },
  multiline: { key: 'completion.multiline', spec: { kind: 'boolean', default: false } },
  maxLines: { key: 'completion.maxLines', spec: { kind: 'integer', default: 10, min: 1, max: 50 } },
  minCharProb: { key: 'completion.minCharProb', spec: { kind: 'number', default: 0, min: 0, max: 1 } },
  minExpectedSaving: { key: 'completion.minExpectedSaving', spec: { kind: 'number', default: 0.5, min: 0, max: 20 } },
  documentMatch: { key: 'completion.documentMatch', spec: { kind: 'boolean', default: true } },
  wordMemory: { key: 'completion.wordMemory', spec: { kind: 'boolean', default: true } },
  workspaceNames: { key: 'completion.workspaceNames', spec: { kind: 'boolean', default: true } },
  workspaceMatch: { key: 'completion.workspaceMatch', spec: { kind: 'boolean', default: true } },
  dynamicEvaluation: { key: 'completion.dynamicEvaluation', spec: { kind: 'boolean', default: false } },
} as const satisfies Record<keyof LstmLensSettings, { key: string; spec: Spec }>;

export const SETTINGS_SECTION = 'lstmLens';

export const DEFAULT_SETTINGS: Readonly<LstmLensSettings> = Object.freeze(
  Object.fromEntries(Object.entries(SETTING_SPECS).map(([field, { spec }]) => [field, spec.default])) as unknown as LstmLensSettings,
);

export interface ValidatedSettings {
  settings: LstmLensSettings;
  /** One line per value that was not used as given, naming the setting, the value and what is used instead. */
  problems: string[];
}

/**
 * Checks every setting. `read(key)` returns the raw value of
 * `lstmLens.<key>` (undefined when unset: the default, silently).
 */
export function validateSettings(read: (key: string) => unknown): ValidatedSettings {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [field, { key, spec }] of Object.entries(SETTING_SPECS) as [keyof LstmLensSettings, { key: string; spec: Spec }][]) {
    out[field] = validateOne(`${SETTINGS_SECTION}.${key}`, spec, read(key), problems);
  }
  return { settings: out as unknown as LstmLensSettings, problems };
}

function show(value: unknown): string {
  try {
    const s = JSON.stringify(value) ?? String(value);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    // Cycles, BigInt, or nesting deep enough to overflow the stack (String()
    // of a deep array overflows too): name the type rather than throw.
    return `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
  }
}

function validateOne(name: string, spec: Spec, value: unknown, problems: string[]): unknown {
  if (value === undefined || value === null) return spec.default;
  const fallBack = (expected: string) => {
    problems.push(`${name}: expected ${expected}, got ${show(value)}; using the default ${show(spec.default)}`);
    return spec.default;
  };
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? value : fallBack('true or false');
    case 'string':
      return typeof value === 'string' ? value.trim() : fallBack('a string');
    case 'integer':
    case 'number': {
      const what = `${spec.kind === 'integer' ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}`;
      if (typeof value !== 'number' || !Number.isFinite(value)) return fallBack(what);
      if (spec.kind === 'integer' && !Number.isInteger(value)) return fallBack(what);
      if (value < spec.min || value > spec.max) {
        const clamped = Math.min(spec.max, Math.max(spec.min, value));
        problems.push(`${name}: ${value} is outside ${spec.min}..${spec.max}; using ${clamped}`);
        return clamped;
      }
      return value;
    }
    case 'languages': {
      if (typeof value !== 'object' || Array.isArray(value)) return fallBack('an object of language id → true/false');
      const languages: Record<string, boolean> = {};
      for (const [language, on] of Object.entries(value as Record<string, unknown>)) {
        if (typeof on === 'boolean') languages[language] = on;
        else problems.push(`${name}: the value for ${show(language)} must be true or false, got ${show(on)}; ignoring it`);
      }
      return languages;
    }
  }
}

/**
 * Whether completions are on for a language: the master switch, then the
 * language's own entry, then '*', then on.
 */
export function completionEnabledFor(settings: Pick<LstmLensSettings, 'enable' | 'languages'>, languageId: string): boolean {
  if (!settings.enable) return false;
  const own = Object.prototype.hasOwnProperty.call(settings.languages, languageId) ? settings.languages[languageId] : undefined;
  return own ?? settings.languages['*'] ?? true;
}

/** The settings that change a completion's text, as a short cache key. */
export function searchKey(s: SearchSettings): string {
  return `${s.maxChars}/${s.beamWidth}/${s.multiline ? s.maxLines : 0}/${s.minCharProb}/${s.minExpectedSaving}/${s.documentMatch ? 'match' : 'model'}${s.wordMemory ? '+words' : ''}${s.wordMemory && s.workspaceNames ? '+workspace' : ''}${s.documentMatch && s.workspaceMatch ? '+workspace-match' : ''}`;
}
