import * as assert from 'assert';
import { heatmapHtml } from '../../src/core/cells/heatmapHtml';
import { lossCurveHtml } from '../../src/core/workspaceTraining/lossCurveHtml';
import { webviewHtml } from '../../src/host/heatmap/webviewHtml';
import { auditCsp } from './helpers/cspAudit';

const NONCE = 'AbCdEfGhIjKlMnOpQrStUv==';
const page = (csp: string, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"></head><body>${body}</body></html>`;
const STRICT = `default-src 'none'; style-src vscode-resource:; script-src 'nonce-${NONCE}'`;
const SCRIPT = `<script nonce="${NONCE}" src="vscode-resource:/media/heatmap.js"></script>`;

describe('CSP audit helper', () => {
  it('passes a strict page with a nonce\'d script', () => {
    assert.deepStrictEqual(auditCsp(page(STRICT, SCRIPT)), []);
    // Attribute escaping (as builders that escape every attribute write it) is read through.
    assert.deepStrictEqual(auditCsp(page(STRICT.replace(/'/g, '&#39;'), SCRIPT)), []);
  });

  const bad: [string, string, RegExp][] = [
    ['no policy at all', `<html><head></head><body>${SCRIPT}</body></html>`, /found 0/],
    ['two policies', page(STRICT, `<meta http-equiv="Content-Security-Policy" content="${STRICT}">`), /found 2/],
    ['default-src not none', page(STRICT.replace(`'none'`, `'self'`), SCRIPT), /default-src must be 'none'/],
    ['unsafe-inline scripts', page(`${STRICT} 'unsafe-inline'`, SCRIPT), /allows 'unsafe-inline'/],
    ['unsafe-inline styles', page(STRICT.replace('style-src', `style-src 'unsafe-inline'`), SCRIPT), /style-src allows 'unsafe-inline'/],
    ['unsafe-eval', page(`${STRICT} 'unsafe-eval'`, SCRIPT), /allows 'unsafe-eval'/],
    ['scripts from anywhere', page(`${STRICT} https:`, SCRIPT), /lets in scripts from anywhere/],
    ['a script without a nonce', page(STRICT, '<script src="x.js"></script>'), /without the policy's nonce/],
    ['a script with another nonce', page(STRICT, '<script nonce="ZZZZZZZZZZZZZZZZZZZZ">1</script>'), /without the policy's nonce/],
    ['scripts but no nonce in the policy', page(`default-src 'none'`, SCRIPT), /has scripts but script-src has no nonce/],
    ['a short nonce', page(`default-src 'none'; script-src 'nonce-abc'`, '<script nonce="abc"></script>'), /shorter than 16/],
    ['an inline handler', page(STRICT, '<button onclick="go()">go</button>'), /inline event handler \(onclick=\)/],
    ['a style attribute', page(STRICT, '<span style="color:red">x</span>'), /inline style attribute/],
    ['a style element without a nonce', page(STRICT, '<style>b{}</style>'), /<style> element the policy blocks/],
    ['a javascript: URL', page(STRICT, '<a href="javascript:alert(1)">x</a>'), /javascript: URL/],
    ['a script before the policy', `<html><head>${SCRIPT}<meta http-equiv="Content-Security-Policy" content="${STRICT}"></head></html>`, /before the Content-Security-Policy/],
  ];
  for (const [name, html, problem] of bad) {
    it(`flags ${name}`, () => {
      const problems = auditCsp(html);
      assert.ok(problems.some((p) => problem.test(p)), `expected ${problem}, got ${JSON.stringify(problems)}`);
    });
  }
});

describe('CSP of the HTML the extension builds', () => {
  it('the exported cell heatmap (lstm-lens cells --html) passes, with hostile code in it', () => {
    const text = `"</style><script>alert(1)</script><img src=x onerror=alert(2)> style="x" javascript:void(0)`;
    const html = heatmapHtml({ title: '<script>t</script>', files: [{ name: 'a"b.ts', text, tracks: [{ label: 'onload=x', values: Array.from(text, (_, i) => Math.sin(i)) }] }] });
    assert.deepStrictEqual(auditCsp(html), []);
  });

  it('the exported heatmap gets a fresh nonce each time', () => {
    const nonce = (html: string) => /'nonce-([^']+)'/.exec(html)?.[1];
    const files = [{ name: 'a.ts', text: 'x', tracks: [] }];
    assert.notStrictEqual(nonce(heatmapHtml({ files })), nonce(heatmapHtml({ files })));
  });

  it('the heatmap panel passes', () => {
    const html = webviewHtml({ cspSource: 'vscode-webview://abc', scriptUri: 'vscode-webview://abc/media/heatmap.js', styleUri: 'vscode-webview://abc/media/heatmap.css' });
    assert.deepStrictEqual(auditCsp(html), []);
  });

  it('the training view (loss curve) passes, with a hostile title', () => {
    const html = lossCurveHtml({ nonce: 'QWxhZGRpbjpvcGVuIHNlc2FtZQ', cspSource: 'vscode-webview://abc', title: '</style><script>alert(1)</script>' });
    assert.deepStrictEqual(auditCsp(html), []);
  });
});
