import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteJournalFile, readJournalFile, tmpPathFor, writeJournalAtomic } from '../../shared/journal/node';
import { encodeJournal } from '../../shared/journal';
import { journal } from '../support/rustFixtures';

let root = '';
let n = 0;
/** A fresh empty directory per test, inside one temp root removed at the end. */
async function dir(): Promise<string> {
  const d = join(root, `t${n++}`);
  await mkdir(d);
  return d;
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'hj-journalfile-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

const A = encodeJournal(journal(), 'postcard');
const B = encodeJournal(journal({ phase: 'AwaitingReady' }), 'postcard');

describe('tmpPathFor mirrors Path::with_extension("bin.tmp")', () => {
  const table: [string, string][] = [
    ['state.bin', 'state.bin.tmp'],
    ['state.json', 'state.bin.tmp'],
    ['journal', 'journal.bin.tmp'],
    ['.hidden', '.hidden.bin.tmp'],
    ['a.b.c', 'a.b.bin.tmp'],
    ['dir/x.y/state', 'dir/x.y/state.bin.tmp'],
    ['foo.', 'foo.bin.tmp'],
    ['/var/lib/beyond/handoff/db/state.bin', '/var/lib/beyond/handoff/db/state.bin.tmp'],
    ['..hidden', '..bin.tmp'],
  ];
  for (const [input, expected] of table) {
    test(`${input} -> ${expected}`, () => assert.equal(tmpPathFor(input), expected));
  }
});

describe('writeJournalAtomic', () => {
  test('creates parent directories, writes exact bytes, leaves no tmp', async () => {
    const d = await dir();
    const path = join(d, 'a', 'b', 'state.bin');
    const r = await writeJournalAtomic(path, A);
    assert.deepEqual(r, { ok: true });
    assert.deepEqual(new Uint8Array(await readFile(path)), A);
    assert.deepEqual(await readdir(join(d, 'a', 'b')), ['state.bin']);
  });

  test('replaces an existing journal', async () => {
    const d = await dir();
    const path = join(d, 'state.bin');
    await writeFile(path, A);
    assert.deepEqual(await writeJournalAtomic(path, B), { ok: true });
    assert.deepEqual(new Uint8Array(await readFile(path)), B);
    assert.deepEqual(await readdir(d), ['state.bin']);
  });

  test('a failing rename (EXDEV) leaves the old journal intact and no tmp', async () => {
    const d = await dir();
    const path = join(d, 'state.bin');
    await writeFile(path, A);
    const rename = async (): Promise<void> => {
      const e = new Error('EXDEV: cross-device link not permitted') as Error & { code: string };
      e.code = 'EXDEV';
      throw e;
    };
    const r = await writeJournalAtomic(path, B, { rename });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'EXDEV');
      assert.equal(r.error.path, path);
    }
    assert.deepEqual(new Uint8Array(await readFile(path)), A);
    assert.deepEqual(await readdir(d), ['state.bin']);
  });

  test('a stale leftover tmp is replaced', async () => {
    const d = await dir();
    const path = join(d, 'state.bin');
    const tmp = tmpPathFor(path);
    await writeFile(tmp, 'leftover of a dead writer');
    const old = new Date(Date.now() - 60_000);
    await utimes(tmp, old, old);
    assert.deepEqual(await writeJournalAtomic(path, A), { ok: true });
    assert.deepEqual(new Uint8Array(await readFile(path)), A);
    assert.equal(existsSync(tmp), false);
  });

  test('a tmp held open by a live process is not clobbered', async () => {
    const d = await dir();
    const path = join(d, 'state.bin');
    const tmp = tmpPathFor(path);
    await writeFile(path, A);
    const fh = await open(tmp, 'w');
    try {
      await fh.write('in progress');
      const r = await writeJournalAtomic(path, B);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.kind, 'busy');
      assert.equal(await readFile(tmp, 'utf8'), 'in progress');
      assert.deepEqual(new Uint8Array(await readFile(path)), A);
    } finally {
      await fh.close();
    }
  });

  test('a live tmp reached through a symlinked directory is not clobbered', async () => {
    const d = await dir();
    await mkdir(join(d, 'real'));
    await symlink(join(d, 'real'), join(d, 'link'));
    const fh = await open(join(d, 'real', 'state.bin.tmp'), 'w');
    try {
      await fh.write('in progress');
      const r = await writeJournalAtomic(join(d, 'link', 'state.bin'), B);
      assert.equal(r.ok, false);
      assert.equal(await readFile(join(d, 'real', 'state.bin.tmp'), 'utf8'), 'in progress');
    } finally {
      await fh.close();
    }
  });

  test('a path that names no file is refused', async () => {
    const r = await writeJournalAtomic(`${await dir()}/`, A);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error.kind, 'bad-path');
  });
});

