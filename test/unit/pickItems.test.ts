/** The client's pure logic: reset legality labels and confirmation texts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deleteConfirmation, phaseChoices, resetConfirmation } from '../../client/src/pickItems';

describe('phaseChoices', () => {
  it('marks steps, jumps and backward moves from Sealing', () => {
    const c = Object.fromEntries(phaseChoices('Sealing', false).map((x) => [x.phase, [x.legal, x.verdict]]));
    assert.deepEqual(c, {
      Negotiating: [false, 'illegal: backward'],
      Draining: [false, 'illegal: backward'],
      Sealing: [true, 'current'],
      AwaitingReady: [true, 'next step'],
      Committed: [true, 'skips AwaitingReady'],
      ResumingAfterAbort: [true, 'next step'],
    });
  });

  it('allows nothing but deletion-equivalents after a terminal phase', () => {
    const legal = phaseChoices('Committed', false)
      .filter((x) => x.legal)
      .map((x) => x.phase);
    assert.deepEqual(legal, ['Committed']);
    assert.match(phaseChoices('Committed', false)[0]?.verdict ?? '', /illegal: after Committed/);
  });

  it('a new handoff may only start at Negotiating', () => {
    assert.deepEqual(
      phaseChoices('AwaitingReady', true)
        .filter((x) => x.legal)
        .map((x) => x.phase),
      ['Negotiating'],
    );
    assert.deepEqual(
      phaseChoices(undefined, false)
        .filter((x) => x.legal)
        .map((x) => x.phase),
      ['Negotiating'],
    );
  });
});

describe('texts', () => {
  it('says before -> after and the options', () => {
    assert.equal(
      resetConfirmation({ path: '/var/lib/beyond/handoff/kv/state.bin', from: 'Sealing', to: 'Negotiating', newId: true, now: true }),
      'Reset /var/lib/beyond/handoff/kv/state.bin: Sealing -> Negotiating, with a new random handoff_id and started_at set to now?',
    );
    assert.equal(deleteConfirmation('/x/state.bin', 'Committed'), 'Delete the journal /x/state.bin (phase Committed)?');
  });
});
