import * as assert from 'assert';
import { SpawnSyncReturns, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * "No code leaves the machine": the built extension, its workers and the CLI
 * must never open a network connection. Two checks, because each misses what
 * the other sees:
 *  - at run time, the real bundles run under a guard (preloaded with
 *    NODE_OPTIONS, so worker threads and child processes get it too) that
 *    replaces every network entry point of Node with one that records the
 *    attempt and throws. The record goes to a file, so an attempt still
 *    counts when the code catches the error;
 *  - statically, no bundle may require a network module or call a global
 *    network API, on code paths the run-time check does not reach.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist');
const CLI = path.join(DIST, 'cli.js');

/** The preloaded guard (plain JavaScript: it runs before anything else). */
const GUARD = String.raw`'use strict';
const fs = require('fs');
const logFile = process.env.LSTM_LENS_NET_LOG;
function attempt(what) {
  const where = (new Error().stack || '').split('\n').slice(2, 5).map((l) => l.trim()).join(' < ');
  fs.appendFileSync(logFile, what + ' @ ' + where + '\n');
  const err = new Error('network access blocked by the no-network test: ' + what);
  err.code = 'ENETBLOCKED';
  throw err;
}
function block(name, fns, target) {
  const mod = target || require(name);
  for (const fn of fns) if (typeof mod[fn] === 'function') mod[fn] = function () { return attempt(name + '.' + fn); };
}
block('net', ['connect', 'createConnection', 'createServer']);
block('net.Socket.prototype', ['connect'], require('net').Socket.prototype);
block('tls', ['connect', 'createServer']);
block('http', ['request', 'get', 'createServer']);
block('https', ['request', 'get', 'createServer']);
block('http2', ['connect', 'createServer', 'createSecureServer']);
block('dgram', ['createSocket']);
const dnsFns = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse'];
block('dns', dnsFns);
block('dns.promises', dnsFns, require('dns').promises);
for (const g of ['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest']) {
  if (g in globalThis || g === 'fetch') globalThis[g] = function () { return attempt(g); };
}
`;

interface GuardedRun extends SpawnSyncReturns<string> {
  /** One line per network attempt, with where it came from. */
  attempts: string[];
}

describe('no network access anywhere in the extension', function () {
  this.timeout(180_000);
  let tmp: string;
  let guard: string;

  before(function () {
    for (const bundle of ['extension.js', 'cli.js', 'gradientWorker.js']) {
      assert.ok(fs.existsSync(path.join(DIST, bundle)), `dist/${bundle} is missing: run npm run compile first`);
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-nonet-'));
    guard = path.join(tmp, 'guard.js');
    fs.writeFileSync(guard, GUARD);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function runGuarded(args: string[]): GuardedRun {
    const log = path.join(tmp, `attempts-${Math.random().toString(36).slice(2)}.log`);
    fs.writeFileSync(log, '');
    const run = spawnSync(process.execPath, args, {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${guard}`.trim(), LSTM_LENS_NET_LOG: log },
      timeout: 150_000,
    });
    const attempts = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    return { ...run, attempts };
  }

  function assertClean(run: GuardedRun, what: string): void {
    assert.deepStrictEqual(run.attempts, [], `${what} tried the network`);
    assert.strictEqual(run.status, 0, `${what} failed: ${run.stderr.slice(-1500)}`);
  }

  it('the guard sees every network entry point, in the main thread and in worker threads', () => {
    // Each call is expected to be refused; the test is that the guard saw it.
    const probe = String.raw`
      const tries = {
        fetch: () => fetch('http://127.0.0.1:9/'),
        'http.get': () => require('http').get('http://127.0.0.1:9/'),
        'https.request': () => require('https').request('https://127.0.0.1:9/'),
        'net.connect': () => require('net').connect(9, '127.0.0.1'),
        'net.Socket.prototype.connect': () => new (require('net').Socket)().connect(9, '127.0.0.1'),
        'tls.connect': () => require('tls').connect(9, '127.0.0.1'),
        'dns.lookup': () => require('dns').lookup('localhost', () => {}),
        'dns.promises.lookup': () => require('dns').promises.lookup('localhost'),
        'dgram.createSocket': () => require('dgram').createSocket('udp4'),
        'http2.connect': () => require('http2').connect('http://127.0.0.1:9'),
      };
      for (const f of Object.values(tries)) { try { const p = f(); if (p && p.catch) p.catch(() => {}); } catch {} }
      const { Worker } = require('worker_threads');
      const w = new Worker("try { require('http').get('http://127.0.0.1:9/') } catch {} try { fetch('http://x/') } catch {}", { eval: true, execArgv: [] });
      w.on('exit', () => {});
    `;
    const run = runGuarded(['-e', probe]);
    const seen = new Set(run.attempts.map((line) => line.split(' @ ')[0]));
    for (const name of ['fetch', 'http.get', 'https.request', 'net.connect', 'net.Socket.prototype.connect', 'tls.connect', 'dns.lookup', 'dns.promises.lookup', 'dgram.createSocket', 'http2.connect']) {
      assert.ok(seen.has(name), `the guard missed ${name}; saw ${[...seen].join(', ')}`);
    }
    // The worker's two attempts come on top of the main thread's one each.
    assert.strictEqual(run.attempts.filter((l) => l.startsWith('http.get @')).length, 2, 'the worker thread is not guarded');
    assert.strictEqual(run.attempts.filter((l) => l.startsWith('fetch @')).length, 2, 'the worker thread is not guarded');
  });

  it('activating the bundled extension and loading the bundled model opens no connection', () => {
    // The activation benchmark's one-shot mode: dist/extension.js with a fake vscode module.
    const run = runGuarded([CLI, 'bench', 'activation', '--once', '--extension', path.join(DIST, 'extension.js')]);
    assertClean(run, 'activation');
    const result = JSON.parse(run.stdout.trim().split('\n').pop() as string);
    assert.strictEqual(result.modelStatus, 'ready', 'the model did not load, so its code path was not covered');
  });

  it('the CLI completes, evaluates and trains (with worker threads) without a connection', () => {
    const sample = path.join(ROOT, 'samples', 'sample.ts');
    assertClean(runGuarded([CLI, 'complete', '--file', sample, '--offset', '283', '--json']), 'complete');
    assertClean(runGuarded([CLI, 'eval', '--json', sample]), 'eval');
    // Loads the tree-sitter runtime and the TypeScript grammar from dist/tree-sitter.
    assertClean(runGuarded([CLI, 'cells', '--syntax', '--max-chars', '2000', '--json', sample]), 'cells --syntax');
    const out = path.join(tmp, 'model');
    const train = runGuarded([CLI, 'train', '--out', out, '--layers', '1', '--hidden', '16', '--embed', '8', '--seq', '16', '--batch', '4', '--epochs', '1', '--val', '0.2', '--threads', '2', '--json', path.join(ROOT, 'samples')]);
    assertClean(train, 'train');
    assert.ok(fs.existsSync(path.join(out, 'model.json')), 'training wrote no model');
  });

  it('no bundle requires a network module or calls a global network API', () => {
    const NETWORK_MODULES = /^(node:)?(net|http|https|http2|tls|dns|dns\/promises|dgram|undici|node-fetch|cross-fetch|isomorphic-fetch|ws|axios|got|request|socket\.io-client)$/;
    // What the bundles may require; anything new must be looked at (and added here) on purpose.
    const allowed = (name: string, bundle: string) =>
      /^(node:)?(fs|fs\/promises|path|os|crypto|worker_threads|perf_hooks|util|events|buffer|string_decoder|url|zlib|stream|assert)$/.test(name) ||
      (bundle === 'extension.js' && name === 'vscode') ||
      // Idle retraining asks macOS (pmset) and Windows (PowerShell's Win32_Battery) whether the machine is on battery: local commands, execFile only.
      (bundle === 'extension.js' && /^(node:)?child_process$/.test(name)) ||
      // The CLI's benchmarks spawn PyTorch and load TensorFlow.js from node_modules (never shipped in the vsix).
      (bundle === 'cli.js' && /^(node:)?(child_process|module|v8)$|^@tensorflow\//.test(name));
    const bundles = fs.readdirSync(DIST).filter((f) => f.endsWith('.js'));
    assert.ok(bundles.length >= 3, `only ${bundles.join(', ')} in dist/`);
    for (const bundle of bundles) {
      const code = fs.readFileSync(path.join(DIST, bundle), 'utf8');
      const required = [...code.matchAll(/\b(?:require|import)\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((m) => m[2]);
      for (const name of required) {
        assert.ok(!NETWORK_MODULES.test(name), `${bundle} requires the network module ${name}`);
        assert.ok(allowed(name, bundle), `${bundle} requires ${name}, which is not on the reviewed list`);
      }
      const globalCall = /(?<![\w$.])(fetch|XMLHttpRequest|WebSocket|EventSource)\s*\(|new\s+(XMLHttpRequest|WebSocket|EventSource)\b|process\.binding\(\s*["'](tcp_wrap|udp_wrap|cares_wrap)/.exec(code);
      assert.strictEqual(globalCall, null, `${bundle} calls ${globalCall?.[0]}`);
    }
  });
});
