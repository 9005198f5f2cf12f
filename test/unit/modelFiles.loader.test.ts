import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { newManifest } from '../../src/core/model/manifest';
import { ModelLoadError, loadModel, saveModel } from '../../src/core/model/modelFiles';
import { initParams, paramLayout } from '../../src/core/params';
import { fuzzParams } from './helpers/fuzzParams';

type Json = Record<string, unknown>;

/**
 * The loader's contract under bad input: it either returns a usable model or
 * rejects with a ModelLoadError whose message says what is wrong, never a
 * TypeError / RangeError from deep inside, never a hang.
 */
async function loadsOrFailsClearly(dir: string): Promise<'loaded' | 'refused'> {
  try {
    const model = await loadModel(dir);
    assert.strictEqual(model.params.length, model.layout.total);
    assert.ok(model.params.every(Number.isFinite), 'a loaded model has non-finite weights');
    return 'loaded';
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    assert.ok(err instanceof ModelLoadError, `not a ModelLoadError: ${(err as Error)?.stack ?? String(err)}`);
    assert.match(err.message, /^cannot load model /);
    // Messages a user could act on, not leaked JavaScript internals.
    assert.doesNotMatch(err.message, /Cannot read propert|is not a function|is not iterable|Maximum call stack|Invalid typed array length|Array buffer allocation/, err.message);
    return 'refused';
  }
}

/** Every path into a JSON value (objects and arrays), the root excluded. */
function jsonPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      // The 98 vocabulary characters would crowd out everything else.
      if (k !== 'vocabulary') jsonPaths(v, p, out);
    }
  }
  return out;
}

/** Sets (or deletes, for undefined) the value at a path of a cloned JSON tree. */
function mutate(json: Json, at: (string | number)[], value: unknown): void {
  let node = json as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) return;
    node = next as Record<string | number, unknown>;
  }
  const last = at[at.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** Values that hit edges: sizes near and past the limits, wrong types, empties. */
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, 0, -1, 1.5, 8192, 8193, 2 ** 31, 1e9, 1e308, -0, '', 'x', [], {}, [0], [1e6, 1e6], [8192, 32768], true, '..', '/etc/passwd', 'float16', 'uint8', 'int32'),
  fc.jsonValue({ maxDepth: 2 }),
);

/**
 * Watches the typed-array allocations made while `run` runs (the loader
 * calls the global constructors), to prove a small file cannot make it
 * allocate a large buffer before it notices the file is wrong.
 */
async function largestAllocation(run: () => Promise<unknown>): Promise<number> {
  let largest = 0;
  const saved = { Float32Array: globalThis.Float32Array, Uint8Array: globalThis.Uint8Array };
  const watch = <T extends new (...args: never[]) => object>(Base: T): T =>
    new Proxy(Base, {
      construct(target, args, newTarget) {
        if (typeof args[0] === 'number') largest = Math.max(largest, args[0] * ((target as unknown) === saved.Float32Array ? 4 : 1));
        return Reflect.construct(target, args, newTarget);
      },
    });
  globalThis.Float32Array = watch(saved.Float32Array);
  globalThis.Uint8Array = watch(saved.Uint8Array);
  try {
    await run();
  } finally {
    globalThis.Float32Array = saved.Float32Array;
    globalThis.Uint8Array = saved.Uint8Array;
  }
  return largest;
}

