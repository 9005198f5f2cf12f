// @ts-check
'use strict';
const path = require('path');

/**
 * Node bundles: the extension (vscode is provided by the host), the CLI,
 * the gradient worker thread, the Train on Workspace worker thread and the
 * Compare Cell Types and feature dictionary worker threads. TensorFlow.js is left out of the bundles:
 * only the benchmarks and tests use it, from node_modules.
 * @type {import('webpack').Configuration}
 */
const node = {
  name: 'node',
  target: 'node20',
  entry: {
    extension: './src/extension.ts',
    cli: './src/cli/main.ts',
    gradientWorker: './src/worker/gradientWorker.ts',
    trainingWorker: './src/worker/trainingWorker.ts',
    compareWorker: './src/worker/compareWorker.ts',
    featuresWorker: './src/worker/featuresWorker.ts',
    dynamicEvalWorker: './src/worker/dynamicEvalWorker.ts',
  },
  output: {
    path: path.resolve(__dirname, 'dist'),
    filename: '[name].js',
    libraryTarget: 'commonjs2',
    // dist/webview/ is the other bundle's.
    clean: { keep: /^webview[\\/]/ },
  },
  // Keep __dirname the real folder of the bundle (dist/), so models/ and the worker are found beside it.
  node: { __dirname: false, __filename: false },
  externals: {
    vscode: 'commonjs vscode',
    '@tensorflow/tfjs': 'commonjs @tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm': 'commonjs @tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-node': 'commonjs @tensorflow/tfjs-node',
  },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [
      { test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { configFile: 'tsconfig.build.json' } }] },
      // web-tree-sitter's browser-only ways of fetching .wasm files become errors (we hand it the bytes).
      { test: /web-tree-sitter[\\/]web-tree-sitter\.cjs$/, use: [{ loader: path.resolve(__dirname, 'scripts', 'webpack-no-browser-loading.js') }] },
    ],
  },
  plugins: [
    // The tree-sitter runtime and grammars are read at run time from dist/tree-sitter/, gzipped:
    // about 1 MB instead of 10 (see src/core/syntax/findWasmFile.ts).
    {
      apply(compiler) {
        const fs = require('fs');
        const zlib = require('zlib');
        const { Compilation, sources } = require('webpack');
        // Every .wasm at the root of web-tree-sitter and of each tree-sitter-* grammar package the project pins.
        const pkgs = Object.keys(require('./package.json').devDependencies).filter((p) => p === 'web-tree-sitter' || p.startsWith('tree-sitter-'));
        compiler.hooks.thisCompilation.tap('TreeSitterWasm', (compilation) => {
          compilation.hooks.processAssets.tap({ name: 'TreeSitterWasm', stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
            for (const pkg of pkgs) {
              const dir = path.join(__dirname, 'node_modules', pkg);
              for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.wasm'))) {
                compilation.fileDependencies.add(path.join(dir, file));
                compilation.emitAsset(`tree-sitter/${file}.gz`, new sources.RawSource(zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 })));
              }
            }
          });
        });
      },
    },
    // The CLI bundle is run directly: give it a shebang.
    {
      apply(compiler) {
        const { BannerPlugin } = require('webpack');
        new BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true, test: /cli\.js$/ }).apply(compiler);
      },
    },
  ],
  devtool: 'nosources-source-map',
  performance: { hints: false },
  infrastructureLogging: { level: 'warn' },
};

/**
 * The heatmap panel's webview script, for the browser: one self-contained
 * file that the panel's Content-Security-Policy admits by nonce (no eval, so
 * no eval-based source maps). Type-checked with the DOM library by its own
 * tsconfig.
 * @type {import('webpack').Configuration}
 */
const webview = {
  name: 'webview',
  target: 'web',
  entry: { heatmap: './src/webview/heatmap.ts' },
  output: { path: path.resolve(__dirname, 'dist', 'webview'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [{ test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { configFile: path.resolve(__dirname, 'src', 'webview', 'tsconfig.json') } }] }],
  },
  devtool: false,
  performance: { hints: false },
  infrastructureLogging: { level: 'warn' },
};

module.exports = [node, webview];
