// @ts-check
'use strict';
/**
 * Webpack loader for web-tree-sitter's CommonJS build. Its Emscripten glue
 * can also fetch the .wasm files over the network in a browser (fetch,
 * XMLHttpRequest). In Node, given the bytes (we pass them: see
 * src/core/syntax/syntaxParsers.ts), those branches never run; this loader
 * replaces them with calls that throw, so the bundle has no network path at
 * all (test/unit/noNetwork.test.ts checks). A new web-tree-sitter version
 * with other call sites fails the build, to be looked at.
 */
const EXPECTED = { fetch: 3, XMLHttpRequest: 2 };

/** @param {string} source */
module.exports = function noBrowserLoading(source) {
  let fetches = 0;
  let xhrs = 0;
  let out = source.replace(/(^|[^\w$.])fetch\(/g, (_, before) => (fetches++, `${before}refuseNetwork(`));
  out = out.replace(/new XMLHttpRequest\(\)/g, () => (xhrs++, 'refuseNetwork()'));
  if (fetches !== EXPECTED.fetch || xhrs !== EXPECTED.XMLHttpRequest) {
    throw new Error(`web-tree-sitter: expected ${EXPECTED.fetch} fetch and ${EXPECTED.XMLHttpRequest} XMLHttpRequest call sites, found ${fetches} and ${xhrs}: review the new version`);
  }
  const refuse = 'function refuseNetwork() { throw new Error("LSTM Lens reads tree-sitter files from disk only"); }\n';
  return refuse + out;
};
