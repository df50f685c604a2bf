/** The CLI's "previous bytes"/"written bytes" lines, which the extension reads back after a sudo run. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedBytesLines, isChangedBytesLine, parseChangedBytes } from '../../shared/journal';

describe('changed bytes lines', () => {
  it('print the bytes as hex with their length, and read back', () => {
    const lines = changedBytesLines(new Uint8Array([0x00, 0x0f, 0xff]), new Uint8Array([0x10]));
    assert.deepEqual(lines, ['previous bytes (3): 000fff', 'written bytes (1): 10']);
    assert.ok(lines.every(isChangedBytesLine));
    assert.deepEqual(parseChangedBytes(`deleted /x/state.bin.\n${lines.join('\n')}\n`), { before: '000fff', after: '10' });
  });

  it('name no journal as null on either side', () => {
    const deleted = changedBytesLines(new Uint8Array([1]), undefined);
    assert.deepEqual(deleted, ['previous bytes (1): 01']);
    assert.deepEqual(parseChangedBytes(deleted.join('\n')), { before: '01', after: null });
    assert.deepEqual(parseChangedBytes('no journal at /x/state.bin (already absent).\n'), { before: null, after: null });
    assert.equal(isChangedBytesLine('previously seen: state.bin'), false);
  });
});
