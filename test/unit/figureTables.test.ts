import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The repository root: nearest ancestor holding scripts/figure-tables.js. */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts', 'figure-tables.js'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

const ROOT = repoRoot();

/** A scratch repository: the script, package.json (today's defaults) and the given files. */
function scratch(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'figure-tables-'));
  for (const rel of ['scripts/figure-tables.js', 'scripts/model-card-tables.js', 'package.json']) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, rel), path.join(dir, rel));
  }
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function run(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js'), ...args], { encoding: 'utf8' });
}

const PROVENANCE = { command: 'node dist/cli.js bench host-lag --json', settings: null, weights: null, machine: 'Test CPU, 2 cores', date: '2026-12-01T00:00:00.000Z' };
const HOST_LAG = { p50Ms: 10.1, p99Ms: 10.9, maxMs: 13.5, charsPerSecond: 9661, cliCharsPerSecond: 9777, workerOverCli: 0.988, inProcess: { p50Ms: 209.4, p99Ms: 237.5, maxMs: 237.5 }, idle: { p50Ms: 10.1, p99Ms: 10.2, maxMs: 11.1 }, threads: 1, seconds: 20, corpusChars: 787170 };
const REGION = '<!-- figures:host-lag lag.json -->\n<!-- /figures:host-lag -->\n';

