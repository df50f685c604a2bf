import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PHASES,
  type Phase,
  checkTransition,
  isTerminal,
  judgeReset,
  legalSteps,
  skippedPhases,
  TRANSITION_TABLE,
  type TransitionKind,
  parseUuid,
} from '../../shared/journal';
import { journal } from '../support/rustFixtures';

// Written out from journal-semantics.md, independently of the implementation:
// steps N->D, D->S, S->A, A->C, S->R, A->R; anything forward along them is a jump;
// nothing leaves Committed / ResumingAfterAbort except deletion.
const S = 'same',
  T = 'step',
  J = 'jump',
  B = 'backward',
  X = 'after-terminal';
const EXPECTED: Record<Phase, TransitionKind[]> = {
  //                   Neg Dra Sea Awa Com Res
  Negotiating: [S, T, J, J, J, J],
  Draining: [B, S, T, J, J, J],
  Sealing: [B, B, S, T, J, T],
  AwaitingReady: [B, B, B, S, T, T],
  Committed: [X, X, X, X, S, X],
  ResumingAfterAbort: [X, X, X, X, X, S],
};

describe('TRANSITION_TABLE', () => {
  for (const from of PHASES) {
    test(`row ${from}`, () => {
      const expected = EXPECTED[from];
      assert.deepEqual(Object.keys(TRANSITION_TABLE[from]), [...PHASES]);
      PHASES.forEach((to, i) => assert.equal(TRANSITION_TABLE[from][to], expected[i], `${from} -> ${to}`));
    });
  }

  test('legal steps and terminal phases', () => {
    assert.deepEqual(legalSteps('Negotiating'), ['Draining']);
    assert.deepEqual(legalSteps('Draining'), ['Sealing']);
    assert.deepEqual(legalSteps('Sealing'), ['AwaitingReady', 'ResumingAfterAbort']);
    assert.deepEqual(legalSteps('AwaitingReady'), ['Committed', 'ResumingAfterAbort']);
    assert.deepEqual(legalSteps('Committed'), []);
    assert.deepEqual(legalSteps('ResumingAfterAbort'), []);
    assert.deepEqual(PHASES.filter(isTerminal), ['Committed', 'ResumingAfterAbort']);
  });

  test('skipped phases of every jump', () => {
    assert.deepEqual(skippedPhases('Negotiating', 'Sealing'), ['Draining']);
    assert.deepEqual(skippedPhases('Negotiating', 'AwaitingReady'), ['Draining', 'Sealing']);
    assert.deepEqual(skippedPhases('Negotiating', 'Committed'), ['Draining', 'Sealing', 'AwaitingReady']);
    assert.deepEqual(skippedPhases('Negotiating', 'ResumingAfterAbort'), ['Draining', 'Sealing']);
    assert.deepEqual(skippedPhases('Draining', 'AwaitingReady'), ['Sealing']);
    assert.deepEqual(skippedPhases('Draining', 'Committed'), ['Sealing', 'AwaitingReady']);
    assert.deepEqual(skippedPhases('Draining', 'ResumingAfterAbort'), ['Sealing']);
    assert.deepEqual(skippedPhases('Sealing', 'Committed'), ['AwaitingReady']);
  });
});

describe('checkTransition', () => {
  const at = (phase: Phase) => journal({ phase });
  const other = parseUuid('11111111-2222-4333-8444-555555555555') as Uint8Array;

  test('nothing -> nothing', () => {
    assert.equal(checkTransition(null, null).verdict, 'none');
  });
  test('null -> Negotiating is ok', () => {
    const c = checkTransition(null, at('Negotiating'));
    assert.equal(c.verdict, 'ok');
    assert.equal(c.code, undefined);
  });
  test('null -> Sealing is HJ073 information, naming the phases not observed', () => {
    const c = checkTransition(null, at('Sealing'));
    assert.deepEqual([c.verdict, c.code], ['info', 'HJ073']);
    assert.match(c.message, /first observed at Sealing: Negotiating, Draining not observed/);
  });
  test('every step is ok', () => {
    for (const from of PHASES) {
      for (const to of legalSteps(from)) {
        const c = checkTransition(at(from), at(to));
        assert.deepEqual([c.verdict, c.code], ['ok', undefined], `${from} -> ${to}`);
      }
    }
  });
  test('same phase rewritten is none', () => {
    assert.equal(checkTransition(at('Draining'), at('Draining')).verdict, 'none');
  });
  test('a forward jump is info HJ070 listing the skipped phases', () => {
    const c = checkTransition(at('Negotiating'), at('AwaitingReady'));
    assert.deepEqual([c.verdict, c.code], ['info', 'HJ070']);
    assert.match(c.message, /Draining, Sealing/);
    const d = checkTransition(at('Negotiating'), at('Sealing'));
    assert.deepEqual([d.verdict, d.code], ['info', 'HJ070']);
    assert.match(d.message, /\(Draining\)/);
  });
  test('a backward move is HJ071', () => {
    for (const [from, to] of [
      ['Draining', 'Negotiating'],
      ['AwaitingReady', 'Sealing'],
      ['Sealing', 'Draining'],
    ] as const) {
      const c = checkTransition(at(from), at(to));
      assert.deepEqual([c.verdict, c.code], ['error', 'HJ071'], `${from} -> ${to}`);
    }
  });
  test('a pid or start-time change within one handoff is HJ072', () => {
    const base = at('Draining');
    for (const changed of [
      journal({ phase: 'Sealing', incumbent_pid: 999 }),
      journal({ phase: 'Sealing', successor_pid: 999 }),
      journal({ phase: 'Sealing', successor_pid: null }),
      journal({ phase: 'Sealing', started_at_unix_ms: 1n }),
      journal({ phase: 'Draining', incumbent_pid: 999 }),
    ]) {
      const c = checkTransition(base, changed);
      assert.deepEqual([c.verdict, c.code], ['error', 'HJ072']);
    }
    assert.match(checkTransition(base, journal({ phase: 'Sealing', incumbent_pid: 999 })).message, /incumbent_pid 1234 -> 999/);
  });
  test('anything after a terminal phase is HJ074', () => {
    for (const from of ['Committed', 'ResumingAfterAbort'] as const) {
      for (const to of PHASES.filter((p) => p !== from)) {
        const c = checkTransition(at(from), at(to));
        assert.deepEqual([c.verdict, c.code], ['error', 'HJ074'], `${from} -> ${to}`);
      }
    }
  });
  test('deletion is ok from any phase', () => {
    for (const p of PHASES) assert.equal(checkTransition(at(p), null).verdict, 'ok', p);
  });
  test('a new handoff_id at Negotiating is ok, even over a stale or terminal one', () => {
    for (const p of PHASES) {
      const c = checkTransition(at(p), journal({ handoff_id: other, phase: 'Negotiating', incumbent_pid: 1 }));
      assert.equal(c.verdict, 'ok', p);
    }
  });
  test('a new handoff_id not at Negotiating is HJ073 information', () => {
    const c = checkTransition(at('Negotiating'), journal({ handoff_id: other, phase: 'Draining' }));
    assert.deepEqual([c.verdict, c.code], ['info', 'HJ073']);
    assert.match(c.message, /Negotiating not observed/);
  });
});

