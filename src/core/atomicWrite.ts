import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a file so that readers see either the old content or the new, never
 * a half-written one: write a temporary file in the same folder (same file
 * system, so rename is atomic), flush it to disk, then rename it over the
 * target. On failure the temporary file is removed and the target untouched.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(tmp, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.promises.rename(tmp, target);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Leftover temporary files from a crashed write (safe to delete). */
export function isAtomicTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * Why a write failed, in words a user can act on, with the system's code
 * kept for the log: "the disk is full (ENOSPC)". A full disk or a read-only
 * storage folder otherwise reaches the user as a bare errno message.
 */
export function describeWriteError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const why: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'the file system is read-only',
    EACCES: 'there is no permission to write there',
    EPERM: 'there is no permission to write there',
    ENOTDIR: 'a file stands where a folder should be',
  };
  if (code && why[code]) return `${why[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}
