import * as assert from 'assert';
import { CompletionService, SearchSettings, TextSource } from '../../src/core/completion';
import { Engine } from '../../src/core/engine';
import { JsOps } from '../../src/core/kernels/jsOps';
import { newManifest } from '../../src/core/model/manifest';
import { initParams, paramLayout } from '../../src/core/params';
import { VOCAB_SIZE } from '../../src/core/vocab';
import { WorkspaceNames } from '../../src/core/completion/workspaceNames';

/**
 * A document that changes while a completion request for it runs, on the
 * provider's path (CompletionService). The edit arrives between two slices
 * of the request's work, where the editor's events can come in. Whether or
 * not the caller's cancellation check notices: no throw, no hang, no answer
 * for the old text (not returned, not cached to be typed through later),
 * and no state of the old text kept past the edit.
 */

const SEARCH: SearchSettings = { maxChars: 40, beamWidth: 2, multiline: false, maxLines: 5, minCharProb: 0, minExpectedSaving: 0, documentMatch: true, wordMemory: true };
const never = () => false;
const layout = paramLayout({ vocabSize: VOCAB_SIZE, embedDim: 8, hidden: [16] });
const engine = new Engine({ layout, params: initParams(layout, 11), manifest: newManifest(layout.spec, 'tiny') }, new JsOps());
/** Long enough, and primed from far enough back, that building the state takes several 10 ms slices. */
const STATE_OPTIONS = { maxPrimeChars: 1 << 20, stopCheckSteps: 16 };
const TEXT = 'let total = count + 1;\n'.repeat(6000) + 'let next = ';

/** Calls `during` once, between two slices of the first request that starts building states for `docId`. */
function betweenSlices(service: CompletionService, docId: string, during: () => void): () => boolean {
  let scheduled = false;
  return () => {
    if (!scheduled && service.states.has(docId)) {
      scheduled = true;
      setImmediate(during);
    }
    return false;
  };
}

