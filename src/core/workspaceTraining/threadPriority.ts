import * as os from 'os';
import { isMainThread } from 'worker_threads';

/**
 * Lowers the CPU priority of the calling worker thread to the lowest, where
 * that touches the thread alone: on Linux a nice value belongs to a thread,
 * and setpriority(PRIO_PROCESS, 0) (os.setPriority(p)) sets the caller's.
 * On macOS and Windows the same call lowers the whole process, the editor
 * with it, so nothing is done there; nor on the main thread anywhere.
 * Returns whether the priority was lowered.
 */
export function lowerWorkerThreadPriority(
  platform: NodeJS.Platform = process.platform,
  onMainThread = isMainThread,
  setPriority: (priority: number) => void = (priority) => os.setPriority(priority),
): boolean {
  if (platform !== 'linux' || onMainThread) return false;
  try {
    setPriority(os.constants.priority.PRIORITY_LOW);
    return true;
  } catch {
    // Not allowed here (a sandbox): the run goes on at the priority it has.
    return false;
  }
}
