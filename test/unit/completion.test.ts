import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchCompletion } from '../../src/bench/completionBench';
import { autoClosedSuffix } from '../../src/core/completion/typingView';
import {
  CompletionCache,
  CompletionService,
  DEFAULT_SETTINGS,
  DocumentStates,
  SETTING_SPECS,
  SearchSettings,
  completeAt,
  completionEnabledFor,
  cutBeforeSuffix,
  lineSuffixAllowsCompletion,
  MAX_LINE_SCAN,
  lineSuffixAt,
  linePrefixAt,
  mayGrow,
  trimRepetition,
  validateSettings,
} from '../../src/core/completion';
import { newManifest } from '../../src/core/model/manifest';
import { saveModel } from '../../src/core/model/modelFiles';
import { initParams, makeRng, paramLayout } from '../../src/core/params';
import { VOCAB_SIZE } from '../../src/core/vocab';
import { CountingModel, ScriptModel, tinyEngine } from './helpers/tinyModels';



function randomCode(length: number, seed: number): string {
  const rng = makeRng(seed);
  const words = ['let', 'y', '=', 'bar(', ')', ';', '{', '}', 'return', '\n', '\n    ', 'ü', '"s"'];
  let s = '';
  while (s.length < length) s += words[Math.floor(rng() * words.length)] + (rng() < 0.5 ? ' ' : '');
  return s.slice(0, length);
}

const SEARCH: SearchSettings = { maxChars: 80, beamWidth: 1, multiline: false, maxLines: 10, minCharProb: 0.02, minExpectedSaving: 0, documentMatch: false, wordMemory: false };
const never = () => false;

/** Completes at the end of `prefix` (plus `suffix` after the cursor) with a model that knows `script`. */
async function completeScript(script: string, prefix: string, settings: Partial<SearchSettings> = {}, suffix = '') {
  const model = new ScriptModel(script);
  const states = new DocumentStates(model);
  return completeAt(model, states, 'doc', prefix + suffix, prefix.length, { ...SEARCH, ...settings }, never);
}

describe('completion: line suffix rule', () => {
  it('completes at the end of a line or before closing brackets, quotes, ; and ,', () => {
    for (const suffix of ['', '   ', ')', ')]}', ');', '",', "')", '`;', ' ) ', '\t'])
      assert.strictEqual(lineSuffixAllowsCompletion(suffix), true, JSON.stringify(suffix));
  });
  it('stays quiet in the middle of code or on an overlong line', () => {
    for (const suffix of ['x', 'foo()', ') + 1', '(', '= 2', ' // note', '.then()'])
      assert.strictEqual(lineSuffixAllowsCompletion(suffix), false, JSON.stringify(suffix));
    assert.strictEqual(lineSuffixAllowsCompletion(null), false);
  });
  it('reads the rest of the line and the line start around an offset (LF and CRLF)', () => {
    const text = 'ab\r\ncd)\r\nef';
    assert.strictEqual(lineSuffixAt(text, 6), ')');
    assert.strictEqual(lineSuffixAt(text, 2), '');
    assert.strictEqual(lineSuffixAt(text, 10), 'f');
    assert.strictEqual(linePrefixAt(text, 7), 'cd)');
    assert.strictEqual(lineSuffixAt('x'.repeat(10_000), 5), null, 'an overlong line');
    const nearlyFull = 'x'.repeat(MAX_LINE_SCAN - 1);
    assert.strictEqual(lineSuffixAt(nearlyFull + '\r\nnext', 0), nearlyFull, 'a CRLF at the edge of the scan window still ends the line');
  });
  it('cuts a completion where the existing suffix takes over', () => {
    assert.strictEqual(cutBeforeSuffix('bar(1), 2);', ')'), 'bar(1), 2');
    assert.strictEqual(cutBeforeSuffix('hello world");', '")'), 'hello world');
    assert.strictEqual(cutBeforeSuffix('a[0]]', ']'), 'a[0]');
    assert.strictEqual(cutBeforeSuffix('x + 1', ''), 'x + 1');
    assert.strictEqual(cutBeforeSuffix('1 }', ')'), '1 ', 'an unmatched closer of another kind cuts too');
  });
});