describe('faults: a document changed during a completion request', function () {
  it('an edit before the cursor mid-request: no answer for the old text, none cached, states cut at the edit', async () => {
    const service = new CompletionService(engine, STATE_OPTIONS);
    const editAt = TEXT.length - 200;
    let edited = false;
    const isCancelled = betweenSlices(service, 'doc', () => {
      edited = true;
      service.edit('doc', 2, editAt);
    });
    const result = await service.complete({ docId: 'doc', version: 1, text: TEXT, offset: TEXT.length }, SEARCH, isCancelled);
    assert.ok(edited, 'the edit came while the request ran');
    assert.strictEqual(result, undefined, 'no completion computed on the old text');
    const stored = service.states.storedOffsets('doc');
    assert.ok(!stored || [...stored.checkpoints, ...stored.recent].every((o) => o <= editAt), 'no state after the edit survives');
    assert.strictEqual(service.cache.size, 0);

    // The new text: the line was deleted from the edit on and retyped differently.
    const newText = TEXT.slice(0, editAt) + 'const other = 2;\nlet next = ';
    const fresh = await new CompletionService(engine, STATE_OPTIONS).complete({ docId: 'x', version: 1, text: newText, offset: newText.length }, SEARCH, never);
    const again = await service.complete({ docId: 'doc', version: 2, text: newText, offset: newText.length }, SEARCH, never);
    assert.deepStrictEqual(again?.completion, fresh?.completion, 'the next request answers for the new text, as a fresh service would');
  });

  it('typing on while a request runs: its answer is not served as a typed-through completion of the new text', async () => {
    const offset = TEXT.length;
    // What the request computes for the old text.
    const old = await new CompletionService(engine, STATE_OPTIONS).complete({ docId: 'x', version: 1, text: TEXT, offset }, SEARCH, never);
    assert.ok(old && old.completion.text.length > 2);
    const service = new CompletionService(engine, STATE_OPTIONS);
    const isCancelled = betweenSlices(service, 'doc', () => service.edit('doc', 2, offset - 3));
    await service.complete({ docId: 'doc', version: 1, text: TEXT, offset }, SEARCH, isCancelled);
    // The user changed the three characters before the cursor, then typed the old answer's first character.
    const newText = TEXT.slice(0, offset - 3) + 'abc' + old.completion.text[0];
    assert.strictEqual(service.lookup({ docId: 'doc', version: 2, text: newText, offset: newText.length }, SEARCH), undefined);
  });

  it('the text shrinks under a request that reads it live: no throw, no hang, no answer', async () => {
    const service = new CompletionService(engine, STATE_OPTIONS);
    let current = TEXT;
    // Like an adapter over the live document: reads what is there now.
    const live: TextSource = {
      get length() {
        return current.length;
      },
      slice: (a, b) => current.slice(a, b),
    };
    const isCancelled = betweenSlices(service, 'doc', () => {
      current = TEXT.slice(0, 500);
      service.edit('doc', 2, 500);
    });
    const result = await service.complete({ docId: 'doc', version: 1, text: live, offset: TEXT.length }, SEARCH, isCancelled);
    assert.strictEqual(result, undefined);
    const stored = service.states.storedOffsets('doc');
    assert.ok(!stored || [...stored.checkpoints, ...stored.recent].every((o) => o <= 500));
    // The document goes on being usable.
    assert.ok(await service.complete({ docId: 'doc', version: 2, text: current, offset: current.length }, SEARCH, never));
  });

  it('a source that returns less text than its length (changed between its length and a read): no hang, no answer', async () => {
    const service = new CompletionService(engine, STATE_OPTIONS);
    // Its length is the old one; its reads see a document cut at 1,000 characters.
    const torn: TextSource = { length: TEXT.length, slice: (a, b) => (a >= TEXT.length - 5 ? TEXT.slice(a, b) : TEXT.slice(0, 1000).slice(a, b)) };
    assert.strictEqual(await service.complete({ docId: 'doc', version: 1, text: torn, offset: TEXT.length }, SEARCH, never), undefined);
  });
});

describe('the answer cache and the workspace’s names', () => {
  const text = 'let total = count + 1;\nlet next = parseU';
  const request = { docId: 'doc', version: 1, text, offset: text.length };
  const settings: SearchSettings = { ...SEARCH, workspaceNames: true };

  it('a rebuilt names index is a new key: the same position is searched again, not served from the cache', async () => {
    const service = new CompletionService(engine);
    assert.strictEqual((await service.complete(request, settings, never))?.source, 'search');
    assert.strictEqual((await service.complete(request, settings, never))?.source, 'cache', 'unchanged: served from the cache');

    const names = new WorkspaceNames();
    names.setFile('units.ts', 'parseUnits(a); parseUnits(b); parseUnits(c);');
    const index = names.offered();
    service.workspaceNames = () => index;
    const withNames = await service.complete(request, settings, never);
    assert.strictEqual(withNames?.source, 'search', 'the index changed: searched again');
    assert.ok(withNames.completion.text.startsWith('nits'), `the workspace's name is offered, got ${JSON.stringify(withNames.completion.text)}`);
    assert.strictEqual((await service.complete(request, settings, never))?.source, 'cache', 'the same index: served from the cache');
  });

  it('with workspace names off, a rebuilt index leaves the cached answer in place', async () => {
    const service = new CompletionService(engine);
    const off: SearchSettings = { ...SEARCH, workspaceNames: false };
    assert.strictEqual((await service.complete(request, off, never))?.source, 'search');
    const names = new WorkspaceNames();
    names.setFile('units.ts', 'parseUnits(a); parseUnits(b); parseUnits(c);');
    const index = names.offered();
    service.workspaceNames = () => index;
    assert.strictEqual((await service.complete(request, off, never))?.source, 'cache', 'the names take no part: same key');
  });
});
