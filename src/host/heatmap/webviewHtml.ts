/**
 * The panel's HTML shell: no workspace text ever appears in it (src/webview/heatmap.ts
 * builds the view with textContent from posted messages). The
 * Content-Security-Policy allows only the extension's own stylesheet, the one
 * style element and the one script carrying this load's nonce: no inline
 * style attributes, no other inline script, no eval, no network. The nonce'd
 * style holds colorScale's step colors, so that the panel and the exported
 * page draw with the same ones. No vscode import.
 */
import { randomBytes } from 'crypto';
import { levelStyleRules } from '../../core/cells/colorScale';

export interface ShellUris {
  /** webview.cspSource: the origin the webview serves local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${cspSource} data:`, `style-src ${cspSource} 'nonce-${nonce}'`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

export function webviewHtml(uris: ShellUris, nonce = newNonce()): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(uris.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(uris.styleUri)}">
<style nonce="${attr(nonce)}">${levelStyleRules('vscode-body-class').join('\n')}</style>
<title>LSTM Lens Heatmap</title>
</head>
<body>
<div id="app" class="app"><p class="status">Loading…</p></div>
<script nonce="${attr(nonce)}" src="${attr(uris.scriptUri)}"></script>
</body>
</html>
`;
}