describe('completion: completeAt', () => {
  it('stops at the end of the line', async () => {
    const c = await completeScript('const x = foo(1);\nconst y = 2;\n', 'const x = ');
    assert.ok(c);
    assert.strictEqual(c.text, 'foo(1);');
    assert.strictEqual(c.stop, 'newline');
    assert.strictEqual(c.lines, 1);
  });

  it('gives the same text with beam search', async () => {
    const c = await completeScript('const x = foo(1);\nconst y = 2;\n', 'const x = ', { beamWidth: 4 });
    assert.strictEqual(c?.text, 'foo(1);');
  });

  it('respects maxChars', async () => {
    const long = 'let s = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP";\n';
    for (const beamWidth of [1, 3]) {
      const c = await completeScript(long, 'let s = ', { maxChars: 12, beamWidth });
      assert.strictEqual(c?.text, '"abcdefghijk');
      assert.strictEqual(c?.stop, 'length');
    }
  });

  it('never proposes only whitespace', async () => {
    assert.strictEqual(await completeScript('x = 1;    \ny', 'x = 1;'), undefined);
    assert.strictEqual(await completeScript('x = 1;    \ny', 'x = 1;', { beamWidth: 3 }), undefined);
    // Whatever a random model says: never whitespace only.
    const engine = tinyEngine(41);
    const states = new DocumentStates(engine);
    const text = randomCode(3000, 43);
    let shown = 0;
    for (let offset = 0; offset <= text.length; offset += 37) {
      for (const beamWidth of [1, 3]) {
        const c = await completeAt(engine, states, 'rnd', text, offset, { ...SEARCH, beamWidth, minCharProb: 0 }, never);
        if (!c) continue;
        shown++;
        assert.match(c.text, /\S/, `offset ${offset}`);
        assert.ok(!c.text.includes('\n'), 'one line');
        assert.ok(c.text.length <= SEARCH.maxChars);
      }
    }
    assert.ok(shown > 0);
  });

  it('completes only where the rest of the line allows it, and cuts before the suffix', async () => {
    const script = 'foo(bar(1), 2);\n';
    assert.strictEqual(await completeScript(script, 'foo(', {}, 'x)'), undefined);
    const c = await completeScript(script, 'foo(', {}, ')');
    assert.strictEqual(c?.text, 'bar(1), 2');
    assert.strictEqual(c?.stop, 'suffix');
  });

  it('cuts a looping completion after its first round', () => {
    assert.strictEqual(trimRepetition(' is not set is not set is not set is no'), ' is not set');
    assert.strictEqual(trimRepetition('x = 0000000;'), 'x = 0000000;');
    assert.strictEqual(trimRepetition('// -----------'), '// -----------');
    assert.strictEqual(trimRepetition('f(a, b, a, b)'), 'f(a, b, a, b)');
  });

  describe('multi-line', () => {
    const script = 'if (ready) {\n  start();\n  wait();\n}\nnext();\n';

    it('continues through the block a line opens, with its closing line', async () => {
      const c = await completeScript(script, 'if (ready) {', { multiline: true });
      assert.strictEqual(c?.text, '\n  start();\n  wait();\n}');
      assert.strictEqual(c?.stop, 'block-end');
      assert.strictEqual(c?.lines, 4);
    });

    it('completes the opening line itself, then the block', async () => {
      const c = await completeScript(script, 'if (re', { multiline: true, beamWidth: 3 });
      assert.strictEqual(c?.text, 'ady) {\n  start();\n  wait();\n}');
    });

    it('stops before a dedented line that does not close the block (Python)', async () => {
      const c = await completeScript('def f(x):\n    y = x + 1\n    return y\nprint(f(2))\n', 'def f(x', { multiline: true });
      assert.strictEqual(c?.text, '):\n    y = x + 1\n    return y');
    });

    it('stops at the line cap', async () => {
      const body = Array.from({ length: 20 }, (_, i) => `  call${i}();`).join('\n');
      const c = await completeScript(`function f() {\n${body}\n}\n`, 'function f() {', { multiline: true, maxLines: 4 });
      assert.strictEqual(c?.text, '\n  call0();\n  call1();\n  call2();');
      assert.strictEqual(c?.stop, 'line-cap');
    });

    it('stays one line when the line opens no block', async () => {
      const c = await completeScript('const a = 1;\nconst b = 2;\n', 'const a', { multiline: true });
      assert.strictEqual(c?.text, ' = 1;');
      assert.strictEqual(c?.lines, 1);
    });

    it('stays one line before a closing-bracket suffix', async () => {
      const c = await completeScript('run(() => {\n  go();\n});\n', 'run(', { multiline: true }, ')');
      assert.strictEqual(c?.lines, 1);
      assert.ok(!c?.text.includes('\n'));
    });
  });

  it('completes after the suggest widget\'s selected item', async () => {
    const model = new ScriptModel('console.log("hi");\n');
    const states = new DocumentStates(model);
    // The document has `console.lo`, the widget would replace `lo` (8..10) with `log`.
    const c = await completeAt(model, states, 'doc', 'console.lo', 10, SEARCH, never, { selected: { start: 8, text: 'log' } });
    assert.strictEqual(c?.text, '("hi");');
  });

  it('returns nothing once cancelled', async () => {
    const model = new ScriptModel('abc def\n');
    const states = new DocumentStates(model);
    assert.strictEqual(await completeAt(model, states, 'doc', 'abc', 3, SEARCH, () => true), undefined);
  });
});

