/**
 * `npm run test:electron`: the standard runner for contributors who can download VS Code
 * (it fetches it from Microsoft at run time, so CI here uses the code-server e2e suite).
 */
import { resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = resolve(__dirname, '../..');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: resolve(__dirname, 'suite/index.js'),
    launchArgs: [resolve(root, 'test/fixtures/rust'), '--disable-extensions'],
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
