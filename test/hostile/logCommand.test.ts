/**
 * Hostile inputs of the second audit, item 5: `handoffJournal.supervisor.logCommand`.
 * Its placeholders take values from outside (a log URI's `?id=`, a folder name), and a
 * command may hand them to a shell (the README's `ssh loghost cat …` does); its time
 * limit must stop what it started, a background grandchild holding stdout included. Run
 * against the server in process (the real `sh -c`) and the real process runner.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { runLogCommand } from '../../shared/supervisorLog/node';
import { runBounded } from '../../shared/util/node';
import { TestClient, testDeps } from '../support/lspClient';
import { dir, GUARD, journalIn, NOW, root } from '../support/hostile';

const MARK = join(root, 'INJECTED');
// The injected commands touch $HJ_MARK: a shell that runs them leaves the file behind.
process.env.HJ_MARK = MARK;
const ID = '5b850ada-a2d1-473b-b929-a2cf15fd872c';
const leftRunning: number[] = [];
after(() =>
  leftRunning.forEach((pid) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }),
);

/** Whether a pid is gone (or a zombie waiting to be reaped): it runs nothing any more. */
function gone(pid: number): boolean {
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return stat === '' || /^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
}

/** Waits until the pid is gone (a SIGKILL lands asynchronously); false if it still runs after the guard. */
async function dies(pid: number, guardMs = 10_000): Promise<boolean> {
  for (const end = Date.now() + guardMs; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (gone(pid)) return true;
  return gone(pid);
}

async function logView(logCommand: string[], journal: string, query = ''): Promise<string> {
  const c = TestClient.inProcess(testDeps(NOW));
  try {
    await c.initialize({ trusted: true, logCommand, storagePath: join(root, 'storage') });
    return (await c.content(`handoff-journal-log:${pathToFileURL(journal).pathname}${query}`)).text;
  } finally {
    await c.close();
  }
}

describe('5. logCommand substitutes only values it cannot misread', () => {
  it('a ?id= that is not a UUID runs nothing and says so', GUARD, async () => {
    const journal = journalIn(dir('cmd-id/kv'));
    const text = await logView(
      ['sh', '-c', 'echo looking for ${handoffId}'],
      journal,
      `?id=${encodeURIComponent('$(touch${IFS}$HJ_MARK)')}`,
    );
    assert.match(text, /the log URI's \?id= \(.*\) is not a handoff id \(a UUID/);
    assert.equal(existsSync(MARK), false, 'the injected command did not run');
  });

  it('a service folder named "kv$(touch${IFS}$HJ_MARK)" is not substituted; a plain one is', GUARD, async () => {
    const evil = journalIn(dir('cmd-svc/kv$(touch${IFS}$HJ_MARK)'));
    const argv = ['sh', '-c', 'echo "INFO handoff.prepare: prepare handoff handoff_id=${handoffId} service=${service}"'];
    const text = await logView(argv, evil, `?id=${ID}`);
    assert.match(text, /command +command-failed: the log command .* was not run: the service name .* is not a plain name/);
    assert.equal(existsSync(MARK), false, 'the injected command did not run');
    const plain = await logView(argv, journalIn(dir('cmd-svc/kv')), `?id=${ID}`);
    assert.match(plain, new RegExp(`prepare handoff handoff_id=${ID} service=kv`));
    assert.match(plain, /^source {6}command: sh -c /m);
  });

  it('${journal} only as a whole argument holding a plain path', GUARD, async () => {
    const text = await logView(['sh', '-c', 'cat ${journal}'], journalIn(dir('cmd-journal/kv')), `?id=${ID}`);
    assert.match(text, /`\$\{journal\}` must be a whole argument/);
  });
});

describe('5. the time limit stops the whole process group', () => {
  it('a background grandchild holding stdout: the wait ends when the command exits, and the grandchild is killed', GUARD, async () => {
    const r = await runBounded(['sh', '-c', 'sleep 300 & echo $!'], { timeoutMs: 60_000 });
    const pid = Number(r.stdout.toString().trim());
    assert.ok(pid > 0, r.stderr);
    leftRunning.push(pid);
    assert.deepEqual([r.code, r.timedOut], [0, false]);
    assert.ok(await dies(pid), 'the grandchild was killed with the group');
  });

  it('a command and its grandchild that both hang: killed together at the time limit', GUARD, async () => {
    const pidFile = join(dir('cmd-hang'), 'pid');
    writeFileSync(pidFile, '');
    const r = await runLogCommand(['sh', '-c', `sleep 300 & echo $! > ${pidFile}; sleep 300`], { timeoutMs: 1500 });
    assert.ok(!r.ok && r.reason === 'timeout', r.ok ? 'ok' : r.message);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    leftRunning.push(pid);
    assert.ok(await dies(pid), 'the grandchild was killed with the group');
  });

  it('a grandchild that left the group (setsid) and holds stdout: the wait still ends', GUARD, async () => {
    const r = await runBounded(['sh', '-c', 'setsid sleep 300 & echo $!'], { timeoutMs: 60_000 });
    leftRunning.push(Number(r.stdout.toString().trim()));
    assert.deepEqual([r.code, r.timedOut], [0, false]);
  });
});
