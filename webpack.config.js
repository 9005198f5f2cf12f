// @ts-check
'use strict';
const path = require('path');

/**
 * Node bundles: the extension (vscode is provided by the host), the CLI,
 * the gradient worker thread, the Train on Workspace worker thread and the
 * feature dictionary worker thread. TensorFlow.js is left out of the bundles:
 * only the benchmarks and tests use it, from node_modules.
 * @type {import('webpack').Configuration}
 */
module.exports = {
  target: 'node20',
  entry: {
    extension: './src/extension.ts',
    cli: './src/cli/main.ts',
    gradientWorker: './src/worker/gradientWorker.ts',
    trainingWorker: './src/worker/trainingWorker.ts',
    featuresWorker: './src/worker/featuresWorker.ts',
  },
  output: {
    path: path.resolve(__dirname, 'dist'),
    filename: '[name].js',
    libraryTarget: 'commonjs2',
    clean: true,
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
    rules: [{ test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { configFile: 'tsconfig.build.json' } }] }],
  },
  plugins: [
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