describe('scripts/figure-tables.js: the docs\' figures come from bench/results/', () => {
  it('every figures region of README.md, bench/README.md, the model card and the CHANGELOG is up to date', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'figure-tables.js'), '--check'], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
  });

  it('every derived result file (means, differences, text sizes) is what its committed sources give', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'derive-results.js'), '--check'], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
  });

  it('derives a model\'s size from its manifest\'s shapes and its weights file, and the corpus sizes from the split summary', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { modelSize, corpusSplitSizes } = require(path.join(ROOT, 'scripts', 'derive-results.js'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'derive-results-'));
    try {
      fs.mkdirSync(path.join(dir, 'm'));
      const weights = [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [5] }, { name: 'c', shape: [2, 2, 2] }];
      fs.writeFileSync(path.join(dir, 'm', 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['w.bin'], weights }], userDefinedMetadata: { lstmLens: { createdAt: '2026-01-01' } } }));
      fs.writeFileSync(path.join(dir, 'm', 'w.bin'), Buffer.alloc(50));
      const size = modelSize(dir, 'm');
      assert.strictEqual(size.parameters, 12 + 5 + 8);
      assert.strictEqual(size.bytes, 50);
      assert.strictEqual(size.bytesPerParameter, 2);
      assert.strictEqual(size.provenance.date, '2026-01-01');
      fs.mkdirSync(path.join(dir, 'corpus'));
      const split = { languages: { shell: { train: { packages: 3, files: 7, bytes: 2_500_000 }, validation: { packages: 1 }, test: { packages: 2 } } } };
      fs.writeFileSync(path.join(dir, 'corpus', 'split-summary.json'), JSON.stringify(split));
      assert.deepStrictEqual(corpusSplitSizes(dir, null).train.shell, { packages: 3, files: 7, bytes: 2_500_000, megabytes: 2.5 });
      assert.deepStrictEqual(corpusSplitSizes(dir, null).packages, { train: 3, all: 6 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a region from its result file, and --check then fails when the table is edited by hand', () => {
    const dir = scratch({ 'README.md': `# x\n\n${REGION}`, 'bench/results/lag.json': JSON.stringify({ ...HOST_LAG, provenance: PROVENANCE }) });
    try {
      assert.strictEqual(run(dir, '--check').status, 1, 'an empty region is stale');
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const written = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(written, /\| \*\*training in the worker\*\* \| 10\.1 \| \*\*10\.9\*\* \| 13\.5 \| \*\*9,661\*\* \|/);
      assert.match(written, /`bench\/results\/lag\.json`: `node dist\/cli\.js bench host-lag --json`; random weights; Test CPU, 2 cores; 2026-12-01/);
      assert.strictEqual(run(dir, '--check').status, 0);
      fs.writeFileSync(path.join(dir, 'README.md'), written.replace('**10.9**', '**9.9**'));
      const stale = run(dir, '--check');
      assert.strictEqual(stale.status, 1);
      assert.match(stale.stderr, /README\.md: figures:host-lag lag\.json is stale/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a result file that does not say where it came from', () => {
    const dir = scratch({ 'README.md': REGION, 'bench/results/lag.json': JSON.stringify(HOST_LAG) });
    try {
      const r = run(dir, '--check');
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, /bench\/results\/lag\.json has no provenance/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('figures inside sentences (<!-- fig:FILE#PATH FORMAT -->)', () => {
    const WORKSPACE = { projects: [{ before: { bitsPerChar: 1.7289, keystrokesSaved: 0.35385 }, after: { bitsPerChar: 1.2786 } }], chars: 1005271, reach: [0.5, 2.2e-7], rho: -0.7823 };
    const fig = (p: string, format: string, text = '') => `<!-- fig:ws.json#${p} ${format} -->${text}<!-- /fig -->`;

    it('writes each figure from its file in the format named, and --check then names a figure edited by hand, with its file and line', () => {
      const sentence = `bits/char went from ${fig('projects.0.before.bitsPerChar', 'f3', '1.7')} to ${fig('projects.0.after.bitsPerChar', 'f3')}, keystrokes saved ${fig('projects.0.before.keystrokesSaved', 'pct1')}, ${fig('chars', 'int')} characters, ${fig('projects.0.before.bitsPerChar/projects.0.after.bitsPerChar', 'x2')} fewer bits, ρ ${fig('rho', 'f3')}, a reach of ${fig('reach.1/reach.0', 'sci')}.`;
      const dir = scratch({ 'bench/README.md': `# x\n\n${sentence}\n`, 'bench/results/ws.json': JSON.stringify({ ...WORKSPACE, provenance: PROVENANCE }) });
      try {
        const before = run(dir, '--check');
        assert.strictEqual(before.status, 1);
        assert.match(before.stderr, /bench\/README\.md:3: fig:ws\.json#projects\.0\.before\.bitsPerChar f3 is stale \(the text said "1\.7", the file gives "1\.729"\)/);
        execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
        const written = fs.readFileSync(path.join(dir, 'bench/README.md'), 'utf8');
        const shown = written.replace(/<!-- \/?fig[^>]*-->/g, '');
        assert.strictEqual(shown, '# x\n\nbits/char went from 1.729 to 1.279, keystrokes saved 35.4%, 1,005,271 characters, 1.35× fewer bits, ρ −0.782, a reach of 4·10⁻⁷.\n');
        assert.strictEqual(run(dir, '--check').status, 0);
        fs.writeFileSync(path.join(dir, 'bench/README.md'), written.replace('-->1.279<', '-->1.28<'));
        const stale = run(dir, '--check');
        assert.strictEqual(stale.status, 1);
        assert.match(stale.stderr, /bench\/README\.md:3: fig:ws\.json#projects\.0\.after\.bitsPerChar f3 is stale \(the text said "1\.28", the file gives "1\.279"\)/);
        assert.doesNotMatch(stale.stderr, /keystrokesSaved/, 'only the edited figure is named');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('names the file and the path when the path is not in the file, and the file when it does not exist', () => {
      const dir = scratch({ 'README.md': `# x\n\nSaved ${fig('projects.1.after.keystrokesSaved', 'pct1', '38.2%')} of keystrokes.\n`, 'bench/results/ws.json': JSON.stringify({ ...WORKSPACE, provenance: PROVENANCE }) });
      try {
        const r = run(dir, '--check');
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /README\.md:3: fig:ws\.json#projects\.1\.after\.keystrokesSaved pct1: bench\/results\/ws\.json has no projects\.1\.after\.keystrokesSaved \(no "1" in projects\)/);
        fs.writeFileSync(path.join(dir, 'README.md'), '# x\n\nSaved <!-- fig:gone.json#a.b f1 -->1.0<!-- /fig --> and <!-- fig:ws.json#chars f9 -->1<!-- /fig -->.\n');
        assert.match(run(dir, '--check').stderr, /README\.md:3: fig:gone\.json#a\.b f1: bench\/results\/gone\.json does not exist/);
        fs.writeFileSync(path.join(dir, 'README.md'), '# x\n\nSaved <!-- fig:ws.json#chars f9 -->1<!-- /fig -->.\n');
        assert.match(run(dir, '--check').stderr, /README\.md:3: fig:ws\.json#chars f9: unknown format "f9"/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a figure from a result file that does not say where it came from', () => {
      const dir = scratch({ 'CHANGELOG.md': `- Faster: ${fig('chars', 'int', '1,005,271')} characters.\n`, 'bench/results/ws.json': JSON.stringify(WORKSPACE) });
      try {
        const r = run(dir, '--check');
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /CHANGELOG\.md:1: fig:ws\.json#chars int: bench\/results\/ws\.json has no provenance/);
        assert.strictEqual(run(dir).status, 1, 'nor is it written');
        assert.ok(fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8').includes('-->1,005,271<'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a figure it could not check: broken over two lines, or starting a line (Markdown would take it for an HTML block)', () => {
      const dir = scratch({ 'README.md': `# x\n\nRead ${fig('chars', 'int', '1,005,271').replace('<!-- /fig', '<!-- /fig\n')} characters.\n`, 'bench/results/ws.json': JSON.stringify({ ...WORKSPACE, provenance: PROVENANCE }) });
      try {
        assert.match(run(dir, '--check').stderr, /README\.md:3: a <!-- fig: --> mark without its <!-- \/fig --> on the same line/);
        fs.writeFileSync(path.join(dir, 'README.md'), `# x\n\nRead\n  ${fig('chars', 'int', '1,005,271')} characters.\n`);
        assert.match(run(dir, '--check').stderr, /README\.md:4: fig:ws\.json#chars int: a figure must not start its line/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('marks a run made with other completion settings than today\'s defaults, unless its command asked for them', () => {
    const run1 = { count: 10, p50Ms: 0.2, p95Ms: 0.7, p99Ms: 1, maxMs: 13, meanMs: 0.3, searched: { count: 4, p50Ms: 0.4, p95Ms: 0.9, p99Ms: 1.3, maxMs: 13, meanMs: 0.5 }, keystroke: { p50Us: 34, p95Us: 53, p99Us: 91, maxUs: 4155, meanUs: 39 }, typed: 10, requests: 10, typedThrough: 3, exactMatches: 2, matchedChars: 9 };
    const settings = { beamWidth: 1, maxChars: 80, multiline: false, maxLines: 10, minCharProb: 0, minExpectedSaving: 0.5, documentMatch: true };
    const weights = { file: 'weights-0123456789ab.bin', sha256: '0123456789ab' };
    const old = { ...run1, provenance: { ...PROVENANCE, command: 'lstm-lens bench completion --json', settings: { ...settings, beamWidth: 4, minCharProb: 0.4 }, weights } };
    const asked = { ...run1, provenance: { ...PROVENANCE, command: 'lstm-lens bench completion --no-document-match --json', settings: { ...settings, documentMatch: false }, weights } };
    const dir = scratch({
      'README.md': '<!-- figures:completion old.json="old" asked.json="no cache" -->\n<!-- /figures:completion -->\n',
      'bench/results/old.json': JSON.stringify(old),
      'bench/results/asked.json': JSON.stringify(asked),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(text, /\*\*Not re-measured under today's defaults\*\*: `old\.json` ran with beam 4, floor 0\.4/);
      assert.doesNotMatch(text, /`asked\.json` ran with/);
      assert.match(text, /\| request, no cache \| 10 \| 0\.20 ms \| 0\.70 ms \|/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('the model card\'s regions (scripts/model-card-tables.js)', () => {
    const provenance = (weights: string) => ({ command: 'node dist/cli.js eval --model m --json <test files>', weights, date: '2026-12-02T00:00:00.000Z', machine: 'Test CPU, 2 cores, Node v20' });
    /** Result files of one model in bench/results/DIR: bits/char `bpc` as is and +0.01 per style after it, keystrokes saved `keys`. */
    function model(files: Record<string, string>, dir: string, lang: string, bpc: number, keys: number, extra: { baseline?: boolean } = {}) {
      const put = (kind: string, r: object) => (files[`bench/results/${dir}/${lang}.${kind}.json`] = JSON.stringify({ ...r, provenance: provenance(`weights-${dir}.bin`) }));
      put('bpc', { files: ['a', 'b'], chars: 12345, bitsPerChar: bpc, top1: 0.7, ...(extra.baseline ? { xzBitsPerChar: 2, baseline: { bitsPerChar: 1.9, top1: 0.65 } } : {}) });
      put('keys', { chars: 2000, keystrokesSaved: keys, ...(extra.baseline ? { baseline: { keystrokesSaved: 0.36 } } : {}) });
      // With the document cache (eval --document-match): 0.4 lower, the 6-gram with it 0.05 above the model alone.
      put('cache', { chars: 12345, bitsPerChar: bpc - 0.4, baseline: { bitsPerChar: bpc - 0.05 } });
      // Fewer characters with tabs or 2 spaces, as re-indenting 4-space code gives.
      const chars: Record<string, number> = { asis: 4000, tab: 3000, '2': 3500, '4': 3900, '8': 5000 };
      for (const [i, style] of ['asis', 'tab', '2', '4', '8'].entries()) put(style, { chars: chars[style], bitsPerChar: bpc + i / 100 });
    }
    const FOLDERS = 'card="LSTM" card-stage1="stage 1" card-previous="previous model"';
    function cardFiles(folders = FOLDERS): Record<string, string> {
      const files: Record<string, string> = {
        'models/default/MODEL_CARD.md': ['test', 'style', 'cache', 'targets'].map((k) => `<!-- figures:card-${k} ${folders} -->\n<!-- /figures:card-${k} -->\n`).join('') + '<!-- figures:card-validation sweep -->\n<!-- /figures:card-validation -->\n',
      };
      model(files, 'card', 'go', 1.4, 0.4);
      model(files, 'card-stage1', 'go', 1.6, 0.38);
      model(files, 'card-previous', 'go', 2.5, 0.3, { baseline: true });
      // Two candidates on the validation packages of every language; "b" lacks shell.
      const langs = ['typescript', 'javascript', 'python', 'c', 'cpp', 'go', 'rust', 'shell'];
      langs.forEach((lang, i) => {
        const put = (name: string, bitsPerChar: number) => (files[`bench/results/sweep/${name}.val.${lang}.json`] = JSON.stringify({ chars: 1000 * (i + 1), bitsPerChar, provenance: { ...provenance(`weights-${name}.bin`), command: 'node cli.js eval --json <validation files>' } }));
        put('a', 2 + i / 10);
        if (lang !== 'shell') put('b', 1);
      });
      return files;
    }

    it('writes the test, style, targets and validation tables from the folders named, the model first', () => {
      const dir = scratch(cardFiles());
      try {
        execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
        const text = fs.readFileSync(path.join(dir, 'models/default/MODEL_CARD.md'), 'utf8');
        // The 6-gram and xz come from card-previous, the only folder that has them.
        assert.match(text, /\| language \| files \| chars \| LSTM bits\/char \| stage 1 \| previous model \| 6-gram KN \| xz -9e \| LSTM \/ xz \|/);
        assert.match(text, /\| Go \| 2 \| 12,345 \| \*\*1\.400\*\* \| 1\.600 \| 2\.500 \| 1\.900 \| 2\.000 \| 0\.70 \| 70\.0% \| 65\.0% \| \*\*40\.0%\*\* \| 38\.0% \| 30\.0% \| 36\.0% \| 2,000 \|/);
        // Style: the model in every style, its worst shift per character and over the whole text (4 spaces: 1.43 × 3,900 / 4,000 − 1.40),
        // stage 1 by its worst shift, the previous model as is, tabs, 2 and 4 spaces.
        assert.match(text, /\| Go \| 4,000 \| 1\.400 \| 1\.410 \| 1\.420 \| 1\.430 \| 1\.440 \| \+0\.030 \| -0\.006 \| \+0\.030 \| 2\.500 \| 2\.510 \| 2\.520 \| 2\.530 \|/);
        assert.match(text, /\| re-indented \(tabs, 2, 4 spaces\) within 0\.15 of as is \|( – \|){5} \*\*yes\*\* \(\+0\.03\) \|/);
        assert.match(text, /\| the same, in bits per as-is character \(whole text\) \|( – \|){5} \*\*yes\*\* \(−0\.01\) \|/);
        // The document cache: the model 1.0 with it (1.4 alone), the 6-gram 1.9 alone and 1.35 with it, xz 2.
        assert.match(text, /\| Go \| 12,345 \| 1\.400 \| \*\*1\.000\*\* \| 1\.900 \| 1\.350 \| 2\.000 \| 0\.50 \| -0\.350 \|/);
        assert.match(text, /\| with the document cache, as completions predict: ≤ 0\.75 × xz \|( – \|){5} \*\*yes\*\* \(0\.50\) \|/);
        assert.match(text, /\| with the document cache: at least 0\.3 below the 6-gram with it \|( – \|){5} \*\*yes\*\* \(−0\.35\) \|/);
        // Targets: 1.4 / 2 = 0.70 of xz; 0.5 below the 6-gram; keystrokes 40% ≥ 30%; the 6-gram saves 36%. Languages without files read "–".
        assert.match(text, /\| bits\/char ≤ 0\.75 × per-file xz \| – \| – \| – \| – \| – \| \*\*yes\*\* \(0\.70\) \| – \| – \|/);
        assert.match(text, /\| at least 0\.3 below the 6-gram \|( – \|){5} \*\*yes\*\* \(−0\.50\) \|/);
        assert.match(text, /\| the 6-gram saves no more \|( – \|){5} \*\*yes\*\* \(6-gram 36\.0%\) \|/);
        // Validation: "a" has every language (mean 2.35; all characters 88.8 / 36 = 2.467, weighted by chars), "b" lacks shell.
        assert.match(text, /\| a \| 2\.000 \| 2\.100 \| 2\.200 \| 2\.300 \| 2\.400 \| 2\.500 \| 2\.600 \| 2\.700 \| 2\.350 \| 2\.467 \|/);
        assert.match(text, /\| b \|( 1\.000 \|){7} – \| – \| – \|/);
        assert.match(text, /`bench\/results\/card-stage1\/<language>\.\{bpc,keys\}\.json`: weights `weights-card-stage1\.bin`; Test CPU, 2 cores, Node v20; 2026-12-02\./);
        assert.match(text, /`bench\/results\/sweep\/b\.val\.<language>\.json`: weights `weights-b\.bin`/);
        assert.strictEqual(run(dir, '--check').status, 0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('takes a new stage\'s folder as one more argument: its columns stand beside the earlier stage\'s', () => {
      const files = cardFiles('card="LSTM" card-stage2="stage 2" card-stage1="stage 1" card-previous="previous model"');
      model(files, 'card-stage2', 'go', 1.5, 0.39);
      const dir = scratch(files);
      try {
        execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
        const text = fs.readFileSync(path.join(dir, 'models/default/MODEL_CARD.md'), 'utf8');
        assert.match(text, /\| LSTM bits\/char \| stage 2 \| stage 1 \| previous model \| 6-gram KN \|/);
        assert.match(text, /\| \*\*1\.400\*\* \| 1\.500 \| 1\.600 \| 2\.500 \| 1\.900 \|.* \*\*40\.0%\*\* \| 39\.0% \| 38\.0% \| 30\.0% \| 36\.0% \|/);
        assert.match(text, /worst of tabs\/2\/4 minus as is \| the same in bits per as-is character \| stage 2: worst minus as is \| stage 1: worst minus as is \| previous model: as is \|/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a card result file without provenance, naming it', () => {
      const files = cardFiles();
      files['bench/results/card-stage1/go.keys.json'] = JSON.stringify({ chars: 2000, keystrokesSaved: 0.38 });
      const dir = scratch(files);
      try {
        const r = run(dir, '--check');
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /figures:card-test: bench\/results\/card-stage1\/go\.keys\.json has no provenance/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('lists, per language, the five node types with the highest AUROC and then the three others with the largest margin (cells --syntax)', () => {
    const provenance = { command: 'node out/src/cli/main.js cells --model models/default --syntax --json a.c b.c', settings: null, weights: { file: 'weights-0123456789ab.bin', sha256: 'x' }, date: '2026-12-05T00:00:00.000Z', machine: 'Test CPU, 2 cores' };
    // Node type tN: AUROC falls with N, the random model's falls faster after t5, so t9 has the largest margin of the rest.
    const syntax: Record<string, object> = {};
    for (let n = 0; n < 10; n++) syntax[`t${n}`] = { layer: 0, cell: n, kind: 'c', auroc: 0.99 - n / 100, nodes: 10 + n, random: { auroc: n < 5 ? 0.9 : 0.9 - (n - 5) / 10 } };
    const dir = scratch({
      'README.md': '<!-- figures:syntax-cells c.json="C" -->\n<!-- /figures:syntax-cells -->\n',
      'bench/results/c.json': JSON.stringify({ syntax, provenance }),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      const listed = [...text.matchAll(/^\| C \| `(t\d)` \|.*\| (top AUROC|top margin) \|$/gm)].map((m) => `${m[1]} ${m[2]}`);
      assert.deepStrictEqual(listed, ['t0 top AUROC', 't1 top AUROC', 't2 top AUROC', 't3 top AUROC', 't4 top AUROC', 't9 top margin', 't8 top margin', 't7 top margin']);
      assert.match(text, /\| C \| `t9` \| 19 \| layer 0 c\[9\] \| 0\.900 \| 0\.500 \| \+0\.400 \| top margin \|/);
      assert.match(text, /weights `weights-0123456789ab\.bin`; Test CPU, 2 cores; 2026-12-05/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the best cell per concept beside the random model and an earlier model, scoring yes/no concepts by AUROC and counts by ρ, with long file lists folded', () => {
    const files = Array.from({ length: 40 }, (_, i) => `.cache/split/validation/c/f${i}.c`).join(' ');
    const provenance = (w: string) => ({ command: `lstm-lens cells --model .cache/m --json --max-chars 40000 ${files}`, settings: null, weights: { file: w, sha256: 'x' }, date: '2026-12-05T00:00:00.000Z', machine: 'Test CPU, 2 cores' });
    const concepts = (cell: number, auroc: number, rho: number) => ({
      inString: { layer: 0, cell, kind: 'c', r: 0.5, auroc, random: { layer: 0, cell: 9, kind: 'h', r: 0.1, auroc: 0.7 } },
      indentDepth: { layer: 0, cell: cell + 1, kind: 'c', r: -0.4, rho, random: { layer: 0, cell: 8, kind: 'h', r: 0.1, rho: -0.2 } },
    });
    const dir = scratch({
      'README.md': '<!-- figures:named-cells now.json before.json="stage 2" -->\n<!-- /figures:named-cells -->\n',
      'bench/results/now.json': JSON.stringify({ concepts: concepts(132, 0.865, -0.42), provenance: provenance('weights-aaaaaaaaaaaa.bin') }),
      'bench/results/before.json': JSON.stringify({ concepts: concepts(84, 0.855, 0.4), provenance: provenance('weights-bbbbbbbbbbbb.bin') }),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(text, /\| `inString` \| c\[132\] \| AUROC 0\.865 \| 0\.500 \| h\[9\], AUROC 0\.700 \| c\[84\], AUROC 0\.855 \|/);
      assert.match(text, /\| `indentDepth` \| c\[133\] \| ρ −0\.420 \| −0\.400 \| h\[8\], ρ −0\.200 \| c\[85\], ρ 0\.400 \|/);
      assert.match(text, /\| concept \| best cell \| AUROC \/ ρ \| r \| random model: cell, AUROC \/ ρ \| stage 2: cell, AUROC \/ ρ \|/);
      assert.match(text, /--max-chars 40000 \.cache\/split\/validation\/c\/f0\.c … \(40 files\)`; weights `weights-aaaaaaaaaaaa\.bin`/);
      assert.doesNotMatch(text, /f39\.c/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sets lexer and tree-sitter labels side by side per language (bench concept-labels), bolding the scores that differ, and lays out several models per language', () => {
    const provenance = (w: string) => ({ command: 'lstm-lens bench concept-labels --model m --json .cache/split/validation/python', settings: null, weights: { file: w, sha256: 'x' }, date: '2026-12-05T00:00:00.000Z', machine: 'Test CPU, 2 cores' });
    const pick = (cell: number, score: number, randomScore: number) => ({ cell: `layer 0 c[${cell}]`, score, randomCell: 'layer 0 h[1]', randomScore });
    const rows = (shift: number) => [
      { concept: 'inString', lexical: pick(255, 0.876 + shift, 0.612), tree: pick(255, 0.876 + shift, 0.612), disagree: 0, positives: { lexical: 10, tree: 10 } },
      { concept: 'inIfCondition', lexical: pick(153, 0.955, 0.687), tree: pick(153, 0.951, 0.709), disagree: 0.0023, positives: { lexical: 11, tree: 10 } },
      { concept: 'indentDepth', lexical: pick(62, 0.81, -0.31), tree: pick(62, 0.81 + shift, -0.31), disagree: 0 },
    ];
    const result = (shift: number, w: string) => JSON.stringify({ folders: [{ folder: '.cache/split/validation/python', result: { rows: rows(shift) } }], provenance: provenance(w) });
    const dir = scratch({
      'README.md': '<!-- figures:concept-labels a.json -->\n<!-- /figures:concept-labels -->\n<!-- figures:concepts-by-language a.json="old" b.json="new" -->\n<!-- /figures:concepts-by-language -->\n',
      'bench/results/a.json': result(0, 'weights-aaaaaaaaaaaa.bin'),
      'bench/results/b.json': result(0.05, 'weights-bbbbbbbbbbbb.bin'),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(text, /\| Python \| `inString` \| c\[255\] 0\.876 \(0\.612\) \| c\[255\] 0\.876 \(0\.612\) \| 0 \|/);
      assert.match(text, /\| Python \| `inIfCondition` \| c\[153\] \*\*0\.955\*\* \(0\.687\) \| c\[153\] \*\*0\.951\*\* \(0\.709\) \| 0\.2% \|/);
      assert.doesNotMatch(text, /`indentDepth`/, 'counts have no yes/no labels to compare');
      assert.match(text, /\| Python \| old \| c\[255\] 0\.88 \(0\.61\) \| — \| c\[153\] 0\.95 \(0\.71\) \| c\[62\] 0\.81 \(−0\.31\) \| — \|/);
      assert.match(text, /\| Python \| new \| c\[255\] 0\.93 \(0\.61\) \| — \| c\[153\] 0\.95 \(0\.71\) \| c\[62\] 0\.86 \(−0\.31\) \| — \|/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lays out where the best cell errs (bench concept-labels treeErrors), each group with its share of its class', () => {
    const provenance = { command: 'lstm-lens bench concept-labels --model m --json .cache/split/validation/typescript', settings: null, weights: { file: 'weights-aaaaaaaaaaaa.bin', sha256: 'x' }, date: '2026-12-06T00:00:00.000Z', machine: 'Test CPU, 2 cores' };
    const pick = { cell: 'layer 0 c[132]', score: 0.92, randomCell: 'layer 0 h[1]', randomScore: 0.75 };
    const treeErrors = {
      auroc: 0.922,
      positives: [{ group: 'span 1', count: 10, auroc: 0.7 }, { group: 'span 2-8', count: 70, auroc: 0.96 }, { group: 'span 33+', count: 20, auroc: 0.81 }],
      negatives: [{ group: 'after span', count: 20, auroc: 0.6 }, { group: 'in a comment', count: 300, auroc: 0.704 }, { group: 'elsewhere', count: 680, auroc: 0.97 }],
    };
    const rows = [
      { concept: 'inString', lexical: pick, tree: pick, disagree: 0, positives: { lexical: 100, tree: 100 }, treeErrors },
      { concept: 'indentDepth', lexical: pick, tree: pick, disagree: 0 },
    ];
    const dir = scratch({
      'README.md': '<!-- figures:cell-errors e.json -->\n<!-- /figures:cell-errors -->\n',
      'bench/results/e.json': JSON.stringify({ folders: [{ folder: '.cache/split/validation/typescript', result: { rows } }], provenance }),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(text, /\| TypeScript \| `inString` \| c\[132\] 0\.922 \| 0\.70 \(10%\) \| 0\.96 \(70%\) \| – \| 0\.81 \(20%\) \| 0\.60 \(2%\) \| 0\.70 \(30%\) \| – \| 0\.97 \(68%\) \|/);
      assert.doesNotMatch(text, /`indentDepth`/, 'counts have no error groups');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lays out a count cell\'s mean per level band (bench concept-labels treeCurve), with each band\'s share of the characters', () => {
    const provenance = { command: 'lstm-lens bench concept-labels --model m --json .cache/split/validation/python', settings: null, weights: { file: 'weights-aaaaaaaaaaaa.bin', sha256: 'x' }, date: '2026-12-06T00:00:00.000Z', machine: 'Test CPU, 2 cores' };
    const pick = { cell: 'layer 0 c[62]', score: 0.85, randomCell: 'layer 0 h[1]', randomScore: -0.31 };
    const treeCurve = [{ band: '0', count: 50, mean: -1.234 }, { band: '1', count: 30, mean: 0.5 }, { band: '4-7', count: 20, mean: 0.61 }];
    const rows = [
      { concept: 'indentDepth', lexical: pick, tree: pick, disagree: 0, treeCurve },
      { concept: 'inString', lexical: pick, tree: pick, disagree: 0, positives: { lexical: 1, tree: 1 } },
    ];
    const dir = scratch({
      'README.md': '<!-- figures:count-curves e.json -->\n<!-- /figures:count-curves -->\n',
      'bench/results/e.json': JSON.stringify({ folders: [{ folder: '.cache/split/validation/python', result: { rows } }], provenance }),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(text, /\| Python \| `indentDepth` \| c\[62\] ρ 0\.85 \| −1\.23 \(50%\) \| 0\.50 \(30%\) \| – \| 0\.61 \(20%\) \| – \| – \| – \| – \|/);
      assert.doesNotMatch(text, /`inString`/, 'yes/no concepts have no curve');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists one-minute fine-tuning runs under several recipes with their change in bits/char', () => {
    const provenance = { command: 'lstm-lens bench workspace --dir d --minutes 1', settings: { minutes: 1 }, weights: { file: 'weights-aaaaaaaaaaaa.bin', sha256: 'x' }, date: '2026-12-05T00:00:00.000Z', machine: 'Test CPU, 2 cores' };
    const run = (learningRate: number, batch: number, after: number) => ({ learningRate, batch, threads: 1, trainSeconds: 61.2, before: { bitsPerChar: 2, keystrokesSaved: 0.3 }, after: { bitsPerChar: after, keystrokesSaved: 0.4 } });
    const dir = scratch({
      'README.md': '<!-- figures:fine-tune-recipe r.json -->\n<!-- /figures:fine-tune-recipe -->\n',
      'bench/results/r.json': JSON.stringify({ project: 'demo', minutes: 1, runs: [run(0.001, 32, 1.5), run(0.002, 64, 1.2)], provenance }),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(text, /\| 0\.001 \| 32 \| 1 \| 61 \| 2\.000 → 1\.500 \| −25\.0% \| 30\.0% → 40\.0% \|\n\| 0\.002 \| 64 \| 1 \| 61 \| 2\.000 → 1\.200 \| −40\.0% \|/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sets dictionaries of several sizes side by side, each feature beside the best single cell (bench features)', () => {
    const provenance = { command: 'lstm-lens bench features --model m --k 32 --json', settings: null, weights: { file: 'weights-aaaaaaaaaaaa.bin', sha256: 'x' }, date: '2026-12-05T00:00:00.000Z', machine: 'Test CPU, 2 cores' };
    const concept = (feature: number, cell: number) => ({ feature: { separation: feature }, cell: { separation: cell } });
    const result = (k: number, fvu: number, string: number) => ({
      trained: {
        dictionary: { k, epochs: 1 },
        train: { fvu: fvu - 0.1 },
        heldOut: { fvu, deadFeatures: 12, meanActive: k + 0.25 },
        trainWallSeconds: 40.4,
        concepts: { inString: concept(string, 0.924), inComment: concept(0.93, 0.988), inIfCondition: concept(0.95, 0.974) },
      },
      provenance,
    });
    const dir = scratch({
      'README.md': '<!-- figures:features-sweep a.json="small" b.json="large" -->\n<!-- /figures:features-sweep -->\n',
      'bench/results/a.json': JSON.stringify(result(32, 0.273, 0.956)),
      'bench/results/b.json': JSON.stringify(result(128, 0.183, 0.901)),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(text, /\| small \| 32 \| 1 \| 0\.273 \(0\.173\) \| 32\.3 \| 12 \| 0\.956 \| 0\.930 \| 0\.950 \| 40 s \|\n\| large \| 128 \| 1 \| 0\.183 \(0\.083\) \| 128\.3 \| 12 \| 0\.901 \|/);
      assert.match(text, /best single cells on the same held-out characters: string 0\.924, comment 0\.988, if-condition 0\.974\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sets a linear code\'s held-out FVU beside the dictionary\'s, for the model and the random one, where the result has it (bench features)', () => {
    const real = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'features-2026-12-05-stage6-quiet.json'), 'utf8').trim().split('\n').pop() as string);
    const region = '<!-- figures:features f.json -->\n<!-- /figures:features -->\n';
    const withLinear = structuredClone(real);
    withLinear.trained.linearBaseline = { directions: [32, 64, 256], heldOutFvu: [0.6449, 0.52, 0.1971] };
    withLinear.randomControl.linearBaseline = { directions: [32, 64, 256], heldOutFvu: [0.21, 0.1, 0.01] };
    const dir = scratch({ 'README.md': region, 'bench/results/f.json': JSON.stringify(withLinear), 'bench/results/old.json': JSON.stringify(real) });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(text, /\| a linear code instead: held-out FVU on the top 32 \/ 64 \/ 256 principal directions \| 0\.645 \/ 0\.520 \/ 0\.197 \| 0\.210 \/ 0\.100 \/ 0\.010 \| {2}\|/);
      // A result from before the baseline was measured renders as it did, without the row.
      fs.writeFileSync(path.join(dir, 'README.md'), region.replace(/f\.json/, 'old.json'));
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const old = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(old, /fraction of variance unexplained, held-out/);
      assert.doesNotMatch(old, /linear code/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the heatmap screenshots\' cells from the panel\'s own lines, beside the random model\'s, wherever the images live', () => {
    const provenance = { command: 'bash scripts/heatmap-screenshots.sh', settings: null, weights: { file: 'weights-aaaaaaaaaaaa.bin', sha256: 'x' }, date: '2026-12-05T00:00:00.000Z', machine: 'Test CPU, 2 cores' };
    const picked = [];
    for (const [concept, kind] of [['inString', 'AUROC'], ['inComment', 'AUROC'], ['indentDepth', 'ρ ='], ['inIfCondition', 'AUROC']]) {
      picked.push({ model: 'bundled', concept, cell: 'layer 0 c[84]', detail: `this file: ${kind} 0.974 · r = -0.592 · random model ${kind} -0.417` });
      picked.push({ model: 'random', concept, cell: 'layer 0 h[218]', detail: `this file: ${kind} 0.844 · r = 0.258 · random model ${kind} 0.845 (not above the random model)` });
    }
    const dir = scratch({
      'README.md': '<!-- figures:heatmap-shots ../../docs/shots/cells.json -->\n<!-- /figures:heatmap-shots -->\n',
      'docs/shots/cells.json': JSON.stringify({ picked, provenance }),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.match(text, /\| in a string \| c\[84\], AUROC 0\.974 \(control −0\.417\) \| h\[218\], AUROC 0\.844 \|/);
      assert.match(text, /\| indentation depth \| c\[84\], ρ 0\.974 \(control −0\.417\) \| h\[218\], ρ 0\.844 \|/);
      assert.match(text, /Source: `docs\/shots\/cells\.json`: `bash scripts\/heatmap-screenshots\.sh`/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows compare\'s text report under its command, without the samples, from a result file that is one JSON document', () => {
    const report = ['LSTM   GRU', 'bits/char   3.1   2.5', '', 'samples (temperature 0.8):', '  LSTM  abc', '  GRU   def', '', 'gradient reach:', '    0  1.0e+0  1.0e+0'];
    const provenance = { command: 'node out/src/cli/main.js compare --minutes 2 --json a.ts', settings: null, weights: null, machine: 'Test CPU, 2 cores', date: '2026-12-04' };
    const dir = scratch({
      'README.md': '<!-- figures:compare cmp.json -->\n<!-- /figures:compare -->\n',
      'bench/results/cmp.json': JSON.stringify({ report, provenance }, null, 1),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      assert.ok(text.includes('```text\n$ node out/src/cli/main.js compare --minutes 2 --json a.ts\n           LSTM   GRU\nbits/char   3.1   2.5\n\ngradient reach:\n    0  1.0e+0  1.0e+0\n```'), text);
      assert.ok(!text.includes('abc'), 'the samples are left out');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives each cell type\'s speed and its ratio to the LSTM, wall and CPU (bench cells)', () => {
    const provenance = { command: 'node dist/cli.js bench cells --json', settings: null, weights: null, machine: 'Test CPU, 2 cores', date: '2026-12-04' };
    const result = { shape: '2x256', charsPerSecond: { lstm: 1000, gru: 1500, rnn: 4000 }, charsPerCpuSecond: { lstm: 2000, gru: 2600, rnn: 7000 } };
    const dir = scratch({
      'bench/README.md': '<!-- figures:cell-types cells.json -->\n<!-- /figures:cell-types -->\n',
      'bench/results/cells.json': JSON.stringify({ ...result, provenance }),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'bench/README.md'), 'utf8');
      assert.match(text, /\| 2×256 \| LSTM \| 1,000 \| 2,000 \| 1\.00 \| 1\.00 \|/);
      assert.match(text, /\| 2×256 \| GRU \| 1,500 \| 2,600 \| 1\.50 \| 1\.30 \|/);
      assert.match(text, /\| 2×256 \| RNN \| 4,000 \| 7,000 \| 4\.00 \| 3\.50 \|/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sets the two trainers side by side with their ratio (bench/torch-vs-fused.sh)', () => {
    const provenance = { command: 'bench/torch-vs-fused.sh 1 src', settings: null, weights: null, machine: 'Test CPU, 2 cores', date: '2026-12-04T00:00:00Z' };
    const trainer = (charsPerSecond: number, steps: number, valBitsPerChar: number) => ({ charsPerSecond, steps, valBitsPerChar });
    const result = { minutesEach: 1, machine: { torch: '1.13.0a0', torchThreads: 1, loadAverageBefore: [2, 1, 1], loadAverageAfter: [3, 1, 1] }, fused: trainer(2000, 40, 4.5), pytorch: trainer(1500, 30, 4.6), pytorchOverFused: 0.75 };
    const dir = scratch({
      'bench/README.md': '<!-- figures:trainers t.json -->\n<!-- /figures:trainers -->\n',
      'bench/results/t.json': JSON.stringify({ ...result, provenance }, null, 1),
    });
    try {
      execFileSync(process.execPath, [path.join(dir, 'scripts', 'figure-tables.js')], { stdio: 'pipe' });
      const text = fs.readFileSync(path.join(dir, 'bench/README.md'), 'utf8');
      assert.match(text, /\| fused, 2 threads \| 2,000 \| 40 \| 4\.500 \|/);
      assert.match(text, /\| PyTorch 1\.13\.0 on CPU, 1 torch thread \| 1,500 \| 30 \| 4\.600 \|/);
      assert.match(text, /PyTorch at 0\.75× the fused engine's characters\/s; load average 2\.0 before, 3\.0 after\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
