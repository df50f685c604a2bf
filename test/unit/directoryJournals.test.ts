/** What is said about a directory given as a journal: the journals found in it (real temp folders), the message and the commands. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { directoryMessage, directorySuggestions, journalsUnder } from '../../shared/journal/node';

const root = mkdtempSync(join(tmpdir(), 'hj-dirj-'));
after(() => rmSync(root, { recursive: true, force: true }));

function file(p: string): string {
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, 'x');
  return p;
}

describe('journalsUnder', () => {
  it('finds DIR/state.bin and DIR/*/state.bin that are files, not deeper ones, not folders', async () => {
    const d = join(root, 'a');
    const top = file(join(d, 'state.bin'));
    const kv = file(join(d, 'kv', 'state.bin'));
    file(join(d, 'deep', 'er', 'state.bin'));
    mkdirSync(join(d, 'odd', 'state.bin'), { recursive: true });
    mkdirSync(join(d, 'idle'));
    symlinkSync(kv, join(d, 'linked'));
    assert.deepEqual(await journalsUnder(d), { dir: d, journals: [kv, top], truncated: false });
  });

  it('is bounded, and says when it stopped', async () => {
    const d = join(root, 'many');
    for (let i = 0; i < 5; i++) file(join(d, `s${i}`, 'state.bin'));
    const r = await journalsUnder(d, 3);
    assert.equal(r.journals.length, 3);
    assert.equal(r.truncated, true);
  });
});

describe('directoryMessage and directorySuggestions', () => {
  const found = {
    dir: '/var/lib/beyond/handoff',
    journals: ['/var/lib/beyond/handoff/kv/state.bin', '/var/lib/beyond/handoff/my svc/state.bin'],
    truncated: false,
  };

  it('names the directory and its journals, or says it holds none', () => {
    assert.equal(
      directoryMessage(found),
      '/var/lib/beyond/handoff is a directory, not a journal; it holds 2 journals: /var/lib/beyond/handoff/kv/state.bin, /var/lib/beyond/handoff/my svc/state.bin.',
    );
    assert.match(
      directoryMessage({ dir: 'x', journals: [], truncated: false }),
      /^x is a directory, not a journal, and it holds no journal \(no x\/state\.bin or x\/\*\/state\.bin/,
    );
    assert.match(directoryMessage({ ...found, truncated: true }), /more than 2 journals: .* and more\.$/);
  });

  it('gives the same command with the directory replaced, quoted for a shell', () => {
    assert.deepEqual(directorySuggestions(found, ['reset', found.dir, '--phase', 'Draining']), [
      'handoff-journal reset /var/lib/beyond/handoff/kv/state.bin --phase Draining',
      "handoff-journal reset '/var/lib/beyond/handoff/my svc/state.bin' --phase Draining",
    ]);
  });
});
