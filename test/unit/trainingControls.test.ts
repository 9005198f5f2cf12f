import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lossCurveHtml, parseLossCurveMessage } from '../../src/core/workspaceTraining/lossCurveHtml';
import { progressMessage, progressPercent } from '../../src/core/workspaceTraining/progressText';
import { TrainingBusyError, acquireRunLock } from '../../src/core/workspaceTraining/runLock';
import { readTrainingSettings, trainingThreads } from '../../src/core/workspaceTraining/trainingSettings';

describe('training controls: one run per workspace', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-lock-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a second run while the first holds the lock, and allows one after release', async () => {
    const first = await acquireRunLock(dir);
    await assert.rejects(acquireRunLock(dir), TrainingBusyError);
    await first.release();
    const again = await acquireRunLock(dir);
    await again.release();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    // A pid far above any pid_max is never a live process.
    fs.writeFileSync(path.join(dir, 'training.lock'), JSON.stringify({ pid: 2 ** 30, since: 'earlier' }));
    const lock = await acquireRunLock(dir);
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'training.lock'), 'utf8')).pid, process.pid);
    await lock.release();
  });
});

describe('training controls: settings', () => {
  it('validates values and says what it used instead', () => {
    const given: Record<string, unknown> = { 'training.minutes': -3, 'training.hidden': 12.5, 'training.start': 'warm', 'training.include': ['.py', 3, ''], 'training.cell': 'transformer' };
    const { settings, problems } = readTrainingSettings((name) => given[name]);
    assert.strictEqual(settings.minutes, 0.05);
    assert.strictEqual(settings.hidden, 256);
    assert.strictEqual(settings.start, 'fine-tune');
    assert.strictEqual(settings.cell, 'lstm');
    assert.deepStrictEqual(settings.include, ['.py']);
    assert.strictEqual(problems.length, 5);
    assert.strictEqual(readTrainingSettings((name) => (name === 'training.cell' ? 'gru' : undefined)).settings.cell, 'gru');
  });

  it('leaves one core to the editor unless the user asks for more threads', () => {
    assert.strictEqual(trainingThreads(0, 2), 1);
    assert.strictEqual(trainingThreads(0, 1), 1);
    assert.strictEqual(trainingThreads(0, 8), 4);
    assert.strictEqual(trainingThreads(2, 2), 2);
  });
});

describe('training controls: progress text', () => {
  it('shows epoch, loss, bits/char, validation, chars/s and time left', () => {
    const p = { phase: 'train' as const, epoch: 1, step: 10, stepsPerEpoch: 20, trainBitsPerChar: 2, valBitsPerChar: 2.5, charsPerSecond: 12_345, charsSeen: 1000, elapsedSeconds: 30, etaSeconds: 90 };
    assert.strictEqual(progressMessage(p), `epoch 2 · loss ${(2 * Math.LN2).toFixed(3)} · 2.000 bits/char · val 2.500 · 12k chars/s · 1m 30s left`);
    assert.strictEqual(progressPercent(p), 25);
  });
});

describe('training controls: the loss curve page', () => {
  const nonce = 'abcdefghijklmnopqrstuvwx';

  it('allows only its nonce\'d script and escapes the title', () => {
    const html = lossCurveHtml({ nonce, cspSource: 'vscode-resource:', title: '<img src=x onerror=alert(1)>' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
    assert.ok(!html.includes('<img src=x'));
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepStrictEqual(scripts, [`<script nonce="${nonce}">`]);
    assert.ok(!/innerHTML|eval\(|new Function/.test(html), 'the page never turns data into code or markup');
  });

  it('refuses a weak nonce', () => {
    assert.throws(() => lossCurveHtml({ nonce: 'abc', cspSource: 'x', title: 't' }), /nonce/);
  });

  it('accepts only the messages it knows from the page', () => {
    assert.deepStrictEqual(parseLossCurveMessage({ type: 'cancel', extra: 1 }), { type: 'cancel' });
    assert.deepStrictEqual(parseLossCurveMessage({ type: 'ready' }), { type: 'ready' });
    assert.strictEqual(parseLossCurveMessage({ type: 'train' }), null);
    assert.strictEqual(parseLossCurveMessage('cancel'), null);
    assert.strictEqual(parseLossCurveMessage(null), null);
  });
});
