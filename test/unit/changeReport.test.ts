/** The change report: the hex lines for people and the `--json` object the extension reads back from a sudo run. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedBytesLines, changeReport, parseChangeReport } from '../../shared/journal';
import { jsonText } from '../../shared/util';

describe('change report', () => {
  it('prints the bytes before and after as hex lines', () => {
    assert.deepEqual(changedBytesLines(new Uint8Array([0x00, 0x0f, 0xff]), new Uint8Array([0x10])), [
      'previous bytes (3): 000fff',
      'written bytes (1): 10',
    ]);
    assert.deepEqual(changedBytesLines(new Uint8Array([1]), undefined), ['previous bytes (1): 01']);
    assert.deepEqual(changedBytesLines(undefined, undefined), []);
  });

  it('round-trips as JSON, after whatever a terminal printed before it', () => {
    const r = changeReport({
      ok: true,
      command: 'reset',
      path: '/x/state.bin',
      message: 'reset',
      before: new Uint8Array([1, 2]),
      after: new Uint8Array([3]),
    });
    assert.deepEqual(r, {
      ok: true,
      command: 'reset',
      path: '/x/state.bin',
      message: 'reset',
      reason: null,
      forceable: false,
      before: '0102',
      after: '03',
    });
    assert.deepEqual(parseChangeReport(`[sudo] password for me: \n${jsonText(r)}\n`), r);
    const refused = changeReport({
      ok: false,
      command: 'delete',
      path: '/x/state.bin',
      message: 'live',
      reason: 'live-handoff',
      forceable: true,
    });
    assert.deepEqual(parseChangeReport(jsonText(refused)), refused);
  });

  it('takes nothing that is not a report: prose, bad hex, wrong types', () => {
    assert.equal(parseChangeReport('previous bytes (1): 01\nwritten bytes (1): 02\n'), undefined);
    assert.equal(parseChangeReport('{"ok":true,"command":"reset","path":"/x","message":"m","before":"0g","after":null}'), undefined);
    assert.equal(parseChangeReport('{"ok":"yes","command":"reset","path":"/x","message":"m","before":null,"after":null}'), undefined);
    assert.equal(parseChangeReport('{not json'), undefined);
  });
});
