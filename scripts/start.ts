/**
 * `npm start [-- --port N] [--step-ms 1500] [--skip-package] [--no-simulate]`: a live demo.
 * Sets up code-server (scripts/e2eSetup.sh), packages and installs the extension into
 * .cache/e2e/demo/extensions, prepares a demo workspace .cache/e2e/demo/workspace
 * (services kv, web, broken) and starts code-server on 127.0.0.1 ($PORT, else 8080, else a
 * free port) while the supervisor simulator loops over every scenario on `services/live`.
 * Ctrl-C stops code-server, the simulator and all their children.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { E2E_CACHE, REPO_ROOT, freePort, installExtension, startCodeServer } from '../test/e2e/codeServer';
import { onCleanup, runCleanups } from '../test/e2e/processes';
import { prepareWorkspace } from '../test/e2e/workspace';
import { SCENARIOS, formatStep, runScenario } from '../test/support/simulator';

const VSIX = join(REPO_ROOT, 'dist', 'handoff-journal.vsix');
const DEMO = join(E2E_CACHE, 'demo');

function sh(what: string, command: string, args: string[]): void {
  console.log(`start: ${what}`);
  const r = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

/** Packages and installs the extension, prepares the demo workspace; returns the workspace. */
async function prepare(skipPackage: boolean): Promise<{ workspace: string; extensionsDir: string }> {
  sh('setup (scripts/e2eSetup.sh)', 'bash', [join(REPO_ROOT, 'scripts', 'e2eSetup.sh')]);
  if (!skipPackage || !existsSync(VSIX)) sh('npm run package', 'npm', ['run', '--silent', 'package']);
  const extensionsDir = join(DEMO, 'extensions');
  const workspace = join(DEMO, 'workspace');
  mkdirSync(DEMO, { recursive: true });
  console.log(`start: installing ${VSIX} into ${extensionsDir}`);
  await installExtension(VSIX, extensionsDir);
  await prepareWorkspace(workspace);
  // The first screen: the live journal decoded (status bar item showing), the Handoff
  // Journals view open; the walkthrough also opens on the extension's first start.
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    join(workspace, '.vscode', 'settings.json'),
    `${JSON.stringify({ 'handoffJournal.welcome.openOnStart': ['services/live/state.bin'], 'workbench.startupEditor': 'none' }, null, 2)}\n`,
  );
  return { workspace, extensionsDir };
}

/** Plays every simulator scenario on services/live, slowed down, until `signal` aborts. */
async function simulateLoop(workspace: string, stepMs: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    for (const name of SCENARIOS) {
      if (signal.aborted) break;
      await runScenario(join(workspace, 'services'), name, {
        stepMs,
        service: 'live',
        signal,
        onStep: (s) => console.log(`[simulator] ${formatStep(s)}`),
      });
      await new Promise((r) => setTimeout(r, signal.aborted ? 0 : stepMs * 2));
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '8080' },
      'step-ms': { type: 'string', default: '1500' },
      'skip-package': { type: 'boolean', default: false },
      'no-simulate': { type: 'boolean', default: false },
    },
  });
  const { workspace, extensionsDir } = await prepare(values['skip-package']);
  const wanted = Number(values.port);
  const port = await freePort(Number.isInteger(wanted) && wanted > 0 ? wanted : 0);
  if (port !== wanted) console.log(`start: port ${values.port} is busy, using ${port}`);
  console.log('start: starting code-server');
  const settings = { 'explorer.compactFolders': false };
  const server = await startCodeServer({ workspace, runDir: DEMO, marker: `demo-${process.pid}`, extensionsDir, port, settings });
  const stop = new AbortController();
  const loop = values['no-simulate']
    ? Promise.resolve()
    : simulateLoop(workspace, Number(values['step-ms']), stop.signal).catch((e: unknown) =>
        console.error(`[simulator] ${e instanceof Error ? e.message : String(e)}`),
      );
  let stopping = false;
  onCleanup(async () => {
    stopping = true;
    stop.abort();
    await loop;
  });
  console.log(`
  Handoff Journal demo is running (code-server log: ${server.logFile}).
  Open:  ${server.folderUrl}
  The simulator ${values['no-simulate'] ? 'is off' : `plays every supervisor scenario on services/live/state.bin (${values['step-ms']} ms per step, slowed down for the demo)`}.
  Press Ctrl-C to stop everything.
`);
  // Stay up until Ctrl-C (processes.ts stops everything), or until code-server dies.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  server.process.once('exit', (code, sig) => {
    clearInterval(keepAlive);
    if (stopping) return;
    console.error(`start: code-server exited (${code ?? sig}); see ${server.logFile}`);
    void runCleanups().finally(() => process.exit(1));
  });
}

main().catch(async (e: unknown) => {
  console.error(`start: ${e instanceof Error ? e.message : String(e)}`);
  await runCleanups();
  process.exit(1);
});
