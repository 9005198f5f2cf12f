/** What a CLI command returned and printed. */
export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a CLI command with stdout and stderr captured (so stderr stays out of the test report). */
export async function runCaptured(command: () => Promise<number>): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  try {
    const code = await command();
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
