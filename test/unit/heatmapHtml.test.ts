import * as assert from 'assert';
import { escapeHtml, heatmapHtml } from '../../src/core/cells';

/** Reads back the text of an HTML fragment that holds only spans and character references. */
function decodeText(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const NASTY = [
  '</script><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'const t = `${alert(1)}`;',
  'say("quotes") + \'single\' + &amp; + &lt;',
  '<!-- comment --> <style>body{display:none}</style>',
  'tab\there\r\nemoji 😀 end',
].join('\n');

describe('heatmapHtml', () => {
  const values = Float32Array.from({ length: NASTY.length }, (_, i) => Math.sin(i / 5));
  const html = heatmapHtml({
    title: 'cells <b>"bold"</b>',
    subtitle: "model 'x' & <y>",
    nonce: 'abc123',
    files: [
      {
        name: '<img src=x onerror=alert(2)>.ts',
        text: NASTY,
        tracks: [
          { label: 'inString <script>', values },
          { label: 'short', values: values.subarray(0, 10), limit: 1 },
        ],
      },
    ],
  });

  it('never lets the code, file name or labels through as markup', () => {
    for (const bad of ['</script', '<script', '<img', '<!--', '<style>body', '<b>', '<y>', "'x'"]) {
      assert.ok(!html.includes(bad), `raw ${JSON.stringify(bad)} in the page`);
    }
    assert.ok(html.includes('model &#39;x&#39; &amp; &lt;y&gt;'), 'the subtitle is escaped');
    assert.ok(!/<(?!\/?(?:html|head|meta|title|style|body|h1|h2|p|section|figure|figcaption|pre|span)\b|!DOCTYPE)/i.test(html), 'only the page’s own tags');
  });

  it('reads back to exactly the original text, once per track up to its length', () => {
    const pres = [...html.matchAll(/<pre class="code">([\s\S]*?)<\/pre>/g)].map((m) => decodeText(m[1]));
    assert.deepStrictEqual(pres, [NASTY, NASTY.slice(0, 10)]);
    assert.ok(html.includes(`${NASTY.length - 10} more characters were not recorded`));
    assert.strictEqual(decodeText(html.match(/<h2>(.*?)<\/h2>/)![1]), '<img src=x onerror=alert(2)>.ts');
    assert.strictEqual(decodeText(html.match(/<title>(.*?)<\/title>/)![1]), 'cells <b>"bold"</b>');
  });

  it('has a strict CSP, no scripts, and the style allowed by its nonce', () => {
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-abc123'">/);
    assert.match(html, /<style nonce="abc123">/);
    assert.ok(!/\sstyle=/.test(html), 'no inline style attributes (the CSP would block them)');
    assert.ok(!/\son\w+=/.test(html.replace(/&lt;[^&]*&gt;/g, '')), 'no event handler attributes');
  });

  it('colors each character on the diverging scale and titles it with its value', () => {
    const spans = [...html.matchAll(/<span class="([^"]+)" title="([^"]+)">/g)];
    assert.strictEqual(spans.length, NASTY.length - 1 + 10, 'one span per character (the emoji’s surrogate pair shares one)');
    const peak = values.indexOf(Math.max(...values));
    const trough = values.indexOf(Math.min(...values));
    assert.deepStrictEqual([spans[peak][1], spans[peak][2]], ['p8', values[peak].toFixed(3)]);
    assert.strictEqual(spans[trough][1], 'n8');
    assert.match(html, /\.p8\{background:rgba\(214,47,39,0\.800\)\}/);
    assert.match(html, /prefers-color-scheme:dark/);
  });

  it('escapeHtml escapes & < > " \' and control characters', () => {
    assert.strictEqual(escapeHtml('a&b<c>d"e\'f'), 'a&amp;b&lt;c&gt;d&quot;e&#39;f');
    assert.strictEqual(escapeHtml('x\ry\u0000\tz\n'), 'x&#13;y&#0;\tz\n');
  });
});
