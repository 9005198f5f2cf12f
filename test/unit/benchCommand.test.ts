import * as assert from 'assert';
import { UsageError } from '../../src/cli/args';
import { benchCommand } from '../../src/cli/commands/bench';
import { main } from '../../src/cli/main';
import { runCaptured } from './helpers/captureOutput';

describe('lstm-lens bench: subcommands', () => {
  const SUBCOMMANDS = ['completion', 'host-lag', 'soak', 'activation', 'kernels', 'concepts'];

  it('an unknown bench names every bench there is', async () => {
    await assert.rejects(benchCommand(['nope']), (err: Error) => {
      assert.ok(err instanceof UsageError, `not a usage error: ${err.message}`);
      for (const name of SUBCOMMANDS) assert.ok(err.message.includes(`bench ${name}`), `${name} missing from: ${err.message}`);
      return true;
    });
  });

  it('the usage text lists every bench', async () => {
    const help = await runCaptured(() => main(['--help']));
    assert.strictEqual(help.code, 0);
    const usage = help.stdout;
    for (const name of SUBCOMMANDS) assert.match(usage, new RegExp(`^  bench ${name}( |$)`, 'm'));
  });

  it('bench kernels and bench concepts refuse a bad --min-ms with a usage error, before measuring', async () => {
    await assert.rejects(benchCommand(['kernels', '--min-ms', '0']), UsageError);
    await assert.rejects(benchCommand(['concepts', '--min-ms', '0']), UsageError);
  });
});