describe('fuzz: model loader', function () {
  let dir: string;
  let goodJson: string;
  let goodShard: Buffer;
  let shardName: string;

  before(async () => {
    const spec = { vocabSize: 98, embedDim: 4, hidden: [8, 6] };
    const layout = paramLayout(spec);
    const template = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-fuzz-model-'));
    await saveModel(template, { layout, params: initParams(layout, 5), manifest: newManifest(spec, 'fuzz') });
    goodJson = fs.readFileSync(path.join(template, 'model.json'), 'utf8');
    shardName = JSON.parse(goodJson).weightsManifest[0].paths[0];
    goodShard = fs.readFileSync(path.join(template, shardName));
    fs.rmSync(template, { recursive: true, force: true });
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-fuzz-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes a model folder: model.json text (or bytes) and the shard. */
  function write(json: string | Uint8Array, shard: Uint8Array = goodShard): void {
    fs.writeFileSync(path.join(dir, 'model.json'), json);
    fs.writeFileSync(path.join(dir, shardName), shard);
  }

  it('loads the unmodified model (the baseline the mutations start from)', async () => {
    write(goodJson);
    assert.strictEqual(await loadsOrFailsClearly(dir), 'loaded');
  });

  it('refuses random bytes as model.json', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        write(bytes);
        assert.strictEqual(await loadsOrFailsClearly(dir), 'refused');
      }),
      fuzzParams(150),
    );
  });

  it('refuses model.json truncated anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (cut) => {
        write(goodJson.slice(0, cut % goodJson.length));
        assert.strictEqual(await loadsOrFailsClearly(dir), 'refused');
      }),
      fuzzParams(150),
    );
  });

  it('random weight bytes of any length: a clear refusal, or a model with finite weights', async () => {
    const nearSize = fc.integer({ min: Math.max(0, goodShard.length - 8), max: goodShard.length + 8 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearSize, fc.nat(goodShard.length * 2)).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), async (bytes) => {
        write(goodJson, bytes);
        await loadsOrFailsClearly(dir);
      }),
      fuzzParams(150),
    );
  });

  it('any mutation of model.json (types, shapes, sizes, paths, quantization) fails clearly or loads a valid model', async () => {
    const paths = jsonPaths(JSON.parse(goodJson));
    const mutation = fc.record({ at: fc.constantFrom(...paths), value: nastyValue });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const json = JSON.parse(goodJson) as Json;
        for (const m of mutations) mutate(json, m.at, m.value);
        write(JSON.stringify(json));
        await loadsOrFailsClearly(dir);
      }),
      fuzzParams(400),
    );
  });

  it('huge declared layer sizes are refused without allocating for them', async () => {
    const hugeLayers = fc.array(fc.integer({ min: 1, max: 2 ** 31 }), { minLength: 1, maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(hugeLayers, fc.integer({ min: 0, max: 1 << 20 }), async (hidden, embed) => {
        const json = JSON.parse(goodJson);
        const layers = json.modelTopology.config.layers as { class_name: string; config: Json }[];
        const lstm = layers.find((l) => l.class_name === 'LSTM') as { config: Json };
        layers.splice(1, layers.length - 2, ...hidden.map((units, i) => ({ class_name: 'LSTM', config: { ...lstm.config, name: `lstm_${i}`, units } })));
        if (embed > 0) layers[0].config.output_dim = embed;
        write(JSON.stringify(json));
        let outcome = '';
        const largest = await largestAllocation(async () => (outcome = await loadsOrFailsClearly(dir)));
        assert.strictEqual(outcome, 'refused');
        // The shard is a few KB: allocations must stay bounded by the file
        // (uint8 weights expand 4×), plus slack, never follow the declared size.
        assert.ok(largest <= 4 * goodShard.length + (1 << 20), `allocated ${largest} bytes for a ${goodShard.length}-byte shard`);
      }),
      fuzzParams(60),
    );
  });

  it('NaN or infinite weights are refused, in float32, float16 and uint8 encodings', async () => {
    const float32Bad = fc.constantFrom(NaN, Infinity, -Infinity);
    await fc.assert(
      fc.asyncProperty(fc.nat(goodShard.length / 4 - 1), float32Bad, async (index, bad) => {
        const shard = Buffer.from(goodShard);
        shard.writeFloatLE(bad, index * 4);
        write(goodJson, shard);
        assert.strictEqual(await loadsOrFailsClearly(dir), 'refused');
        await assert.rejects(loadModel(dir), /NaN or infinite/);
      }),
      fuzzParams(40),
    );
    // float16: 0x7c00 is +Inf, 0x7e00 NaN; uint8: a scale that overflows float32.
    const json = JSON.parse(goodJson);
    const weights = json.weightsManifest[0].weights as Json[];
    const halves = weights.reduce((n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
    for (const bits of [0x7c00, 0x7e00, 0xfc00]) {
      const half = Buffer.alloc(halves * 2);
      half.writeUInt16LE(bits, 2 * (halves >> 1));
      write(JSON.stringify({ ...json, weightsManifest: [{ paths: [shardName], weights: weights.map((w) => ({ ...w, quantization: { dtype: 'float16' } })) }] }), half);
      await assert.rejects(loadModel(dir), (err: Error) => err instanceof ModelLoadError && /NaN or infinite/.test(err.message));
    }
    write(JSON.stringify({ ...json, weightsManifest: [{ paths: [shardName], weights: weights.map((w) => ({ ...w, quantization: { dtype: 'uint8', scale: 1e308, min: 0 } })) }] }), Buffer.alloc(halves, 255));
    await assert.rejects(loadModel(dir), (err: Error) => err instanceof ModelLoadError && /NaN or infinite/.test(err.message));
  });

  describe('deterministic hostile files', () => {
    const cases: [string, () => void][] = [
      ['a weights list of a million entries (no call-stack blow-up)', () => {
        const json = JSON.parse(goodJson);
        json.weightsManifest[0].weights = new Array(1_000_000).fill(0);
        write(JSON.stringify(json));
      }],
      ['weight specs that are not objects, or have a non-string name', () => {
        const json = JSON.parse(goodJson);
        json.weightsManifest[0].weights = [null, 5, 'x', { name: 7, shape: [1], dtype: 'float32' }];
        write(JSON.stringify(json));
      }],
      ['an unknown quantization dtype', () => {
        const json = JSON.parse(goodJson);
        for (const w of json.weightsManifest[0].weights) w.quantization = { dtype: 'int4', scale: 1, min: 0 };
        write(JSON.stringify(json));
      }],
      ['a shard path naming a folder', () => {
        const json = JSON.parse(goodJson);
        fs.mkdirSync(path.join(dir, 'sub'));
        json.weightsManifest[0].paths = ['sub'];
        write(JSON.stringify(json));
      }],
      ['a shard path naming a FIFO (reading it would block forever)', () => {
        const json = JSON.parse(goodJson);
        // Only where mkfifo exists; elsewhere the case is a plain missing shard.
        try {
          execFileSync('mkfifo', [path.join(dir, 'pipe')]);
        } catch {
          /* no mkfifo */
        }
        json.weightsManifest[0].paths = ['pipe'];
        json.weightsManifest[0].weights = json.weightsManifest[0].weights.map((w: Json) => ({ ...w, shape: [0] }));
        write(JSON.stringify(json));
      }],
      ['topology nested 100,000 levels deep', () => {
        const json = JSON.parse(goodJson);
        write(JSON.stringify(json).replace('"modelTopology":', '"modelTopology":' + '['.repeat(100_000) + ']'.repeat(100_000) + ',"_":'));
      }],
      ['a weight shape nested 100,000 levels deep', () => {
        write(goodJson.replace(/"shape":\s*\[/, '"shape": [' + '['.repeat(100_000) + ']'.repeat(100_000) + ','));
      }],
      ['a model.json that is a folder', () => {
        fs.mkdirSync(path.join(dir, 'model.json'));
      }],
    ];
    for (const [name, build] of cases) {
      it(name, async () => {
        build();
        assert.strictEqual(await loadsOrFailsClearly(dir), 'refused');
      });
    }
    afterEach(() => {
      // If a regression makes the loader read the FIFO, open its other end so
      // that the blocked read ends and the test run can still exit.
      try {
        fs.closeSync(fs.openSync(path.join(dir, 'pipe'), fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
      } catch {
        /* no FIFO, or no reader: nothing blocked */
      }
    });
  });
});
