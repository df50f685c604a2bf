/** Runs the bundled CLI (`dist/cli.js`, built by `npm run compile`) as a process. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, copyFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIX, cli, tmp } from '../support/cliProcess';
import { decodeJournal } from '../../shared/journal';

function journalIn(dir: string, fixture = 'postcard/064-typical-sealing.bin'): string {
  const p = join(dir, 'svc', 'state.bin');
  mkdirSync(join(dir, 'svc'), { recursive: true });
  copyFileSync(join(FIX, fixture), p);
  return p;
}

function decodeFile(p: string): ReturnType<typeof decodeJournal> {
  return decodeJournal(new Uint8Array(readFileSync(p)));
}

describe('show', () => {
  it('prints decoded fields and exits 0', () => {
    const r = cli('show', join(FIX, 'postcard/064-typical-sealing.bin'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /handoff_id\s+3f2a9c1e-5b7d-4e8f-a1c2-d3e4f5a6b7c8/);
    assert.match(r.stdout, /phase\s+Sealing/);
    assert.match(r.stdout, /2023-11-14T22:13:20.000Z/);
  });

  it('--json has serde_json field order and exact u64', () => {
    const r = cli('show', join(FIX, 'postcard/052-started-18446744073709551615.bin'), '--json');
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /"journal":\{"handoff_id":"72512a05-ab20-4cbb-99c9-109a07835882","phase":"Committed","incumbent_pid":31337,"successor_pid":null,"started_at_unix_ms":18446744073709551615\}/,
    );
    const o = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(o), ['path', 'encoding', 'size', 'journal', 'findings', 'error']);
    assert.equal(o.encoding, 'postcard');
    assert.equal(o.error, null);
  });

  it('--raw adds field boundaries', () => {
    const r = cli('show', join(FIX, 'postcard/064-typical-sealing.bin'), '--raw');
    assert.match(r.stdout, /\[17, 18\)\s+phase\s+02/);
  });

  it('exits 3 with a typed error for undecodable bytes', () => {
    const r = cli('show', join(FIX, 'invalid/024-option-tag-2.bin'), '--json');
    assert.equal(r.code, 3);
    const o = JSON.parse(r.stdout) as { journal: null; error: { kind: string; offset: number } };
    assert.equal(o.journal, null);
    assert.deepEqual([o.error.kind, o.error.offset], ['bad-option-tag', 20]);
  });

  it('exits 4 for a missing file and for a FIFO, without blocking', () => {
    const d = tmp();
    const missing = cli('show', join(d, 'state.bin'), '--json');
    assert.equal(missing.code, 4);
    assert.equal((JSON.parse(missing.stdout) as { error: { kind: string } }).error.kind, 'missing');
    execFileSync('mkfifo', [join(d, 'fifo.bin')]);
    const fifo = cli('show', join(d, 'fifo.bin'));
    assert.equal(fifo.code, 4);
    assert.match(fifo.stderr, /FIFO/);
  });

  it('reads msgpack and json journals, and honours --encoding', () => {
    assert.equal(cli('show', join(FIX, 'msgpack-named/064-typical-sealing.bin')).code, 0);
    assert.equal(cli('show', join(FIX, 'json/064-typical-sealing.json')).code, 0);
    assert.equal(cli('show', join(FIX, 'json/064-typical-sealing.json'), '--encoding', 'postcard').code, 3);
  });

  it('exits 2 on usage errors', () => {
    assert.equal(cli('show').code, 2);
    assert.equal(cli('frobnicate').code, 2);
    assert.equal(cli('show', 'x', '--bogus').code, 2);
    assert.equal(cli('show', '--help').code, 0);
  });
});

describe('reset', () => {
  it('moves forward legally and keeps the encoding', () => {
    const p = journalIn(tmp());
    const r = cli('reset', p, '--phase', 'AwaitingReady');
    assert.equal(r.code, 0, r.stderr);
    const d = decodeFile(p);
    assert.ok(d.ok);
    assert.equal(d.journal.phase, 'AwaitingReady');
    assert.equal(d.encoding, 'postcard');
    assert.equal(existsSync(p + '.tmp'), false);
  });

  it('refuses a backward move with exit 5 unless --force', () => {
    const p = journalIn(tmp());
    const before = readFileSync(p);
    const r = cli('reset', p, '--phase', 'Draining');
    assert.equal(r.code, 5);
    assert.match(r.stderr, /backward/);
    assert.deepEqual(readFileSync(p), before);
    assert.equal(cli('reset', p, '--phase', 'Draining', '--force').code, 0);
    const d = decodeFile(p);
    assert.ok(d.ok && d.journal.phase === 'Draining');
  });

  it('allows a new handoff at Negotiating with --new-id --now', () => {
    const p = journalIn(tmp());
    const r = cli('reset', p, '--phase', 'negotiating', '--new-id', '--now');
    assert.equal(r.code, 0, r.stderr);
    const d = decodeFile(p);
    assert.ok(d.ok);
    assert.notEqual(Buffer.from(d.journal.handoff_id).toString('hex'), '3f2a9c1e5b7d4e8fa1c2d3e4f5a6b7c8');
    assert.ok(Date.now() - Number(d.journal.started_at_unix_ms) < 60_000);
  });

  it('refuses a file that is not a journal (exit 3) and a symlink (exit 4)', () => {
    const d = tmp();
    const p = join(d, 'state.bin');
    writeFileSync(p, 'hello, not a journal\n');
    assert.equal(cli('reset', p, '--phase', 'Draining', '--force').code, 3);
    assert.equal(readFileSync(p, 'utf8'), 'hello, not a journal\n');
    const j = journalIn(d);
    mkdirSync(join(d, 'linked'));
    symlinkSync(j, join(d, 'linked', 'state.bin'));
    assert.equal(cli('reset', join(d, 'linked', 'state.bin'), '--phase', 'AwaitingReady').code, 4);
    // A link under another name is not a journal at all.
    symlinkSync(j, join(d, 'link.bin'));
    assert.equal(cli('reset', join(d, 'link.bin'), '--phase', 'AwaitingReady').code, 3);
  });

  it('exits 2 for an unknown phase', () => {
    const p = journalIn(tmp());
    assert.equal(cli('reset', p, '--phase', 'Exploding').code, 2);
  });
});

describe('delete', () => {
  it('deletes a journal and its leftover tmp, and is idempotent', () => {
    const p = journalIn(tmp());
    writeFileSync(p + '.tmp', 'partial');
    assert.equal(cli('delete', p).code, 0);
    assert.equal(existsSync(p), false);
    assert.equal(existsSync(p + '.tmp'), false);
    assert.equal(cli('delete', p).code, 0);
  });

  it('refuses a non-journal unless --force', () => {
    const p = join(tmp(), 'state.bin');
    writeFileSync(p, new Uint8Array([0x10, 1, 2]));
    assert.equal(cli('delete', p).code, 3);
    assert.ok(existsSync(p));
    assert.equal(cli('delete', p, '--force').code, 0);
    assert.equal(existsSync(p), false);
  });

  it('refuses a directory even with --force', () => {
    const p = join(tmp(), 'state.bin');
    mkdirSync(p);
    assert.equal(cli('delete', p, '--force').code, 4);
    assert.ok(existsSync(p));
  });
});

describe('encode', () => {
  for (const [enc, fixture] of [
    ['postcard', 'postcard/064-typical-sealing.bin'],
    ['msgpack', 'msgpack-array/064-typical-sealing.bin'],
    ['msgpack-named', 'msgpack-named/064-typical-sealing.bin'],
    ['json', 'json/064-typical-sealing.json'],
  ] as const) {
    it(`writes the Rust crates' exact ${enc} bytes`, () => {
      const out = join(tmp(), 'state.bin');
      const r = cli(
        'encode',
        '--phase',
        'Sealing',
        '--id',
        '3f2a9c1e-5b7d-4e8f-a1c2-d3e4f5a6b7c8',
        '--incumbent',
        '1234',
        '--successor',
        '5678',
        '--started',
        '1700000000000',
        '--encoding',
        enc,
        '-o',
        out,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readFileSync(out), readFileSync(join(FIX, fixture)));
    });
  }

  it('rejects out-of-range values with exit 2', () => {
    const base = ['encode', '--phase', 'Sealing', '--id', '3f2a9c1e-5b7d-4e8f-a1c2-d3e4f5a6b7c8', '--started', '1', '-o', '-'];
    assert.equal(cli(...base, '--incumbent', '4294967296').code, 2);
    assert.equal(cli(...base, '--incumbent', '-1').code, 2);
    assert.equal(cli('encode', '--phase', 'Sealing', '--id', 'nope', '--incumbent', '1', '--started', '1', '-o', '-').code, 2);
  });
});

describe('show --svg', () => {
  it('writes the state-machine diagram with the current phase highlighted', () => {
    const r = cli('show', join(FIX, 'postcard/006-phase-sealing-succ-some.bin'), '--svg');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(r.stdout, /class="node current"[^>]*aria-label="Sealing \(current\)/);
  });
});
