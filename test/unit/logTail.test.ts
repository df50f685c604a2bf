/**
 * Log files read from a saved position (shared/supervisorLog/node/fileTail.ts) on real
 * files: whole lines only, rotation by rename and by truncation, a rotated file that is
 * gone (said, never guessed at), FIFOs never opened; and the engine's state
 * (shared/fleet/node/handoffLog.ts): a run that dies before saving is read again into the
 * older totals, so nothing is counted twice or dropped.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileEnd, readTail, type FilePosition } from '../../shared/supervisorLog/node';
import { HandoffLog, loadLogState, saveLogState } from '../../shared/fleet/node';

const dir = mkdtempSync(join(tmpdir(), 'hj-tail-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const LOGS = resolve(__dirname, '../fixtures/logs');
const fixture = (f: string): string => readFileSync(join(LOGS, f), 'utf8');

async function start(path: string): Promise<FilePosition> {
  const p = await fileEnd(path);
  assert.equal(p.kind, 'file');
  return p as FilePosition;
}

describe('a log file from a saved position', () => {
  it('reads whole lines only: a line being written is read once it ends', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, 'old\n');
    let pos = await start(f);
    appendFileSync(f, 'one\ntw');
    let r = await readTail(pos);
    assert.deepEqual(
      r.lines.map((l) => l.text),
      ['one'],
    );
    pos = r.position;
    appendFileSync(f, 'o\r\n');
    r = await readTail(pos);
    assert.deepEqual(
      r.lines.map((l) => l.text),
      ['two'],
    );
    assert.deepEqual(r.events, []);
  });

  it('rotation by rename (logrotate): the rest of the old file, then the new one from its start', async () => {
    const f = join(dir, 'b.log');
    writeFileSync(f, 'a\n');
    const pos = await start(f);
    appendFileSync(f, 'b\n');
    renameSync(f, `${f}.1`);
    writeFileSync(f, 'c\n');
    const first = await readTail(pos);
    assert.deepEqual(
      first.lines.map((l) => l.text),
      ['b'],
    );
    assert.equal(first.events[0]?.kind, 'rotated');
    assert.ok(first.more);
    const second = await readTail(first.position);
    assert.deepEqual(
      second.lines.map((l) => l.text),
      ['c'],
    );
  });

  it('rotation by truncation (copytruncate): read again from the start', async () => {
    const f = join(dir, 'c.log');
    writeFileSync(f, 'aaaa\nbbbb\n');
    const pos = await start(f);
    truncateSync(f, 0);
    appendFileSync(f, 'c\n');
    const r = await readTail(pos);
    assert.deepEqual(
      r.lines.map((l) => l.text),
      ['c'],
    );
    assert.equal(r.events[0]?.kind, 'rotated');
  });

  it('the old file gone (compressed, deleted): the gap is said, and the new file read from its start', async () => {
    const f = join(dir, 'd.log');
    writeFileSync(f, 'a\n');
    const pos = await start(f);
    appendFileSync(f, 'lost\n');
    rmSync(f);
    writeFileSync(f, 'new\n');
    const r = await readTail(pos);
    assert.equal(r.events[0]?.kind, 'cursor-lost');
    assert.match(r.events[0]?.message ?? '', /not read, so handoffs there are not counted/);
    assert.deepEqual(
      (await readTail(r.position)).lines.map((l) => l.text),
      ['new'],
    );
  });

  it('a FIFO or a missing file is never opened: said as unreadable', async () => {
    const fifo = join(dir, 'fifo.log');
    execFileSync('mkfifo', [fifo]);
    assert.equal(((await fileEnd(fifo)) as { kind: string }).kind, 'unreadable');
    const r = await readTail({ kind: 'file', path: join(dir, 'none.log'), dev: 0, ino: 0, offset: 0 });
    assert.equal(r.events[0]?.kind, 'unreadable');
  });
});

describe('the engine and its state', () => {
  it('starts at the end; a run that dies before saving is read again into the older totals: the same counts, once', async () => {
    const f = join(dir, 'kv.log');
    writeFileSync(f, fixture('01-three-fast-handoffs.log'));
    const sources = [{ kind: 'file' as const, path: f, service: 'kv' }];
    const first = new HandoffLog(sources);
    await first.catchUp();
    assert.equal(first.totals.kv?.handoffs, 0, 'what was there before the first run is not counted');
    const saved = join(dir, 'state', 'metrics.state.json');
    assert.deepEqual(await saveLogState(saved, first.snapshot()), { ok: true });

    appendFileSync(f, fixture('02-slow-handoff.log') + fixture('03-seal-failure-abort.log'));
    const died = new HandoffLog(sources, (await loadLogState(saved)).state);
    await died.catchUp();
    assert.equal(died.totals.kv?.handoffs, 2);
    // It dies here, without saving: the next run starts from the saved state again.
    const next = new HandoffLog(sources, (await loadLogState(saved)).state);
    await next.catchUp();
    assert.deepEqual(next.totals, died.totals);
    assert.deepEqual([next.totals.kv?.failures, next.totals.kv?.sealFailures], [1, 1]);
  });

  it('a damaged or foreign state file is said, never trusted', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version":1,"positions":{}');
    assert.match((await loadLogState(bad)).problem ?? '', /not valid JSON/);
    writeFileSync(bad, '{"version":99}');
    assert.match((await loadLogState(bad)).problem ?? '', /not a handoff-journal state file/);
    assert.deepEqual(await loadLogState(join(dir, 'absent.json')), {});
  });
});
