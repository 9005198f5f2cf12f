/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {}

export interface FlagSpec {
  /** Flags that take a value, with their kind. */
  values: Record<string, 'string' | 'int' | 'number'>;
  /** Flags that are on/off. */
  switches: string[];
}

export interface ParsedArgs {
  flags: Record<string, string | number | boolean>;
  positional: string[];
}

/** Parses `--name value`, `--name=value` and `--switch`; unknown flags are errors. */
export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if (spec.switches.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const kind = spec.values[name];
    if (!kind) throw new UsageError(`unknown flag --${name}`);
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    if (kind === 'string') flags[name] = raw;
    else {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v) || (kind === 'int' && !Number.isInteger(v))) {
        throw new UsageError(`--${name} must be ${kind === 'int' ? 'an integer' : 'a number'}, not ${JSON.stringify(raw)}`);
      }
      flags[name] = v;
    }
  }
  return { flags, positional };
}

export function str(a: ParsedArgs, name: string): string | undefined {
  const v = a.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function num(a: ParsedArgs, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const v = a.flags[name];
  const n = typeof v === 'number' ? v : fallback;
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, not ${n}`);
  return n;
}

export function requireStr(a: ParsedArgs, name: string): string {
  const v = str(a, name);
  if (v === undefined) throw new UsageError(`--${name} is required`);
  return v;
}