// What a file watcher saw of real handoffs driven by the reference supervisor
// (journal-semantics.md, "Observed with the real supervisor"; test/fixtures/logs):
// no real sequence may produce an error.
describe('real supervisor sequences', () => {
  const A = parseUuid('c300947f-3407-4696-a2bb-07869cd924de') as Uint8Array;
  const B = parseUuid('4b4eb536-b111-436b-8bd5-cef9bc3ac924') as Uint8Array;
  const j = (id: Uint8Array, phase: Phase | null): ReturnType<typeof journal> | null => (phase ? journal({ handoff_id: id, phase }) : null);
  const replay = (steps: [Uint8Array, Phase | null][]): string[] => {
    const out: string[] = [];
    let before: ReturnType<typeof journal> | null = null;
    for (const [id, phase] of steps) {
      const after = j(id, phase);
      const c = checkTransition(before, after);
      out.push(`${c.verdict}${c.code ? ` ${c.code}` : ''}`);
      before = after;
    }
    return out;
  };
  test('instant drain: first seen at Draining (Negotiating lasted ~1 ms), then deleted', () => {
    assert.deepEqual(
      replay([
        [A, 'Draining'],
        [A, null],
      ]),
      ['info HJ073', 'ok'],
    );
  });
  test('700 ms seal: first seen at Draining, then AwaitingReady (Sealing coalesced), then deleted', () => {
    assert.deepEqual(
      replay([
        [A, 'Draining'],
        [A, 'AwaitingReady'],
        [A, null],
      ]),
      ['info HJ073', 'info HJ070', 'ok'],
    );
  });
  test('slow handoff: Negotiating -> Draining -> deleted', () => {
    assert.deepEqual(
      replay([
        [A, 'Negotiating'],
        [A, 'Draining'],
        [A, null],
      ]),
      ['ok', 'ok', 'ok'],
    );
  });
  test('seal failure: the journal at Draining is deleted', () => {
    assert.deepEqual(
      replay([
        [B, 'Negotiating'],
        [B, 'Draining'],
        [B, null],
      ]),
      ['ok', 'ok', 'ok'],
    );
  });
  test('supervisor killed at Draining, restarted: it deletes the left-behind journal, and the next handoff starts', () => {
    assert.deepEqual(
      replay([
        [A, 'Draining'],
        [A, null],
        [B, 'Negotiating'],
      ]).slice(1),
      ['ok', 'ok'],
    );
  });
  test('a left-behind journal overwritten by the next handoff, first seen at Negotiating or later', () => {
    assert.deepEqual(
      replay([
        [A, 'Draining'],
        [B, 'Negotiating'],
      ]).slice(1),
      ['ok'],
    );
    assert.deepEqual(
      replay([
        [A, 'Draining'],
        [B, 'Sealing'],
      ]).slice(1),
      ['info HJ073'],
    );
  });
  test('a full quick handoff caught at every phase but Committed', () => {
    const steps: [Uint8Array, Phase | null][] = [
      [A, 'Negotiating'],
      [A, 'Draining'],
      [A, 'Sealing'],
      [A, 'AwaitingReady'],
      [A, null],
    ];
    assert.ok(replay(steps).every((v) => !v.startsWith('error')));
  });
});

describe('judgeReset: the one legality rule for a proposed reset', () => {
  test('a new handoff is legal only at Negotiating', () => {
    for (const p of PHASES) assert.equal(judgeReset('Sealing', p, true).legal, p === 'Negotiating', p);
    assert.equal(judgeReset(undefined, 'Draining', false).legal, false);
  });
  test('within one handoff: same, steps and forward jumps are legal; backward and after-terminal need Force', () => {
    for (const from of PHASES)
      for (const to of PHASES) {
        const kind = TRANSITION_TABLE[from][to];
        assert.equal(judgeReset(from, to, false).legal, kind === 'same' || kind === 'step' || kind === 'jump', `${from} -> ${to}`);
      }
    assert.equal(judgeReset('AwaitingReady', 'Draining', false).label, 'illegal: backward');
    assert.equal(judgeReset('Negotiating', 'Sealing', false).label, 'skips Draining');
  });
});
