import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { newManifest } from '../../src/core/model/manifest';
import { Model, ModelSaveError, loadModel, saveModel } from '../../src/core/model/modelFiles';
import { ModelSpec } from '../../src/core/modelSpec';
import { initParams, paramLayout } from '../../src/core/params';
import { acquireRunLock } from '../../src/core/workspaceTraining/runLock';
import { TrainingJobRequest, runTrainingJob } from '../../src/core/workspaceTraining/trainingJob';

/**
 * A storage folder that is full or read-only. Both are simulated by
 * wrapping Node's fs.promises for paths under one folder (reliable in CI,
 * as root too, where chmod stops nothing): "full" lets files be created
 * but a write stores only part of its data and then fails with ENOSPC, as
 * a real full disk does; "read-only" fails every change with EROFS. Every
 * write in the code under test goes through fs.promises at call time.
 */
type Fault = 'full' | 'read-only';

function errno(code: string, syscall: string, p: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${code}: simulated, ${syscall} '${p}'`);
  e.code = code;
  e.syscall = syscall;
  return e;
}

class FaultyStorage {
  private readonly saved: Partial<Record<'open' | 'mkdir' | 'rename' | 'writeFile', unknown>> = {};

  /** Paths for which `applies` returns true get `fault`. */
  constructor(
    private readonly fault: Fault,
    private readonly applies: (p: string) => boolean,
  ) {}

  install(): this {
    const fsp = fs.promises as unknown as Record<string, unknown>;
    const open = fs.promises.open;
    const mkdir = fs.promises.mkdir;
    const rename = fs.promises.rename;
    const writeFile = fs.promises.writeFile;
    Object.assign(this.saved, { open, mkdir, rename, writeFile });
    const hit = (p: unknown) => this.applies(String(p));
    const readOnly = this.fault === 'read-only';
    const writing = (flags: unknown) => typeof flags === 'string' && /[wa+]/.test(flags);
    fsp.open = async (p: fs.PathLike, flags?: string, mode?: fs.Mode) => {
      if (hit(p) && writing(flags) && readOnly) throw errno('EROFS', 'open', String(p));
      const handle = await open(p, flags, mode);
      if (hit(p) && writing(flags)) {
        const write = handle.writeFile.bind(handle);
        handle.writeFile = async (data: string | Uint8Array) => {
          await write(typeof data === 'string' ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1));
          throw errno('ENOSPC', 'write', String(p));
        };
      }
      return handle;
    };
    fsp.mkdir = async (p: fs.PathLike, opts?: fs.MakeDirectoryOptions) => {
      if (hit(p) && readOnly && !fs.existsSync(p)) throw errno('EROFS', 'mkdir', String(p));
      return mkdir(p, opts);
    };
    fsp.rename = async (a: fs.PathLike, b: fs.PathLike) => {
      if (hit(b) && readOnly) throw errno('EROFS', 'rename', String(b));
      return rename(a, b);
    };
    fsp.writeFile = async (p: fs.PathLike, data: string, opts?: fs.WriteFileOptions) => {
      if (hit(p) && readOnly) throw errno('EROFS', 'open', String(p));
      if (hit(p)) {
        await writeFile(p, data.slice(0, data.length >> 1), opts);
        throw errno('ENOSPC', 'write', String(p));
      }
      return writeFile(p, data, opts);
    };
    return this;
  }

  restore(): void {
    Object.assign(fs.promises, this.saved);
  }
}

async function withFault<T>(fault: Fault, applies: (p: string) => boolean, run: () => Promise<T>): Promise<T> {
  const storage = new FaultyStorage(fault, applies).install();
  try {
    return await run();
  } finally {
    storage.restore();
  }
}

const SPEC: ModelSpec = { vocabSize: 98, embedDim: 8, hidden: [16] };
const layout = paramLayout(SPEC);
const modelOf = (seed: number, name = `m${seed}`): Model => ({ layout, params: initParams(layout, seed), manifest: newManifest(SPEC, name) });

describe('faults: storage full or read-only', function () {
  let dir: string;
  let modelDir: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lstm-lens-faults-storage-'));
    modelDir = path.join(dir, 'model');
    await saveModel(modelDir, modelOf(1, 'working'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The working model loads with its weights, and the folder holds exactly what it held. */
  async function assertUnchanged(files: string[]): Promise<void> {
    assert.deepStrictEqual(fs.readdirSync(modelDir).sort(), files, 'no file added or left behind');
    assert.deepStrictEqual((await loadModel(modelDir)).params, modelOf(1).params);
  }

  it('the disk fills up while the weights are written: a clear error, the old model kept, no partial file left', async () => {
    const files = fs.readdirSync(modelDir).sort();
    const err = await withFault('full', (p) => p.startsWith(modelDir), () => saveModel(modelDir, modelOf(2)).then(() => undefined, (e: unknown) => e));
    assert.ok(err instanceof ModelSaveError, String(err));
    assert.match(err.message, /cannot save the model in ".*model": the disk is full \(ENOSPC\)/);
    await assertUnchanged(files);
  });

  it('the disk fills up at model.json, after the new weights fit: the new shard is removed again', async () => {
    const files = fs.readdirSync(modelDir).sort();
    await assert.rejects(
      withFault('full', (p) => path.basename(p).startsWith('.model.json'), () => saveModel(modelDir, modelOf(2))),
      /the disk is full \(ENOSPC\)/,
    );
    await assertUnchanged(files);
  });

  it('a failed save of the very same weights keeps the shard the model already uses', async () => {
    const files = fs.readdirSync(modelDir).sort();
    // Same weights, so the same shard name: it must not be removed as a stray.
    await assert.rejects(withFault('full', (p) => path.basename(p).startsWith('.model.json'), () => saveModel(modelDir, modelOf(1, 'renamed'))), ModelSaveError);
    await assertUnchanged(files);
  });

  it('a read-only storage folder: saving and taking the training lock fail in words, nothing changes', async () => {
    const files = fs.readdirSync(modelDir).sort();
    await withFault('read-only', (p) => p.startsWith(dir), async () => {
      await assert.rejects(saveModel(modelDir, modelOf(2)), /cannot save the model in ".*": the file system is read-only \(EROFS\)/);
      await assert.rejects(acquireRunLock(dir), /cannot write in the storage folder ".*": the file system is read-only \(EROFS\)/);
      await assert.rejects(acquireRunLock(path.join(dir, 'new-workspace')), /read-only \(EROFS\)/);
    });
    await assertUnchanged(files);
    assert.ok(!fs.existsSync(path.join(dir, 'training.lock')));
  });

  it('a full disk when taking the training lock: a clear error, and the half-written lock does not block the next run', async () => {
    await assert.rejects(
      withFault('full', (p) => p.endsWith('training.lock'), () => acquireRunLock(dir)),
      /cannot write in the storage folder ".*": the disk is full \(ENOSPC\)/,
    );
    const lock = await acquireRunLock(dir);
    await lock.release();
  });

  describe('a training run on a disk that fills up', () => {
    const sources = Array.from({ length: 5 }, (_, i) => ({ name: `ws/f${i}.js`, text: `let v${i} = ${i};\nconsole.log(v${i});\n`.repeat(15) }));
    const request = (checkpointEverySeconds: number): TrainingJobRequest => ({
      spec: SPEC,
      initial: initParams(layout, 1),
      baseline: { spec: SPEC, params: initParams(layout, 1), name: 'working' },
      sources,
      train: { minutes: Infinity, epochs: 3, valFraction: 0.2, patience: 100, threads: 1, seq: 16, batch: 4, learningRate: 1e-2, evalEverySeconds: Infinity, checkpointEverySeconds, seed: 1 },
      outDir: modelDir,
      checkpointDir: path.join(dir, 'checkpoint'),
      modelName: 'trained',
      startedFrom: 'test',
      corpus: { files: sources.length, chars: 1000, sources: ['ws'], byLanguage: { '.js': sources.length } },
      compareChars: 1 << 16,
      cellChars: 0,
    });

    it('at the final save: the run fails saying the disk is full, and the working model stays', async () => {
      const files = fs.readdirSync(modelDir).sort();
      // Checkpoints never come due, so the first write is the winning model's.
      await assert.rejects(
        withFault('full', (p) => p.startsWith(modelDir), () => runTrainingJob(request(Infinity), new AbortController().signal, () => undefined)),
        /cannot save the model in ".*model": the disk is full \(ENOSPC\)/,
      );
      await assertUnchanged(files);
    });

    it('at a checkpoint: the run fails naming the checkpoint folder, the working model untouched', async () => {
      const files = fs.readdirSync(modelDir).sort();
      await assert.rejects(
        withFault('full', (p) => p.startsWith(path.join(dir, 'checkpoint')), () => runTrainingJob(request(0), new AbortController().signal, () => undefined)),
        /cannot save the model in ".*checkpoint": the disk is full \(ENOSPC\)/,
      );
      await assertUnchanged(files);
    });
  });
});