describe('readJournalFile', () => {
  test('reads a journal', async () => {
    const d = await dir();
    await writeFile(join(d, 'state.bin'), A);
    const r = await readJournalFile(join(d, 'state.bin'));
    assert.equal(r.state, 'ok');
    if (r.state === 'ok') {
      assert.deepEqual(r.bytes, A);
      assert.equal(r.info.size, A.length);
    }
  });

  test('missing file -> missing', async () => {
    const r = await readJournalFile(join(await dir(), 'state.bin'));
    assert.equal(r.state, 'missing');
  });

  test('a missing parent directory -> missing', async () => {
    const r = await readJournalFile(join(await dir(), 'nope', 'state.bin'));
    assert.equal(r.state, 'missing');
  });

  test('a FIFO is refused without blocking', async () => {
    const d = await dir();
    const fifo = join(d, 'state.bin');
    execFileSync('mkfifo', [fifo]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((res) => {
      timer = setTimeout(() => res('timeout'), 2000);
    });
    const r = await Promise.race([readJournalFile(fifo), timeout]);
    clearTimeout(timer);
    assert.notEqual(r, 'timeout', 'readJournalFile blocked on a FIFO');
    if (r === 'timeout') return;
    assert.equal(r.state, 'error');
    if (r.state === 'error') {
      assert.equal(r.error.kind, 'not-regular');
      assert.match(r.error.message, /FIFO/);
    }
  });

  test('a directory is not a regular file', async () => {
    const d = await dir();
    await mkdir(join(d, 'state.bin'));
    const r = await readJournalFile(join(d, 'state.bin'));
    assert.equal(r.state, 'error');
    if (r.state === 'error') assert.equal(r.error.kind, 'not-regular');
  });

  test('a dangling symlink -> missing with a note', async () => {
    const d = await dir();
    await symlink(join(d, 'gone.bin'), join(d, 'state.bin'));
    const r = await readJournalFile(join(d, 'state.bin'));
    assert.equal(r.state, 'missing');
    if (r.state === 'missing') assert.match(r.note ?? '', /dangling symlink/);
  });

  test('a symlink to a journal is followed', async () => {
    const d = await dir();
    await writeFile(join(d, 'real.bin'), A);
    await symlink('real.bin', join(d, 'state.bin'));
    const r = await readJournalFile(join(d, 'state.bin'));
    assert.equal(r.state, 'ok');
  });

  test('a symlink loop -> symlink-loop', async () => {
    const d = await dir();
    await symlink(join(d, 'b'), join(d, 'a'));
    await symlink(join(d, 'a'), join(d, 'b'));
    const r = await readJournalFile(join(d, 'a'));
    assert.equal(r.state, 'error');
    if (r.state === 'error') assert.equal(r.error.kind, 'symlink-loop');
  });

  test('a 100 KB file is too large', async () => {
    const d = await dir();
    await writeFile(join(d, 'state.bin'), new Uint8Array(100_000));
    const r = await readJournalFile(join(d, 'state.bin'));
    assert.equal(r.state, 'error');
    if (r.state === 'error') assert.equal(r.error.kind, 'too-large');
  });

  test('a leftover tmp does not affect reading', async () => {
    const d = await dir();
    await writeFile(join(d, 'state.bin'), A);
    await writeFile(join(d, 'state.bin.tmp'), B);
    const r = await readJournalFile(join(d, 'state.bin'));
    assert.ok(r.state === 'ok' && Buffer.from(r.bytes).equals(Buffer.from(A)));
  });
});

describe('deleteJournalFile', () => {
  test('is idempotent', async () => {
    const d = await dir();
    const path = join(d, 'state.bin');
    await writeFile(path, A);
    assert.deepEqual(await deleteJournalFile(path), { ok: true, existed: true });
    assert.equal(existsSync(path), false);
    assert.deepEqual(await deleteJournalFile(path), { ok: true, existed: false });
  });
});