describe('completion: cache', () => {
  it('hits by (document, version, offset, key) only', () => {
    const cache = new CompletionCache<{ text: string }>();
    cache.set('a', 3, 10, 'k', { text: 'foo()' });
    assert.deepStrictEqual(cache.get('a', 3, 10, 'k'), { text: 'foo()' });
    assert.strictEqual(cache.get('a', 4, 10, 'k'), undefined, 'another version');
    assert.strictEqual(cache.get('a', 3, 11, 'k'), undefined, 'another offset');
    assert.strictEqual(cache.get('a', 3, 10, 'other settings'), undefined);
    assert.strictEqual(cache.get('b', 3, 10, 'k'), undefined, 'another document');
    assert.strictEqual(cache.hits, 1);
  });

  it('serves the rest of a completion the user is typing through, until an edit before it', () => {
    const cache = new CompletionCache<{ text: string }>();
    const rebuild = (_: { text: string }, rest: string) => ({ text: rest });
    cache.set('a', 1, 4, 'k', { text: 'bar(1);' });
    assert.deepStrictEqual(cache.continuation('a', 'foo(bar', 7, 'k', rebuild), { text: '(1);' });
    assert.strictEqual(cache.continuation('a', 'foo(baz', 7, 'k', rebuild), undefined, 'typed something else');
    assert.strictEqual(cache.continuation('a', 'foo(bar(1);', 11, 'k', rebuild), undefined, 'typed all of it');
    cache.edit('a', 2);
    assert.strictEqual(cache.continuation('a', 'foo(bar', 7, 'k', rebuild), undefined, 'edited before it');
  });

  it('bounds the exact entries (least recently used go)', () => {
    const cache = new CompletionCache<{ text: string }>(3);
    for (let i = 0; i < 5; i++) cache.set('a', 1, i, 'k', { text: String(i) });
    assert.strictEqual(cache.size, 3);
    assert.strictEqual(cache.get('a', 1, 0, 'k'), undefined);
    assert.ok(cache.get('a', 1, 4, 'k'));
  });

  it('answers a repeated request without stepping the model', async () => {
    const model = new CountingModel(tinyEngine(47));
    const service = new CompletionService(model);
    const text = randomCode(800, 53) + '\n';
    const request = { docId: 'd', version: 5, text, offset: text.length };
    const first = await service.complete(request, { ...SEARCH, minCharProb: 0 }, never);
    assert.strictEqual(first?.source, 'search');
    const steps = model.steps;
    const again = await service.complete(request, { ...SEARCH, minCharProb: 0 }, never);
    assert.strictEqual(again?.source, 'cache');
    assert.deepStrictEqual(again?.completion, first?.completion);
    assert.strictEqual(model.steps, steps);
  });

  it('serves a typed-through completion from the service', async () => {
    const model = new ScriptModel('const value = compute(42);\n');
    const service = new CompletionService(model);
    const first = await service.complete({ docId: 'd', version: 1, text: 'const value = ', offset: 14 }, SEARCH, never);
    assert.strictEqual(first?.completion.text, 'compute(42);');
    service.edit('d', 2, 14);
    const typed = service.lookup({ docId: 'd', version: 2, text: 'const value = comp', offset: 18 }, SEARCH);
    assert.strictEqual(typed?.source, 'typed-through');
    assert.strictEqual(typed?.completion.text, 'ute(42);');
  });
  it('grows a typed-through completion that was cut short: a search from the new offset goes on past it', async () => {
    const model = new ScriptModel('const value = compute(42);\n');
    const service = new CompletionService(model);
    const capped = { ...SEARCH, maxChars: 6 };
    const first = await service.complete({ docId: 'd', version: 1, text: 'const value = ', offset: 14 }, capped, never);
    assert.deepStrictEqual([first?.completion.text, first?.completion.stop], ['comput', 'length']);
    service.edit('d', 2, 14);
    const request = { docId: 'd', version: 2, text: 'const value = co', offset: 16 };
    const typed = service.lookup(request, capped);
    assert.ok(typed && mayGrow(typed), 'the rest of a completion cut by the length cap may grow');
    assert.strictEqual(typed.completion.text, 'mput');
    const grown = await service.grow(request, capped, typed, never);
    assert.deepStrictEqual([grown.source, grown.completion.text], ['search', 'mpute(']);
    // The grown answer is what the cache holds there now, and what typing on goes through.
    assert.strictEqual((await service.complete(request, capped, never))?.completion.text, 'mpute(');
    service.edit('d', 3, 16);
    assert.strictEqual(service.lookup({ docId: 'd', version: 3, text: 'const value = com', offset: 17 }, capped)?.completion.text, 'pute(');
  });

  it('keeps a typed-through completion that reached the end of the line, and one whose search is cancelled', async () => {
    const model = new CountingModel(new ScriptModel('const value = compute(42);\n'));
    const service = new CompletionService(model);
    await service.complete({ docId: 'd', version: 1, text: 'const value = ', offset: 14 }, SEARCH, never);
    service.edit('d', 2, 14);
    const steps = model.steps;
    const whole = await service.complete({ docId: 'd', version: 2, text: 'const value = co', offset: 16 }, SEARCH, never);
    assert.deepStrictEqual([whole?.source, whole?.completion.text, whole?.completion.stop], ['typed-through', 'mpute(42);', 'newline']);
    assert.strictEqual(model.steps, steps, 'a completion that ended at the newline is not searched again');

    const capped = { ...SEARCH, maxChars: 6 };
    const other = new CompletionService(new ScriptModel('const value = compute(42);\n'));
    await other.complete({ docId: 'd', version: 1, text: 'const value = ', offset: 14 }, capped, never);
    other.edit('d', 2, 14);
    const cancelled = await other.complete({ docId: 'd', version: 2, text: 'const value = co', offset: 16 }, capped, () => true);
    assert.deepStrictEqual([cancelled?.source, cancelled?.completion.text], ['typed-through', 'mput']);
  });
});

