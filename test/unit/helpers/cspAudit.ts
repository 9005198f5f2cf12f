/**
 * Audits the Content-Security-Policy of an HTML page built for a webview (or
 * exported as a standalone file). The rules are the strict ones VS Code's
 * webview guide recommends: everything denied by default, scripts only with
 * this page's nonce, never 'unsafe-inline' or 'unsafe-eval'; plus the
 * mistakes that make a strict page silently break (inline handlers and
 * style attributes a strict policy blocks, a script without the nonce).
 *
 * It reads generated HTML with regular expressions: enough for pages our
 * builders write, not a general HTML parser.
 */

/** Problems found, one sentence each; empty when the page passes. */
export function auditCsp(html: string): string[] {
  const problems: string[] = [];
  const metas = [...html.matchAll(/<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi)];
  if (metas.length !== 1) return [`expected one Content-Security-Policy meta tag, found ${metas.length}`];
  const meta = metas[0];
  const content = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(meta[0]);
  if (!content) return ['the Content-Security-Policy meta tag has no content'];
  const policy = parsePolicy(decodeEntities(content[1] ?? content[2]));

  // A meta policy only governs what comes after it.
  const firstActive = html.search(/<(script|link|style|img|iframe)\b/i);
  if (firstActive >= 0 && firstActive < (meta.index ?? 0)) problems.push('a script, style, link or image comes before the Content-Security-Policy meta tag');

  const defaults = policy.get('default-src');
  if (!defaults || defaults.length !== 1 || defaults[0] !== "'none'") problems.push(`default-src must be 'none', is ${JSON.stringify(defaults?.join(' ') ?? '(missing)')}`);
  for (const [directive, sources] of policy) {
    for (const s of sources) if (/^'unsafe-/i.test(s)) problems.push(`${directive} allows ${s}`);
  }

  const scriptSources = policy.get('script-src') ?? defaults ?? [];
  const nonces = scriptSources.filter((s) => /^'nonce-/i.test(s)).map((s) => s.slice(7, -1));
  for (const s of scriptSources) {
    if (/^(\*|https?:|data:|blob:|filesystem:)$/i.test(s) || s.startsWith('*')) problems.push(`script-src allows ${s}, which lets in scripts from anywhere`);
  }
  for (const n of nonces) if (n.length < 16) problems.push(`the script nonce ${JSON.stringify(n)} is shorter than 16 characters (too guessable)`);
  const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)];
  if (scripts.length > 0 && nonces.length === 0) problems.push('the page has scripts but script-src has no nonce');
  for (const script of scripts) {
    const nonce = /\bnonce\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(script[1]);
    const value = nonce ? decodeEntities(nonce[1] ?? nonce[2] ?? nonce[3]) : undefined;
    if (value === undefined || !nonces.includes(value)) problems.push(`a <script> without the policy's nonce: ${script[0].slice(0, 80)}`);
  }

  const styleNonces = (policy.get('style-src') ?? defaults ?? []).filter((s) => /^'nonce-/i.test(s)).map((s) => s.slice(7, -1));
  for (const style of html.matchAll(/<style\b([^>]*)>/gi)) {
    const nonce = /\bnonce\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(style[1]);
    if (!nonce || !styleNonces.includes(decodeEntities(nonce[1] ?? nonce[2]))) problems.push('a <style> element the policy blocks (no matching nonce in style-src)');
  }
  // Blocked under any policy without 'unsafe-inline' / 'unsafe-hashes': they would silently do nothing.
  const handler = /<[a-z][^>]*\s(on[a-z]+)\s*=/i.exec(html);
  if (handler) problems.push(`an inline event handler (${handler[1]}=) that the policy blocks`);
  const styleAttr = /<[a-z][^>]*\sstyle\s*=/i.exec(html);
  if (styleAttr) problems.push('an inline style attribute that the policy blocks');
  if (/\b(href|src|action)\s*=\s*["']?\s*javascript:/i.test(html)) problems.push('a javascript: URL');
  return problems;
}

/** directive → sources, as a browser reads a policy (first occurrence of a directive wins). */
function parsePolicy(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), sources);
  }
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
