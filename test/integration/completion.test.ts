import * as assert from 'assert';
import * as vscode from 'vscode';
import type { LstmLensApi } from '../../src/extension';

/**
 * The inline completion provider inside a real VS Code (downloaded by
 * @vscode/test-electron, see .vscode-test.mjs): called through the real
 * TextDocument and settings APIs, and once end to end through the editor's
 * own inline-suggest commands. The bundled model decides the text, so the
 * tests compare what the editor does with what the provider answered.
 */

const EXTENSION_ID = 'lstm-lens.lstm-lens';
const INVOKE: vscode.InlineCompletionContext = { triggerKind: vscode.InlineCompletionTriggerKind.Invoke, selectedCompletionInfo: undefined };
const CODE = 'export function sum(values: readonly number[]): number {\n  let total = 0;\n  for (const value of values) {\n    total += value;\n  }\n  return ';

function token(): vscode.CancellationToken {
  return new vscode.CancellationTokenSource().token;
}

function insertText(item: vscode.InlineCompletionItem): string {
  assert.strictEqual(typeof item.insertText, 'string', 'a plain string insert text');
  return item.insertText as string;
}

async function openTs(content: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument({ language: 'typescript', content });
}

function endOf(document: vscode.TextDocument): vscode.Position {
  return document.lineAt(document.lineCount - 1).range.end;
}

/** Polls `check` every 50 ms until it gives a value or `ms` pass. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('inline completion provider in VS Code (@vscode/test-electron)', function () {
  let api: LstmLensApi;

  before(async function () {
    const extension = vscode.extensions.getExtension<LstmLensApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed in the test instance`);
    api = await extension.activate();
    const status = await api.modelStore.whenSettled();
    assert.strictEqual(status.kind, 'ready', `the bundled model loaded (${JSON.stringify(status)})`);
  });

  afterEach(async function () {
    // Untitled documents are dirty: revert before closing, or VS Code would ask whether to save.
    for (let i = 0; i < 10 && vscode.window.activeTextEditor; i++) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.getConfiguration('lstmLens').update('enable', undefined, vscode.ConfigurationTarget.Global);
  });

  it('completes the rest of a TypeScript line, replacing from the line start', async function () {
    const document = await openTs(CODE);
    const position = endOf(document);
    const items = await api.completionProvider.provideInlineCompletionItems(document, position, INVOKE, token());
    assert.ok(items && items.length === 1, 'one item');
    const text = insertText(items[0]);
    const prefix = document.lineAt(position.line).text;
    assert.ok(text.startsWith(prefix), `the item starts with the line's text ${JSON.stringify(prefix)}: ${JSON.stringify(text)}`);
    assert.match(text.slice(prefix.length), /\S/, 'and adds more than whitespace');
    assert.ok(!text.includes('\n'), 'one line by default');
    assert.deepStrictEqual(items[0].range, new vscode.Range(position.line, 0, position.line, position.character));
  });

  it('answers a repeated request with the same text (cache by version and offset)', async function () {
    const document = await openTs(CODE);
    const first = await api.completionProvider.provideInlineCompletionItems(document, endOf(document), INVOKE, token());
    const second = await api.completionProvider.provideInlineCompletionItems(document, endOf(document), INVOKE, token());
    assert.ok(first && second);
    assert.strictEqual(insertText(second[0]), insertText(first[0]));
  });

  it('answers nothing in the middle of code, for markdown, or with a cancelled token', async function () {
    const document = await openTs('const answer = compute(1, 2) + 3;\n');
    const middle = await api.completionProvider.provideInlineCompletionItems(document, new vscode.Position(0, 15), INVOKE, token());
    assert.strictEqual(middle, undefined, 'the rest of the line is code');

    const markdown = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# Notes\n\nThe model ' });
    assert.strictEqual(await api.completionProvider.provideInlineCompletionItems(markdown, endOf(markdown), INVOKE, token()), undefined);

    const source = new vscode.CancellationTokenSource();
    source.cancel();
    const code = await openTs(CODE);
    assert.strictEqual(await api.completionProvider.provideInlineCompletionItems(code, endOf(code), INVOKE, source.token), undefined);
  });

  it('continues after the suggest widget\'s selected item, on its range', async function () {
    const document = await openTs('const list = [1, 2, 3];\nlist.fi');
    const position = endOf(document);
    const range = new vscode.Range(position.line, 5, position.line, position.character);
    const context: vscode.InlineCompletionContext = { ...INVOKE, selectedCompletionInfo: { range, text: 'filter' } };
    const items = await api.completionProvider.provideInlineCompletionItems(document, position, context, token());
    if (items === undefined) return; // the model may propose nothing after `filter`; the unit tests check the text
    assert.ok(insertText(items[0]).startsWith('filter'), 'the item starts with the selected suggestion');
    assert.deepStrictEqual(items[0].range, range);
  });

  it('applies lstmLens.enable without a reload', async function () {
    const document = await openTs(CODE);
    await vscode.workspace.getConfiguration('lstmLens').update('enable', false, vscode.ConfigurationTarget.Global);
    assert.strictEqual(await api.completionProvider.provideInlineCompletionItems(document, endOf(document), INVOKE, token()), undefined);
    await vscode.workspace.getConfiguration('lstmLens').update('enable', true, vscode.ConfigurationTarget.Global);
    assert.ok(await api.completionProvider.provideInlineCompletionItems(document, endOf(document), INVOKE, token()));
  });

  it('is what the editor shows and commits (inlineSuggest.trigger, then commit)', async function () {
    const document = await openTs(CODE);
    const editor = await vscode.window.showTextDocument(document);
    const position = endOf(document);
    editor.selection = new vscode.Selection(position, position);
    const items = await api.completionProvider.provideInlineCompletionItems(document, position, INVOKE, token());
    assert.ok(items);
    const expectedLine = insertText(items[0]);

    await vscode.commands.executeCommand('lstmLens.triggerCompletion');
    // The ghost text shows once the editor has the provider's answer; commit does nothing before that.
    const line = await waitFor('the editor to accept the inline completion', async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      const now = document.lineAt(position.line).text;
      return now.length > position.character ? now : undefined;
    });
    assert.strictEqual(line, expectedLine);
  });
});
