import { promises as fs } from 'fs';
import * as path from 'path';
import { describeWriteError } from '../atomicWrite';

export interface RunLock {
  release(): Promise<void>;
}

export class TrainingBusyError extends Error {}

/**
 * One training at a time per workspace, across editor windows: a lock file
 * in the workspace's storage folder holding the owner's process id. A lock
 * left by a process that no longer runs (a crash, a killed editor) is taken
 * over. Throws TrainingBusyError when another live process holds it.
 */
export async function acquireRunLock(dir: string, owner = process.pid): Promise<RunLock> {
  // A read-only or full storage folder is said in words here, before any training starts.
  const unwritable = (err: unknown) => new Error(`cannot write in the storage folder ${JSON.stringify(dir)}: ${describeWriteError(err)}`);
  await fs.mkdir(dir, { recursive: true }).catch((err: unknown) => {
    throw unwritable(err);
  });
  const file = path.join(dir, 'training.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, JSON.stringify({ pid: owner, since: new Date().toISOString() }), { flag: 'wx' });
      return {
        release: async () => {
          await fs.rm(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(err);
      const holder = await readHolder(file);
      if (holder !== null && holder !== owner && isAlive(holder)) {
        throw new TrainingBusyError(`a training run is already going on for this workspace (process ${holder})`);
      }
      if (holder === owner) throw new TrainingBusyError('a training run is already going on for this workspace');
      // Stale: its owner is gone.
      await fs.rm(file, { force: true });
    }
  }
  throw new TrainingBusyError('could not take the training lock for this workspace');
}

async function readHolder(file: string): Promise<number | null> {
  try {
    const pid = (JSON.parse(await fs.readFile(file, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
