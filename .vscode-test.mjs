// @vscode/test-cli configuration: `npm run test:integration` downloads VS Code
// (pinned to the version the e2e tests run in code-server) and runs the mocha
// suite in test/integration inside its extension host, with this folder as the
// extension under development. It needs to reach update.code.visualstudio.com,
// so it cannot run on machines that only reach npm (see README, "Inline completion").
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  version: '1.100.3',
  workspaceFolder: 'test/e2e/fixtures/workspace',
  // Other installed extensions stay out of the way; the one under test still loads.
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 60_000 },
});
