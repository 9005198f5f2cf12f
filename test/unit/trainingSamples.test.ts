import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lossCurveHtml } from '../../src/core/workspaceTraining/lossCurveHtml';
import { TrainingEvent, TrainingJobRequest, runTrainingJob } from '../../src/core/workspaceTraining/trainingJob';
import { tinyTrainingRequest } from './helpers/tinyTrainingJob';
import { isFromTrainingWorker } from '../../src/core/workspaceTraining/workerProtocol';

/** The training view shows what the model writes at each validation (char-rnn's progression). */

const SOURCES = Array.from({ length: 5 }, (_, i) => ({ name: `ws/m${i}.py`, text: `def add_${i}(a, b):\n    return a + b\n\n`.repeat(20) }));

function request(dir: string, sampleChars: number | undefined): TrainingJobRequest {
  return tinyTrainingRequest(dir, SOURCES, 'samples', sampleChars === undefined ? {} : { sampleChars });
}

describe('training: a sample at each validation', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-samples-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends one sample per validation, of the asked length, from the weights of that moment', async () => {
    const events: TrainingEvent[] = [];
    await runTrainingJob(request(dir, 40), new AbortController().signal, (e) => events.push(e));
    const samples = events.filter((e): e is Extract<TrainingEvent, { type: 'sample' }> => e.type === 'sample');
    const validations = events.filter((e) => e.type === 'progress' && e.progress.phase === 'validate').length;
    assert.ok(samples.length >= 3, `${samples.length} samples over 3 epochs`);
    assert.strictEqual(samples.length, validations);
    for (const s of samples) {
      assert.strictEqual(s.text.length, 40);
      assert.ok(Number.isFinite(s.valBitsPerChar));
      assert.ok(isFromTrainingWorker(s), 'the worker protocol lets it through');
    }
    // The same seed each time: a change in the text is a change in the model.
    assert.ok(new Set(samples.map((s) => s.text)).size > 1, 'the model changed between validations');
    assert.ok(samples[samples.length - 1].step > samples[0].step);
  });

  it('sends none when not asked for', async () => {
    const events: TrainingEvent[] = [];
    await runTrainingJob(request(dir, undefined), new AbortController().signal, (e) => events.push(e));
    assert.strictEqual(events.filter((e) => e.type === 'sample').length, 0);
  });

  it('the view shows it as text, never as HTML', () => {
    const html = lossCurveHtml({ nonce: 'abcdefghijklmnopqrstuvwx', cspSource: 'vscode-webview:', title: 't' });
    assert.match(html, /<pre id="sample"><\/pre>/);
    assert.match(html, /sample\.textContent = text\(m\.text\)/);
    assert.doesNotMatch(html, /innerHTML/);
  });
});
