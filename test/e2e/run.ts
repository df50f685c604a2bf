/**
 * `npm run test:e2e [-- --only TEXT] [--skip-package] [--keep]`: the packaged extension in a
 * real VS Code (code-server) driven by a real browser (Debian chromium + playwright-core).
 *
 * Runs scripts/e2eSetup.sh, `npm run package`, copies workspace-template/ into a fresh temp
 * folder with the fixture journals, starts code-server + chromium, runs every
 * scenarios/*.ts (sorted by name; those with `session.user: 'unprivileged'` last, with
 * code-server as the suite's unprivileged user, see sessions.ts), and ends with exactly one
 * line `N passed, N failed`.
 * Screenshots, profiles and logs stay in .cache/e2e/run-<timestamp>/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { E2E_CACHE, REPO_ROOT } from './codeServer';
import { createContext, type Scenario, type Session } from './harness';
import { runCleanups } from './processes';
import { kindOf, runOrder, SessionPool } from './sessions';

const VSIX = join(REPO_ROOT, 'dist', 'handoff-journal.vsix');
const KEEP_RUNS = 5;

function sh(what: string, command: string, args: string[]): void {
  const t = Date.now();
  console.log(`e2e: ${what}`);
  const r = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
  console.log(`e2e: ${what}: done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/** Keeps the newest KEEP_RUNS run folders. */
function pruneRuns(): void {
  const runs = readdirSync(E2E_CACHE)
    .filter((d) => d.startsWith('run-'))
    .sort();
  for (const d of runs.slice(0, Math.max(0, runs.length - KEEP_RUNS))) rmSync(join(E2E_CACHE, d), { recursive: true, force: true });
}

async function loadScenarios(only: string | undefined): Promise<Scenario[]> {
  const dir = join(__dirname, 'scenarios');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const out: Scenario[] = [];
  for (const f of files) {
    const mod = (await import(join(dir, f))) as Partial<Scenario> & { default?: Scenario; scenario?: Scenario };
    const s = mod.default ?? mod.scenario ?? (mod.name !== undefined && mod.run !== undefined ? (mod as Scenario) : undefined);
    if (s === undefined) throw new Error(`${f} exports no scenario ({ name, run })`);
    if (only === undefined || f.includes(only) || s.name.includes(only)) out.push(s);
  }
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      'skip-package': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const started = Date.now();
  sh('setup (scripts/e2eSetup.sh)', 'bash', [join(REPO_ROOT, 'scripts', 'e2eSetup.sh')]);
  if (!values['skip-package'] || !existsSync(VSIX)) sh('npm run package', 'npm', ['run', '--silent', 'package']);
  if (!existsSync(VSIX)) throw new Error(`npm run package did not produce ${VSIX}`);

  mkdirSync(E2E_CACHE, { recursive: true });
  pruneRuns();
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const runDir = join(E2E_CACHE, `run-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const marker = `run-${stamp}-${process.pid}`;
  console.log(`e2e: run folder ${runDir}`);

  const scenarios = runOrder(await loadScenarios(values.only));
  const pool = new SessionPool({ runDir, marker, vsix: VSIX, keep: values.keep });
  let passed = 0;
  let failed = 0;
  try {
    for (const [i, s] of scenarios.entries()) {
      const t = Date.now();
      const report = { step: '(starting)' };
      let session: Session | undefined;
      console.log(`e2e: ▶ ${s.name}${kindOf(s) === 'root' ? '' : ` (as ${s.session?.user} user)`}`);
      try {
        session = await pool.sessionFor(s, i);
        session.wb.screenshotPrefix = `${s.name}-`;
        const ctx = createContext(session, runDir, report);
        await withTimeout(s.run(ctx), s.timeoutMs ?? 180_000, s.name);
        await session.wb.screenshot('end');
        passed++;
        console.log(`e2e: ✓ ${s.name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        await reportFailure(s, e, report.step, session);
      } finally {
        if (session !== undefined && !pool.isShared(session)) await session.close();
      }
    }
  } finally {
    await pool.closeAll();
    await runCleanups();
  }
  console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(0)} s in all; screenshots and logs in ${runDir}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || scenarios.length === 0 ? 1 : 0;
}

async function reportFailure(s: Scenario, e: unknown, step: string, session: Session | undefined): Promise<void> {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  console.log(`e2e: ✗ ${s.name}\n  at step: ${step}\n  ${message.split('\n').join('\n  ')}`);
  if (session === undefined) return;
  const shot = await session.wb.screenshot('FAILED').catch(() => session.wb.lastScreenshot);
  console.log(`  last screenshot: ${shot ?? '(none)'}`);
  console.log(`  code-server log ${session.server.logFile} (last 30 lines):\n${session.server.logTail(30).replace(/^/gm, '    | ')}`);
  const ctx = createContext(session, '', { step });
  const ext = await ctx.extensionLogTail(30);
  console.log(ext === '' ? '  extension log: (none found)' : `  extension log:\n${ext.replace(/^/gm, '    | ')}`);
}

main().then(
  (code) => process.exit(code),
  async (e: unknown) => {
    console.error(`e2e: ${e instanceof Error ? e.message : String(e)}`);
    await runCleanups();
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