describe('completion: settings', () => {
  it('uses the defaults for unset values, silently', () => {
    const { settings, problems } = validateSettings(() => undefined);
    assert.deepStrictEqual(settings, DEFAULT_SETTINGS);
    assert.deepStrictEqual(problems, []);
  });

  it('falls back to the default on a wrong type, with one message each', () => {
    const raw: Record<string, unknown> = {
      enable: 'yes',
      'completion.beamWidth': '4',
      'completion.debounceMs': 12.5,
      'completion.multiline': true,
      'completion.maxChars': 1e6,
      'completion.languages': { python: false, go: 'off' },
      modelPath: 42,
    };
    const { settings, problems } = validateSettings((key) => raw[key]);
    assert.strictEqual(settings.enable, true);
    assert.strictEqual(settings.beamWidth, DEFAULT_SETTINGS.beamWidth);
    assert.strictEqual(settings.debounceMs, DEFAULT_SETTINGS.debounceMs);
    assert.strictEqual(settings.multiline, true);
    assert.strictEqual(settings.maxChars, 500, 'out of range: the nearest bound');
    assert.deepStrictEqual(settings.languages, { python: false });
    assert.strictEqual(settings.modelPath, '');
    assert.strictEqual(problems.length, 6, problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('lstmLens.completion.beamWidth: expected an integer from 1 to 16, got "4"')));
    assert.ok(problems.every((p) => p.startsWith('lstmLens.')));
  });

  it('turns completions on per language: master switch, own entry, "*", on', () => {
    const languages = { '*': true, markdown: false };
    assert.strictEqual(completionEnabledFor({ enable: true, languages }, 'python'), true);
    assert.strictEqual(completionEnabledFor({ enable: true, languages }, 'markdown'), false);
    assert.strictEqual(completionEnabledFor({ enable: false, languages }, 'python'), false);
    assert.strictEqual(completionEnabledFor({ enable: true, languages: { '*': false, go: true } }, 'go'), true);
    assert.strictEqual(completionEnabledFor({ enable: true, languages: { '*': false, go: true } }, 'rust'), false);
    assert.strictEqual(completionEnabledFor({ enable: true, languages: {} }, 'constructor'), true, 'no prototype keys');
    for (const language of ['plaintext', 'markdown', 'scminput']) assert.strictEqual(completionEnabledFor(DEFAULT_SETTINGS, language), false);
  });

  it('matches package.json: every setting declared, with the same default', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const declared = pkg.contributes.configuration.properties as Record<string, { default: unknown; type: string }>;
    for (const { key, spec } of Object.values(SETTING_SPECS)) {
      const entry = declared[`lstmLens.${key}`];
      assert.ok(entry, `lstmLens.${key} is declared`);
      assert.deepStrictEqual(entry.default, spec.default, `lstmLens.${key} default`);
    }
  });
});

