import * as fc from 'fast-check';

/**
 * Run settings shared by the property-based (fuzz) tests.
 *
 * The seed is NOT fixed: every run (CI included) explores new inputs. When a
 * property fails, fast-check prints the seed and the shrunk counterexample;
 * `FUZZ_SEED=<seed> npm test` replays that run exactly. `FUZZ_RUNS=<factor>`
 * multiplies every numRuns for a longer local session (e.g. FUZZ_RUNS=50).
 */
export function fuzzParams<T>(numRuns: number): fc.Parameters<T> {
  const factor = Number(process.env.FUZZ_RUNS ?? '1');
  const seed = process.env.FUZZ_SEED;
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(factor) && factor > 0 ? factor : 1))),
    ...(seed !== undefined && seed !== '' ? { seed: Number(seed) } : {}),
  };
}

/**
 * Text that looks like source code often enough to reach the interesting
 * branches (quotes, comments, brackets, CR/LF, keywords), mixed with any
 * UTF-16 code units (lone surrogates included).
 */
export function codeLikeText(maxLength = 200): fc.Arbitrary<string> {
  const tokens = fc.constantFrom(
    '"', "'", '`', '\\', '/', '*', '/*', '*/', '//', '#', '\n', '\r', '\r\n', '\t', '    ', ' ',
    '(', ')', '[', ']', '{', '}', ':', ';', ',', 'if ', 'elif ', 'else', 'r"', 'r#"', '"#', '"""', "'''",
    '${', 'f"', '@"', 'R"(', ')"', 'x', 'a1', '0', '\uFFFD', '\uD800', 'é',
  );
  return fc.oneof(
    fc.array(tokens, { maxLength }).map((parts) => parts.join('')),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.constantFrom('\n', '\r', ' ', '\t', 'a', '"', '{', '}', '(', ')'), maxLength }),
  );
}