describe('completion: latency benchmark (benchCompletion)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-bench-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('knows what an editor auto-closes while a line is typed', () => {
    assert.strictEqual(autoClosedSuffix('foo(bar[1, "x'), '"])');
    assert.strictEqual(autoClosedSuffix('foo(bar[1])'), '');
    assert.strictEqual(autoClosedSuffix("// it's {"), '}', 'no quote after a letter');
    assert.strictEqual(autoClosedSuffix('x = "(" + ('), ')', 'brackets inside a string do not count');
  });

  it('replays typing with one step per keystroke and times the requests', async () => {
    const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [16] });
    await saveModel(path.join(dir, 'model'), { layout, params: initParams(layout, 59), manifest: newManifest(layout.spec, 'tiny') });
    const file = path.join(dir, 'sample.ts');
    fs.writeFileSync(file, 'function add(a, b) {\n  return a + b;\n}\n'.repeat(20));
    const r = await benchCompletion({ modelDir: path.join(dir, 'model'), file, beam: 2, maxChars: 20 });
    assert.strictEqual(r.typed, fs.readFileSync(file, 'utf8').length);
    assert.strictEqual(r.requests, r.typed, 'every keystroke asks (the line suffix is empty or closers)');
    assert.strictEqual(r.keystroke.stepsPerKeystroke, 1);
    assert.ok(r.p50Ms <= r.p95Ms && r.p95Ms <= r.maxMs);
    assert.strictEqual(r.searched.count + r.typedThrough <= r.requests, true);
  });

  it('with dynamic evaluation, swaps adapted weights in after each learned window, times each swap, and completes what it learned', async () => {
    const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [16] });
    await saveModel(path.join(dir, 'model-dyn'), { layout, params: initParams(layout, 67), manifest: newManifest(layout.spec, 'tiny') });
    const file = path.join(dir, 'repeat.ts');
    fs.writeFileSync(file, 'xy'.repeat(600) + '\n');
    // The model alone: no document cache or word memory to complete the repeats for it.
    const base = { modelDir: path.join(dir, 'model-dyn'), file, beam: 1, maxChars: 20, minExpectedSaving: 0, documentMatch: false, wordMemory: false };
    const plain = await benchCompletion(base);
    const adapted = await benchCompletion({ ...base, dynamicEval: true });
    assert.strictEqual(plain.weightSwaps, undefined);
    const windows = Math.floor(adapted.typed / 50);
    assert.ok(adapted.weightSwaps && adapted.weightSwaps.count >= windows - 1 && adapted.weightSwaps.count <= windows, `${adapted.weightSwaps?.count} swaps for ${windows} windows`);
    assert.ok(adapted.weightSwaps.maxMs > 0);
    assert.ok(adapted.matchedChars > plain.matchedChars + 100, `learned the repeated line: ${adapted.matchedChars} matched characters against ${plain.matchedChars}`);
  });

  it('with --workspace, offers the names of the folder’s other files and never the typed file’s own', async () => {
    const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [16] });
    await saveModel(path.join(dir, 'model-ws'), { layout, params: initParams(layout, 61), manifest: newManifest(layout.spec, 'tiny') });
    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    const file = path.join(project, 'typed.ts');
    fs.writeFileSync(file, 'const total = parseUnits(a);\n');
    fs.writeFileSync(path.join(project, 'units.ts'), 'export function parseUnits(v) { return parseUnits(v) + parseUnits(1); }\n');
    const plain = await benchCompletion({ modelDir: path.join(dir, 'model-ws'), file, beam: 1, maxChars: 4 });
    assert.strictEqual(plain.workspaceNames, undefined);
    const r = await benchCompletion({ modelDir: path.join(dir, 'model-ws'), file, beam: 1, maxChars: 4, workspaceDir: project });
    assert.strictEqual(r.workspaceNames?.files, 1, 'the typed file is left out of its own workspace');
    assert.strictEqual(r.workspaceNames?.names, 5, 'export function parseUnits v return');
    assert.ok(r.exactMatches > plain.exactMatches, `parseUnits is completed from the other file: ${r.exactMatches} exact matches against ${plain.exactMatches}`);
    fs.rmSync(path.join(project, 'units.ts'));
    await assert.rejects(benchCompletion({ modelDir: path.join(dir, 'model-ws'), file, beam: 1, maxChars: 4, workspaceDir: project }), /no source file besides/);
  });
});
